/**
 * A short run of every fuzz target (test/fuzz/targets.ts) in `npm test`, on a fresh random seed
 * each time (printed by fast-check on failure, for replay); `npm run fuzz` runs 100,000 cases
 * per target.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { envelopeParser, mimeParser, policyValidator, serverSchemas } from '../fuzz/targets.ts';
import { startTestServer, type TestServer } from '../server/harness.ts';
import { SERVER_START_TIMEOUT_MS, signedInSender } from '../server/messages-fixtures.ts';

const SHORT_RUN = 300;

describe('fuzzing, short run', () => {
  it('the envelope parser answers every input with a value', () => envelopeParser.run(SHORT_RUN));
  it('the policy validator answers every input with settings and problems', () =>
    policyValidator.run(SHORT_RUN));
  it('the reader’s MIME parser reads every input', () => mimeParser.run(SHORT_RUN), 60_000);

  describe('the server’s request schemas', () => {
    let server: TestServer;
    let token: string;
    beforeAll(async () => {
      server = await startTestServer('pglite');
      token = await signedInSender(server);
    }, SERVER_START_TIMEOUT_MS);
    afterAll(() => server.close());
    it(
      'answer every body with a status and the error shape, never a 500',
      () => serverSchemas(server, token).run(SHORT_RUN),
      120_000,
    );
  });
});
