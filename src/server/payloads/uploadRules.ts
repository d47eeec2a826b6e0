/**
 * Pure decisions of the upload endpoint (./uploadRoutes.ts gathers the rows and the clock): who
 * may create an upload for a message, and who may resume, read or end one. A message or upload
 * that is someone else's is answered exactly like one that does not exist, so nothing tells a
 * stranger what exists.
 */
import { messageState } from '../messages/rules.ts';
import { endedFailure, fail, type Failure } from '../messages/outcomes.ts';
import type { PayloadOfMessage } from './payloadRows.ts';
import type { Allowance } from './quota.ts';
import { checkPayloadFits } from './quota.ts';

/** What a request to the upload endpoint may go on with. */
export interface UploadGrant {
  ok: true;
  messageId: string;
  /** The most bytes the upload may hold in all (tus `maxSize`; always at least 1). */
  maxBytes: number;
  /** How a refusal over `maxBytes` is named (tus takes `maxSize` 0 as "no limit", so never 0). */
  refusal: Allowance['refusal'];
  /** The upload had finished before this request (a 413 then deletes nothing). */
  finished: boolean;
}

export type UploadDecision = UploadGrant | Failure;

/** A 32-hex-digit upload id, as the payload store names them. */
export const UPLOAD_ID_PATTERN = /^[0-9a-f]{32}$/;

const noSuchMessage = (): Failure =>
  fail('not-found', 'You have no message with this id that waits for an upload.');
const noSuchUpload = (): Failure => fail('not-found', 'There is no such upload.');

/** A message as creation needs it. */
export interface MessageForUpload {
  sender: string;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Registered with `upload` (link delivery); null otherwise. */
  uploadExpectedBytes: number | null;
  /** It has a payload or an upload already. */
  hasPayload: boolean;
}

/** `POST /api/v1/uploads`: the sender's own active link-delivery message without an upload yet. */
export function decideCreation(input: {
  sender: string;
  messageId: string | null;
  message: MessageForUpload | undefined;
  declaredLength: number | null;
  allowance: Allowance;
  now: Date;
}): UploadDecision {
  const { message, messageId } = input;
  if (messageId === null)
    return fail('bad-request', 'Upload-Metadata must name the message: messageId <base64>.');
  if (message === undefined || message.sender !== input.sender) return noSuchMessage();
  const state = messageState(message, input.now);
  if (state !== 'active') return endedFailure(state);
  if (message.uploadExpectedBytes === null)
    return fail('bad-request', 'This message was registered without `upload`: it takes no upload.');
  if (message.hasPayload) return fail('bad-request', 'This message has its upload already.');
  const fits = checkPayloadFits(Math.max(1, input.declaredLength ?? 0), input.allowance);
  if (!fits.ok) return fail(fits.code, fits.message);
  return grant(messageId, input.allowance, false);
}

/** `HEAD`/`PATCH`/`DELETE /api/v1/uploads/:id`: the sender's own upload of an active message. */
export function decideOnUpload(input: {
  sender: string;
  payload: PayloadOfMessage | undefined;
  allowance: Allowance;
  now: Date;
}): UploadDecision {
  const { payload } = input;
  if (payload === undefined || payload.sender !== input.sender) return noSuchUpload();
  const state = messageState(payload, input.now);
  if (state !== 'active') return endedFailure(state);
  // The quotas may have filled (other messages) since the last request. Holding exactly the
  // allowance is fine: the last PATCH may be empty and only declare the length.
  const { maxBytes } = input.allowance;
  if (!payload.finished && (payload.byteLength > maxBytes || maxBytes <= 0)) {
    const fits = checkPayloadFits(Math.max(1, payload.byteLength), input.allowance);
    if (!fits.ok) return fail(fits.code, fits.message);
  }
  return grant(payload.messageId, input.allowance, payload.finished);
}

function grant(messageId: string, allowance: Allowance, finished: boolean): UploadGrant {
  return {
    ok: true,
    messageId,
    maxBytes: Math.max(1, allowance.maxBytes),
    refusal: allowance.refusal,
    finished,
  };
}
