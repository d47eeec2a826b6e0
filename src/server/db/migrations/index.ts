/**
 * Every migration, in order. Names sort by their number; add new ones at the end (server-core
 * owns 0001, server-messages 0002).
 */
import type { Migration } from 'kysely';
import * as core from './0001_core.ts';
import * as messages from './0002_messages.ts';
import * as eraseEnded from './0003_erase_ended.ts';
import * as lockoutBackoff from './0004_lockout_backoff.ts';
import * as verificationHandles from './0005_verification_handles.ts';
import * as publicKeys from './0006_public_keys.ts';
import * as replies from './0007_replies.ts';
import * as noCodeAndDevices from './0008_no_code_and_devices.ts';
import * as payloadStore from './0009_payload_store.ts';

export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_messages': messages,
  '0003_erase_ended': eraseEnded,
  '0004_lockout_backoff': lockoutBackoff,
  '0005_verification_handles': verificationHandles,
  '0006_public_keys': publicKeys,
  '0007_replies': replies,
  '0008_no_code_and_devices': noCodeAndDevices,
  '0009_payload_store': payloadStore,
};
