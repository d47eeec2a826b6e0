/**
 * OpenPGP keys for the key and Web Key Directory tests, made by openpgp itself: a v6 key
 * (curve25519) and a v4 one (curve25519Legacy), and expired and revoked ones. They are dated a
 * month before the test clock's start (2026-03-01), which is the time the server checks them at.
 */
import { request as httpRequest } from 'node:http';
import * as openpgp from 'openpgp';
import type { TestServer } from './harness.ts';

export const KEY_DATE = new Date('2026-02-01T09:00:00Z');

export interface TestKey {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

async function made(key: { publicKey: string; privateKey: string }): Promise<TestKey> {
  const read = await openpgp.readKey({ armoredKey: key.publicKey });
  return { ...key, fingerprint: read.getFingerprint().toUpperCase() };
}

/** A v6 curve25519 key with user IDs of these addresses. */
export async function v6Key(...addresses: string[]): Promise<TestKey> {
  return made(
    await openpgp.generateKey({
      type: 'curve25519',
      userIDs: addresses.map((email) => ({ email })),
      date: KEY_DATE,
      format: 'armored',
      config: { v6Keys: true },
    }),
  );
}

/** A v4 curve25519Legacy key, as most keys in use are. */
export async function v4Key(
  address: string,
  options: { keyExpirationTime?: number } = {},
): Promise<TestKey> {
  return made(
    await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Test Person', email: address }],
      date: KEY_DATE,
      format: 'armored',
      config: { v6Keys: false },
      ...options,
    }),
  );
}

/** A v4 key whose only subkey signs: nothing in it can encrypt. */
export async function signOnlyKey(address: string): Promise<TestKey> {
  return made(
    await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: address }],
      subkeys: [{ sign: true }],
      date: KEY_DATE,
      format: 'armored',
      config: { v6Keys: false },
    }),
  );
}

/** A v4 key that expired a day after it was made (long before the test clock's start). */
export function expiredKey(address: string): Promise<TestKey> {
  return v4Key(address, { keyExpirationTime: 86_400 });
}

/** A v4 key revoked by its owner a day after it was made. */
export async function revokedKey(address: string): Promise<TestKey> {
  const key = await v4Key(address);
  const revoked = await openpgp.revokeKey({
    key: await openpgp.readPrivateKey({ armoredKey: key.privateKey }),
    date: new Date(KEY_DATE.getTime() + 86_400_000),
    format: 'armored',
  });
  return { ...key, publicKey: revoked.publicKey, privateKey: revoked.privateKey };
}

/** GET over plain node:http, so the test chooses the Host header (fetch does not let it). */
export function getWithHost(
  server: TestServer,
  path: string,
  host: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const url = new URL(path, server.baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { host } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** GET raw bytes (the harness's `request` reads text). */
export async function getBytes(
  server: TestServer,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
  const response = await fetch(server.baseUrl + path, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: new Uint8Array(await response.arrayBuffer()),
  };
}
