/**
 * `npm run fuzz`: every fuzz target of test/fuzz/targets.ts with 100,000 cases (or
 * `--runs <n>`, `--seed <n>` to replay a failure fast-check reported). Too slow for `npm test`,
 * which runs each target briefly (test/unit/fuzz.test.ts).
 */
import { parseArgs } from 'node:util';
import {
  envelopeParser,
  mimeParser,
  policyValidator,
  serverSchemas,
  type FuzzTarget,
} from '../test/fuzz/targets.ts';
import { startTestServer } from '../test/server/harness.ts';
import { signedInSender } from '../test/server/messages-fixtures.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '100000' }, seed: { type: 'string' } },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? undefined : Number(values.seed);

const server = await startTestServer('pglite', { config: { logLevel: 'silent' } });
const token = await signedInSender(server);
const targets: FuzzTarget[] = [
  envelopeParser,
  policyValidator,
  mimeParser,
  serverSchemas(server, token),
];
let failed = 0;
try {
  for (const target of targets) {
    const started = Date.now();
    try {
      await target.run(runs, seed);
      console.log(`fuzz: ${target.name}: ${runs} cases passed in ${Date.now() - started} ms`);
    } catch (error) {
      failed++;
      console.error(`fuzz: ${target.name}: FAILED\n${(error as Error).message}`);
    }
  }
} finally {
  await server.close();
}
console.log(`${targets.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
