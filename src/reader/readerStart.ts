/**
 * How the reader page starts: from the envelope in its own file, or, on the hosted page, from
 * its server and the link's fragment.
 */
import { NOTIFICATION_LANGUAGES } from '../core/languages.ts';
import { pickLanguage } from '../i18n/index.ts';
import { readEnvelopeSource } from './envelopeSource.ts';
import {
  hostedMessageId,
  languageFromLink,
  loadHostedEnvelope,
  mailShareFromHash,
} from './hostedMessage.ts';
import { ReaderState } from './readerState.svelte.ts';
import { browserDeviceStorage } from './rememberedDevices.ts';
import { loadEnvelope } from './unlock.ts';

/** Builds the state from the page: the envelope element (or hosted link) and the browser's languages. */
export function createReaderState(
  document: Document,
  browserLanguages: readonly string[],
): ReaderState {
  const fallbackLanguage = pickLanguage(NOTIFICATION_LANGUAGES, browserLanguages);
  const hostedId = hostedMessageId(document);
  if (hostedId) {
    // The notification's section links with its language: the recipient's, before the browser's.
    const linked = languageFromLink(document.location.search);
    const reader = new ReaderState({ kind: 'loading' }, linked ?? fallbackLanguage);
    reader.deviceStorage = browserDeviceStorage();
    void loadHosted(reader, document.location, hostedId);
    return reader;
  }
  const source = readEnvelopeSource(document);
  if (source.kind === 'template') return new ReaderState({ kind: 'template' }, fallbackLanguage);
  const loaded = source.kind === 'json' ? loadEnvelope(source.json) : null;
  if (!loaded?.ok) {
    return new ReaderState(
      { kind: 'invalid', reason: loaded?.reason ?? 'damaged' },
      fallbackLanguage,
    );
  }
  const { envelope } = loaded;
  return new ReaderState(
    { kind: 'locked', envelope, fatal: null },
    pickLanguage(envelope.languages, browserLanguages),
  );
}

/** A hosted page: the server is the page's own (`<server>/r/<id>`), the share is the fragment. */
async function loadHosted(reader: ReaderState, location: Location, messageId: string) {
  const mailShare = mailShareFromHash(location.hash);
  // Read once, then gone from the address bar and the history: someone looking at this
  // screen or this browser's history later must not find the mail's half of the key there.
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  const loaded = mailShare
    ? await loadHostedEnvelope(new URL('..', location.href).href, messageId, mailShare)
    : ({ ok: false, reason: 'link' } as const);
  if (!loaded.ok) {
    reader.screen = { kind: 'invalid', reason: loaded.reason };
    return;
  }
  reader.screen = { kind: 'locked', envelope: loaded.envelope, fatal: null };
  reader.startPayload();
  await reader.openWithRememberedDevice();
}
