/**
 * What a sender reads when the real server refuses a sign-in: the add-on's client against the
 * server over real HTTP, its failure put into words by `serverFailureText`. The server's schema
 * text ("body/address must NOT have fewer than 3 characters") must never reach the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerClient } from '../../src/core/serverClient.ts';
import { serverFailureText } from '../../src/core/serverFailureText.ts';
import { startTestServer, type TestServer } from './harness.ts';

const translate = (key: string, substitutions: readonly string[] = []) =>
  [key, ...substitutions].join(':');

describe('sign-in refusals as the sender reads them', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('an empty address: a sentence of the add-on, not the schema error', async () => {
    const client = createServerClient({ baseUrl: server.baseUrl, fetch });
    const result = await client.signInStart('');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // The server's own words are for developers.
    expect(result.message).toMatch(/body\/address/);
    const text = serverFailureText(result, translate, 'sign-in-start');
    expect(text).toBe('serverErrorBadRequest');
  });

  it('an address outside the organisation, a wrong code, a sign-in that is gone', async () => {
    const client = createServerClient({ baseUrl: server.baseUrl, fetch });
    const foreign = await client.signInStart('mallory@elsewhere.example');
    expect(foreign.ok).toBe(false);
    if (!foreign.ok) {
      expect(serverFailureText(foreign, translate, 'sign-in-start')).toBe(
        'serverErrorSignInForbidden',
      );
    }
    const started = await client.signInStart('alice@example.org');
    if (!started.ok) throw new Error(started.message);
    const wrong = await client.signInComplete({
      challengeId: started.value.challengeId,
      code: '000000',
      deviceName: 'test',
    });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(serverFailureText(wrong, translate, 'sign-in-complete')).toMatch(
        /^serverErrorWrongCodeTries:\d+$/,
      );
    }
    const gone = await client.signInComplete({
      challengeId: '00000000-0000-4000-8000-000000000000',
      code: '000000',
      deviceName: 'test',
    });
    expect(gone.ok).toBe(false);
    if (!gone.ok) {
      expect(serverFailureText(gone, translate, 'sign-in-complete')).toBe(
        'serverErrorSignInNotFound',
      );
    }
  });
});
