/**
 * Debian's GnuPG (2.2: no SEIPDv2, no Argon2) as the recipient with "their usual tool": a
 * throw-away home, a v4 key made by gpg itself, and `gpg --decrypt` of a payload.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GpgDecryption {
  /** gpg's exit status: 0 when it read everything without a complaint. */
  status: number | null;
  plaintext: Buffer;
  log: string;
}

export class GnupgHome {
  readonly path = mkdtempSync(join(tmpdir(), 'sealpost-gnupg-'));

  private run(args: string[], input?: Buffer) {
    const result = spawnSync('gpg', ['--batch', '--homedir', this.path, ...args], {
      input,
      maxBuffer: 256 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    return result;
  }

  /** Makes a key the way a GnuPG user does (`--quick-gen-key`, defaults), armored public part. */
  generateKey(address: string, name = 'GnuPG User'): string {
    const made = this.run([
      '--passphrase',
      '',
      '--quick-gen-key',
      `${name} <${address}>`,
      'default',
      'default',
      'never',
    ]);
    if (made.status !== 0) throw new Error(`gpg --quick-gen-key failed: ${made.stderr}`);
    const exported = this.run(['--armor', '--export', address]);
    return exported.stdout.toString('utf8');
  }

  decrypt(payload: Uint8Array): GpgDecryption {
    const file = join(this.path, 'payload.pgp');
    writeFileSync(file, payload);
    const result = this.run(['--pinentry-mode', 'loopback', '--passphrase', '', '--decrypt', file]);
    return { status: result.status, plaintext: result.stdout, log: result.stderr.toString('utf8') };
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
