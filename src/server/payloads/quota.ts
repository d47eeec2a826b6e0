/**
 * Pure decisions about payload sizes: how large one payload may grow given what else is stored
 * (the size limit, the sender's quota, the organisation's quota), and which refusal applies.
 * Quotas count the bytes of active messages' payloads, finished or still uploading; the routes
 * gather those sums (./payloadRows.ts) and call these.
 */
import type { ErrorCode } from '../../core/serverApi.ts';
import type { PayloadsConfig } from '../configDefaults.ts';

export type PayloadLimits = Pick<
  PayloadsConfig,
  'maxBytes' | 'quotaPerSenderBytes' | 'quotaTotalBytes'
>;

/** Bytes already held by other payloads (not the one being decided about). */
export interface OtherPayloadBytes {
  /** This sender's other active payloads. */
  sender: number;
  /** Every other active payload. */
  total: number;
}

export interface Allowance {
  /** The most bytes this payload may have in all (0 or less: none at all). */
  maxBytes: number;
  /** The refusal for a payload over `maxBytes`: the size limit, or a full quota. */
  refusal: Extract<ErrorCode, 'payload-too-large' | 'quota-exceeded'>;
}

/** The tightest of the size limit and what both quotas leave. */
export function payloadAllowance(limits: PayloadLimits, others: OtherPayloadBytes): Allowance {
  const quotaLeft = Math.min(
    limits.quotaPerSenderBytes - others.sender,
    limits.quotaTotalBytes - others.total,
  );
  return quotaLeft < limits.maxBytes
    ? { maxBytes: quotaLeft, refusal: 'quota-exceeded' }
    : { maxBytes: limits.maxBytes, refusal: 'payload-too-large' };
}

export type SizeCheck = { ok: true } | { ok: false; code: Allowance['refusal']; message: string };

/** Whether a payload of `bytes` fits; the refusal's sentence says which limit and how much. */
export function checkPayloadFits(bytes: number, allowance: Allowance): SizeCheck {
  if (bytes <= allowance.maxBytes) return { ok: true };
  return allowance.refusal === 'quota-exceeded'
    ? {
        ok: false,
        code: 'quota-exceeded',
        message: `The payload storage for your messages is full: ${Math.max(0, allowance.maxBytes)} bytes are left. Revoke older messages or send a smaller one.`,
      }
    : {
        ok: false,
        code: 'payload-too-large',
        message: `The payload is larger than this server accepts (${allowance.maxBytes} bytes).`,
      };
}
