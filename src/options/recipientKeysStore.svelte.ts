import { base64FromBytes } from '../core/base64.ts';
import type {
  PublicKeyEntry,
  PublicKeySource,
  RequestName,
  Requests,
} from '../messaging/protocol.ts';

export interface RecipientKeysPorts {
  request<K extends RequestName>(name: K, payload: Requests[K]['req']): Promise<Requests[K]['res']>;
  translate(key: string, substitutions?: readonly string[]): string;
}

type ImportProblem = Extract<Requests['importKey']['res'], { ok: false }>['problem'];

/** One sentence for each reason a key is refused: what it is and what to do. */
export const KEY_PROBLEM_KEYS = {
  unreadable: 'optionsKeysProblemUnreadable',
  'too-large': 'optionsKeysProblemTooLarge',
  private: 'optionsKeysProblemPrivate',
  revoked: 'optionsKeysProblemRevoked',
  expired: 'optionsKeysProblemExpired',
  'cannot-encrypt': 'optionsKeysProblemCannotEncrypt',
  'wrong-address': 'optionsKeysProblemWrongAddress',
  'no-address': 'optionsKeysProblemNoAddress',
} as const satisfies Record<ImportProblem, string>;

export const KEY_SOURCE_KEYS = {
  server: 'keySourceServer',
  wkd: 'keySourceWkd',
  manual: 'keySourceManual',
} as const satisfies Record<PublicKeySource, string>;

/**
 * A key file larger than this is not sent to the background at all. The background refuses
 * anything above 64 KiB anyway; this only keeps a wrongly chosen large file out of the message.
 */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

/** "ABCD EF01 …": a fingerprint in groups of four, as OpenPGP tools print it. */
export function fingerprintGroups(fingerprint: string): string {
  return (fingerprint.match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * What a key file is sent as: armored text when it is one (".asc", or a ".key" that is text),
 * else its bytes as base64 (a binary ".gpg" export).
 */
export function keyFileRequest(bytes: Uint8Array): Requests['importKey']['req'] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.includes('-----BEGIN PGP') ? { armored: text } : { base64: base64FromBytes(bytes) };
}

/**
 * The options page's section on recipients' public keys: the keys Sealpost knows (imported by
 * hand, found on the organisation's server or by WKD), importing one pasted or from a file, and
 * removing a hand-imported one.
 */
export class RecipientKeysStore {
  keys = $state<PublicKeyEntry[]>([]);
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  pasted = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  readonly #ports: RecipientKeysPorts;

  constructor(ports: RecipientKeysPorts) {
    this.#ports = ports;
  }

  async load(): Promise<void> {
    try {
      this.keys = (await this.#ports.request('listKeys', {})).keys;
      this.status = 'ready';
    } catch (error) {
      this.status = 'failed';
      this.error = this.#ports.translate('optionsKeysLoadFailed', [errorText(error)]);
    }
  }

  /** Imports the pasted text; it stays in the field when refused, so it can be corrected. */
  async importPasted(): Promise<boolean> {
    const armored = this.pasted.trim();
    if (armored === '') {
      this.error = this.#ports.translate('optionsKeysPasteEmpty');
      this.notice = null;
      return false;
    }
    const imported = await this.#import({ armored });
    if (imported) this.pasted = '';
    return imported;
  }

  async importFile(bytes: Uint8Array): Promise<boolean> {
    if (bytes.length > MAX_KEY_FILE_BYTES) {
      this.error = this.#ports.translate(KEY_PROBLEM_KEYS['too-large']);
      this.notice = null;
      return false;
    }
    return this.#import(keyFileRequest(bytes));
  }

  async remove(address: string): Promise<void> {
    this.error = null;
    this.notice = null;
    try {
      await this.#ports.request('removeKey', { address });
      this.notice = this.#ports.translate('optionsKeysRemoved', [address]);
      await this.#reload();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async #import(source: Requests['importKey']['req']): Promise<boolean> {
    if (this.busy) return false;
    this.error = null;
    this.notice = null;
    this.busy = true;
    try {
      const answer = await this.#ports.request('importKey', source);
      if (!answer.ok) {
        this.error = this.#ports.translate(KEY_PROBLEM_KEYS[answer.problem]);
        return false;
      }
      const addresses = answer.keys.map((key) => key.address).join(', ');
      this.notice = this.#ports.translate('optionsKeysImported', [addresses]);
      await this.#reload();
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async #reload(): Promise<void> {
    this.keys = (await this.#ports.request('listKeys', {})).keys;
    this.status = 'ready';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
