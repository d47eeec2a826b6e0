import {
  MIN_BACKUP_PASSPHRASE_LENGTH,
  type RequestName,
  type Requests,
  type RestoreSenderKeysAnswer,
} from '../messaging/protocol.ts';
import { passphraseProblemText } from '../ui/passphraseText.ts';
import type { KeyProtectionStore } from './keyProtectionStore.svelte.ts';

export interface KeyBackupPorts {
  request<K extends RequestName>(name: K, payload: Requests[K]['req']): Promise<Requests[K]['res']>;
  translate(key: string, substitutions?: readonly string[]): string;
  /** Offers `text` to the sender as a file named `fileName` (a download). */
  download(fileName: string, text: string): void;
}

export type KeyBackupMode = 'idle' | 'export' | 'restore';

type RestoreProblem = Exclude<
  Extract<RestoreSenderKeysAnswer, { ok: false }>['reason'],
  'replace-needed'
>;

/** One sentence for each reason a backup is refused. */
export const RESTORE_PROBLEM_KEYS = {
  'wrong-passphrase': 'optionsBackupWrongPassphrase',
  unreadable: 'optionsBackupUnreadable',
  'too-large': 'optionsBackupTooLarge',
  'not-private': 'optionsBackupNotPrivate',
  'no-address': 'optionsBackupNoAddress',
  'cannot-encrypt': 'optionsBackupCannotEncrypt',
} as const satisfies Record<RestoreProblem, string>;

/**
 * A backup file larger than this is refused in the page, before it is read into a message; the
 * background allows the same (a few private keys are a few KiB).
 */
export const MAX_BACKUP_FILE_BYTES = 1024 * 1024;

/** `sealpost-key-alice@example.org.asc`, or `sealpost-keys.asc` for several addresses. */
export function backupFileName(addresses: readonly string[]): string {
  if (addresses.length !== 1) return 'sealpost-keys.asc';
  return `sealpost-key-${addresses[0]!.replace(/[^A-Za-z0-9@._+-]/g, '_')}.asc`;
}

/**
 * The options page's backup of the sender's own keys: export them encrypted with a backup
 * passphrase (unlocking them first when a vault passphrase protects them), and restore them from
 * such a file, replacing a different key of the same address only after the sender confirmed it.
 * Passphrase fields are emptied after every attempt, as in the key protection section.
 */
export class KeyBackupStore {
  mode = $state<KeyBackupMode>('idle');
  passphrase = $state('');
  confirmation = $state('');
  /** The vault passphrase, asked only while the keys are locked. */
  vaultPassphrase = $state('');
  restoreText = $state<string | null>(null);
  restoreFileName = $state('');
  /** Addresses whose current key the chosen backup would replace: the page asks first. */
  replaceAddresses = $state<string[] | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  readonly #ports: KeyBackupPorts;
  readonly #protection: KeyProtectionStore;
  /** The backup and its passphrase, kept only while the page asks whether to replace. */
  #pendingRestore: { armored: string; passphrase: string } | null = null;

  constructor(ports: KeyBackupPorts, protection: KeyProtectionStore) {
    this.#ports = ports;
    this.#protection = protection;
  }

  /** A vault passphrase protects the keys and has not unlocked them this session. */
  get needsUnlock(): boolean {
    const view = this.#protection.view;
    return view !== null && view.protected && !view.unlocked;
  }

  open(mode: Exclude<KeyBackupMode, 'idle'>): void {
    this.#reset();
    this.notice = null;
    this.mode = mode;
  }

  cancel(): void {
    this.#reset();
    this.mode = 'idle';
  }

  async exportBackup(): Promise<void> {
    if (this.mode !== 'export' || this.busy) return;
    this.error = null;
    this.notice = null;
    if (
      [...this.passphrase].length < MIN_BACKUP_PASSPHRASE_LENGTH ||
      this.passphrase.trim() === ''
    ) {
      this.error = this.#ports.translate('passphraseTooShort', [
        String(MIN_BACKUP_PASSPHRASE_LENGTH),
      ]);
      return;
    }
    if (this.passphrase !== this.confirmation) {
      this.error = this.#ports.translate('passphraseMismatch');
      return;
    }
    const passphrase = this.passphrase;
    const vaultPassphrase = this.vaultPassphrase;
    const unlockFirst = this.needsUnlock;
    this.#clearFields();
    this.busy = true;
    try {
      if (unlockFirst) {
        const unlocked = await this.#ports.request('unlockSenderKeys', {
          passphrase: vaultPassphrase,
        });
        if (!unlocked.ok) {
          this.error = passphraseProblemText(unlocked, this.#ports.translate);
          return;
        }
        this.#protection.view = unlocked.view;
      }
      const answer = await this.#ports.request('exportSenderKeys', { passphrase });
      if (!answer.ok) {
        if (answer.reason === 'locked') await this.#protection.load();
        this.error =
          answer.reason === 'too-short'
            ? this.#ports.translate('passphraseTooShort', [String(MIN_BACKUP_PASSPHRASE_LENGTH)])
            : this.#ports.translate(
                answer.reason === 'locked' ? 'optionsBackupLocked' : 'optionsBackupNoKeys',
              );
        return;
      }
      const fileName = backupFileName(answer.addresses);
      this.#ports.download(fileName, answer.armored);
      this.mode = 'idle';
      this.notice = this.#ports.translate('optionsBackupSaved', [fileName]);
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }

  /** The file the sender chose to restore from (`null` when the choice was cleared). */
  chooseFile(file: { name: string; text: string } | null): void {
    this.error = null;
    this.restoreText = null;
    this.restoreFileName = '';
    if (!file) return;
    if (new TextEncoder().encode(file.text).length > MAX_BACKUP_FILE_BYTES) {
      this.error = this.#ports.translate(RESTORE_PROBLEM_KEYS['too-large']);
      return;
    }
    this.restoreText = file.text;
    this.restoreFileName = file.name;
  }

  async restoreBackup(): Promise<void> {
    if (this.mode !== 'restore' || this.busy) return;
    this.error = null;
    this.notice = null;
    if (this.restoreText === null) {
      this.error = this.#ports.translate('optionsBackupChooseFile');
      return;
    }
    const pending = { armored: this.restoreText, passphrase: this.passphrase };
    this.#clearFields();
    await this.#restore(pending, false);
  }

  /** The sender confirmed replacing the current key(s) of `replaceAddresses`. */
  async confirmReplace(): Promise<void> {
    const pending = this.#pendingRestore;
    if (!pending || this.busy) return;
    await this.#restore(pending, true);
  }

  cancelReplace(): void {
    this.#pendingRestore = null;
    this.replaceAddresses = null;
    this.notice = this.#ports.translate('optionsBackupNotRestored');
  }

  async #restore(pending: { armored: string; passphrase: string }, replace: boolean) {
    this.#pendingRestore = null;
    this.replaceAddresses = null;
    this.busy = true;
    try {
      const answer = await this.#ports.request('restoreSenderKeys', {
        ...pending,
        ...(replace ? { replace: true } : {}),
      });
      if (answer.ok) {
        this.#reset();
        this.mode = 'idle';
        this.notice = this.#ports.translate('optionsBackupRestored', [answer.addresses.join(', ')]);
      } else if (answer.reason === 'replace-needed') {
        this.#pendingRestore = pending;
        this.replaceAddresses = answer.addresses;
      } else {
        this.error = this.#ports.translate(RESTORE_PROBLEM_KEYS[answer.reason]);
      }
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }

  #reset(): void {
    this.#clearFields();
    this.#pendingRestore = null;
    this.replaceAddresses = null;
    this.restoreText = null;
    this.restoreFileName = '';
    this.error = null;
  }

  #clearFields(): void {
    this.passphrase = '';
    this.confirmation = '';
    this.vaultPassphrase = '';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
