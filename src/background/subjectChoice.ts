/**
 * The sender's "Use a neutral subject" tick, per compose tab, in `storage.session` like secure
 * mode and "Send by link" (it survives the event page being suspended while the window stays
 * open). What it means under the policy is `subjectChoice` (src/core/policy.ts).
 */
import { subjectChoice, type SubjectChoice } from '../core/policy.ts';
import type { Host } from '../platform/host.ts';
import { loadSettings, type PolicyContext } from './policySettings.ts';

const key = (tabId: number) => `subject:${tabId}`;

/** This message's subject under the settings in force and the sender's tick. */
export async function subjectFor(
  host: Host,
  tabId: number,
  settings: PolicyContext,
): Promise<SubjectChoice> {
  const chosen = await host.session.get<boolean>(key(tabId));
  return subjectChoice(
    settings.effective.subject,
    typeof chosen === 'boolean' ? chosen : undefined,
  );
}

/**
 * The sender ticks or unticks "Use a neutral subject". Refused (nothing stored, still neutral)
 * while the organisation enforces the neutral subject.
 */
export async function setNeutralSubject(
  host: Host,
  tabId: number,
  neutral: boolean,
): Promise<SubjectChoice> {
  const settings = await loadSettings(host);
  if (subjectChoice(settings.effective.subject, undefined).enforced) {
    return subjectFor(host, tabId, settings);
  }
  await host.session.set(key(tabId), neutral);
  return subjectFor(host, tabId, settings);
}

export async function forgetSubjectChoice(host: Host, tabId: number): Promise<void> {
  await host.session.remove(key(tabId));
}
