import { normaliseAddress } from '../core/address.ts';
import { base64FromBytes } from '../core/envelopeCodec.ts';
import { openSealedCopy } from '../core/openSealedCopy.ts';
import type { Requests } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { READER_FILE_NAME } from './sealOnSend.ts';
import { senderPrivateKey } from './keyVault.ts';

/**
 * The sender rereads a sealed message they sent: the Sent copy holds the notification and
 * `secure-message.html`, whose payload has a lock for the sender's own key.
 */
export async function openSentCopy(
  host: Host,
  messageId: number,
): Promise<Requests['openSentCopy']['res']> {
  const html = await host.messageAttachmentText(messageId, READER_FILE_NAME);
  if (html === null) return { ok: false, reason: 'not-sealed' };
  const result = await openSealedCopy(html, (address) =>
    senderPrivateKey(host, normaliseAddress(address)),
  );
  if (!result.ok) return result;
  // Base64 keeps the bytes intact through runtime messaging whatever its serialisation.
  return { ok: true, envelope: result.envelope, mimeBase64: base64FromBytes(result.mime) };
}

/** Shows the "open my copy" button only on messages that carry a sealed reader. */
export async function updateSentCopyButton(
  host: Host,
  tabId: number,
  messageIds: number[],
): Promise<void> {
  const sealed =
    messageIds.length === 1 && messageIds[0] !== undefined
      ? await host.isSealedMessage(messageIds[0])
      : false;
  await host.showSentCopyButton(tabId, sealed);
}
