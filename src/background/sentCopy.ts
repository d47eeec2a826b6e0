import { normaliseAddress } from '../core/address.ts';
import { base64FromBytes } from '../core/envelopeCodec.ts';
import { openSealedMessage, type OwnKey } from '../core/openSealedCopy.ts';
import type { Requests } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { READER_FILE_NAME, REPLY_FILE_NAME, type LinkedEnvelope } from '../core/envelope.ts';
import { downloadPayload } from '../core/payloadDownload.ts';
import { senderPrivateKey } from './keyVault.ts';
import { SENDER_KEY_PREFIX, listSenderKeys } from './senderKey.ts';

/**
 * Opens a received or sent Sealpost message inside Thunderbird with the user's own keys: the
 * `secure-message.html` attachment's payload has a lock for the sender's key, and one for each
 * recipient's registered Sealpost key (`account` locks). When none of the keys the add-on keeps
 * opens it, the answer carries the envelope so the page offers the reader's code flow instead.
 */
export async function openSecureMessage(
  host: Host,
  messageId: number,
): Promise<Requests['openSecureMessage']['res']> {
  const html =
    (await host.messageAttachmentText(messageId, READER_FILE_NAME)) ??
    (await host.messageAttachmentText(messageId, REPLY_FILE_NAME));
  if (html === null) return { ok: false, reason: 'not-sealed' };
  const result = await openSealedMessage(
    html,
    await ownKeys(host),
    (address) => senderPrivateKey(host, normaliseAddress(address)),
    fetchLinkedPayload,
  );
  if (!result.ok) return result;
  // Base64 keeps the bytes intact through runtime messaging whatever its serialisation.
  return { ok: true, envelope: result.envelope, mimeBase64: base64FromBytes(result.mime) };
}

/**
 * A link-delivered message's payload, from the server its envelope names (public ciphertext, no
 * credentials); openSealedMessage checks it against the envelope's hash.
 */
async function fetchLinkedPayload(
  envelope: LinkedEnvelope,
): Promise<Uint8Array | 'unavailable' | 'ended' | 'damaged'> {
  const download = await downloadPayload(envelope.payloadLink.url, {
    expected: envelope.payloadLink,
    maxBytes: envelope.payloadLink.bytes,
  });
  if (download.ok) return download.payload;
  if (download.reason === 'missing') return 'unavailable';
  // With the size expected, an answer of another size is not the payload the envelope names.
  return download.reason === 'too-large' ? 'damaged' : download.reason;
}

/** Every key the add-on keeps, one per identity address it sealed or registered a key for. */
async function ownKeys(host: Host): Promise<OwnKey[]> {
  return (await listSenderKeys(host.local))
    .filter(([, stored]) => typeof stored.fingerprint === 'string')
    .map(([storageKey, stored]) => ({
      address: storageKey.slice(SENDER_KEY_PREFIX.length),
      fingerprint: stored.fingerprint,
    }));
}

/** Shows the "Open secure message" button only on messages that carry Sealpost's header. */
export async function updateOpenMessageButton(
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
