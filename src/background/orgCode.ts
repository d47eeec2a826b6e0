import { normaliseAccessCode } from '../core/accessCodeFormat.ts';
import { normaliseAddress } from '../core/address.ts';
import { MINIMUM_SERVER_CODE_LENGTH } from '../core/recipientDirectory.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';
import type { ServerAnswer } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { saveRecipientSettings } from './recipientStore.ts';
import {
  cacheDirectoryEntry,
  failureAnswer,
  noteServerFailure,
  serverConnection,
} from './serverSettings.ts';

/**
 * An organisation-wide access code typed or generated in the panel: remembered locally at once
 * (the field keeps it), and written to the directory (`PUT /directory/:address`) so every
 * colleague sees it — once it is long enough to be used at all, so half-typed codes stay local.
 */
export async function saveOrgCode(
  host: Host,
  address: string,
  code: string,
): Promise<ServerAnswer<{ settings: RecipientSettings }>> {
  const normalised = normaliseAddress(address);
  const settings = await saveRecipientSettings(host.local, normalised, {
    method: 'org-code',
    code,
  });
  if (normaliseAccessCode(code).length < MINIMUM_SERVER_CODE_LENGTH) {
    return { ok: true, value: { settings } };
  }
  const connection = await serverConnection(host);
  if (!connection) {
    return { ok: false, code: 'not-configured', message: host.message('serverNotConfigured') };
  }
  const result = await connection.client.updateDirectory(normalised, {
    method: 'org-code',
    orgCode: code,
  });
  if (!result.ok) {
    await noteServerFailure(host, result);
    return failureAnswer(host, result);
  }
  if (result.value) await cacheDirectoryEntry(host, result.value);
  return { ok: true, value: { settings } };
}
