/**
 * Tests that seal a message themselves know its envelope carries the payload inside (version
 * 1); parseEnvelope answers either version, so they narrow its answer here, failing loudly if a
 * link came instead (docs/envelope.md §9).
 */
import { isLinkedEnvelope, type AnyEnvelope, type Envelope } from '../../src/core/envelope.ts';

export function inlineEnvelope(envelope: AnyEnvelope): Envelope {
  if (isLinkedEnvelope(envelope)) {
    throw new Error('expected an envelope with its payload inside, got a payload link');
  }
  return envelope;
}
