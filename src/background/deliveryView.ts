/**
 * What the panel says about how a secure message will travel, before Send: by link (and why,
 * and whether the sender may choose), or in the mail, with a warning when that mail will likely
 * be too large to leave. Estimates from the attachments' sizes; the send decides per mail and
 * measures again (./linkSend.ts, ./sendRegistration.ts).
 */
import { linkReason } from '../core/linkDelivery.ts';
import { estimatedSealedMailBytes, exceedsMailLimit, megabytesText } from '../core/mailSize.ts';
import { MANAGED_DEFAULTS } from '../core/managedPolicy.ts';
import type { ComposeState } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import type { ResolvedCompose } from './composeState.ts';
import { linkChosen } from './linkChoice.ts';

export async function deliveryViews(
  host: Host,
  tabId: number,
  resolved: ResolvedCompose,
): Promise<Pick<ComposeState, 'mailSizeWarning' | 'delivery'>> {
  const { effective } = resolved.policy;
  const { details } = resolved;
  // Attachments that cannot be listed count as none: the send's own checks still apply.
  const attachments = await host.listAttachments(tabId).catch(() => []);
  const attachmentBytes = attachments.reduce((sum, attachment) => sum + attachment.file.size, 0);
  const estimated = estimatedSealedMailBytes(
    attachmentBytes,
    details.plainTextBody.length + details.body.length,
  );
  let delivery: ComposeState['delivery'] = null;
  if (resolved.server) {
    const external = resolved.recipients.filter((each) => !each.internal && !each.isSender);
    const reason = linkReason({
      hasServerLocks: external.length > 0,
      estimatedMailBytes: estimated,
      linkDeliveryAboveMB:
        effective.linkDeliveryAboveMB.value ?? MANAGED_DEFAULTS.linkDeliveryAboveMB,
      recipients: external.map((each) => each.address),
      linkOnlyDomains: effective.linkOnlyDomains.value ?? [],
      chosen: await linkChosen(host, tabId),
    });
    delivery = {
      byLink: reason !== null,
      reason,
      canChoose: external.length > 0 && (reason === null || reason === 'chosen'),
    };
  }
  const maxMailSizeMB = effective.maxMailSizeMB.value ?? MANAGED_DEFAULTS.maxMailSizeMB;
  const tooLarge = !delivery?.byLink && exceedsMailLimit(estimated, maxMailSizeMB);
  return {
    delivery,
    mailSizeWarning: tooLarge
      ? { estimated: megabytesText(estimated), limit: `${maxMailSizeMB} MB` }
      : null,
  };
}
