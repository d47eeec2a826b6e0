/**
 * The neutral subject per message: the panel shows whether the subject travels readable, the
 * sender's tick reaches sealing, and an organisation's locked "neutral" cannot be undone.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { getComposeState } from '../../../src/background/composeState.ts';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { handleRequest } from '../../../src/background/requests.ts';
import { handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { forgetTab, setSecure } from '../../../src/background/secureMode.ts';
import { subjectChoice } from '../../../src/core/policy.ts';
import { neutralSubject } from '../../../src/i18n/notification.ts';
import type { SubjectChoice } from '../../../src/core/policy.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const TAB = 12;
const STRONG_CODE = 'K7QM-X2PA-9FHT-3WBN-QX4D';

async function setNeutral(host: FakeThunderbirdHost, neutral: boolean): Promise<SubjectChoice> {
  const answer = await handleRequest(host, {
    sealpost: 1,
    name: 'setNeutralSubject',
    payload: { tabId: TAB, neutral },
  });
  if (!answer.ok) throw new Error(answer.error);
  return answer.value as SubjectChoice;
}

describe('subjectChoice', () => {
  it("follows the setting until the sender ticks; only a locked 'neutral' cannot be undone", () => {
    expect(subjectChoice({ value: 'keep', locked: false }, undefined)).toEqual({
      neutral: false,
      enforced: false,
    });
    expect(subjectChoice({ value: 'keep', locked: false }, true).neutral).toBe(true);
    // A locked "keep" fixes the sender's default, not this: hiding more is never less safe.
    expect(subjectChoice({ value: 'keep', locked: true }, true).neutral).toBe(true);
    expect(subjectChoice({ value: 'neutral', locked: false }, undefined).neutral).toBe(true);
    expect(subjectChoice({ value: 'neutral', locked: false }, false).neutral).toBe(false);
    expect(subjectChoice({ value: 'neutral', locked: true }, false)).toEqual({
      neutral: true,
      enforced: true,
    });
  });
});

describe('the neutral subject per message', () => {
  let host: FakeThunderbirdHost;

  beforeEach(async () => {
    host = new FakeThunderbirdHost();
    host.openCompose(TAB, {
      to: ['bob@partner.example'],
      subject: 'Salary review 2027',
      plainTextBody: 'Confidential figures.',
    });
    await saveRecipientSettings(host.local, 'bob@partner.example', {
      method: 'code',
      code: STRONG_CODE,
    });
  });

  it('says nothing about the subject while secure mode is off', async () => {
    expect((await getComposeState(host, TAB)).subject).toBeNull();
  });

  it('shows the subject as readable by default, and the tick makes this mail neutral', async () => {
    await setSecure(host, TAB, true);
    expect((await getComposeState(host, TAB)).subject).toEqual({ neutral: false, enforced: false });
    expect(await setNeutral(host, true)).toEqual({ neutral: true, enforced: false });
    expect((await getComposeState(host, TAB)).subject?.neutral).toBe(true);
    const result = await handleBeforeSend(host, TAB);
    expect(result.details?.subject).toBe(neutralSubject('en'));
  });

  it('keeps the real subject when the sender unticks the setting of their own', async () => {
    host.policy = { subject: 'neutral' };
    await setSecure(host, TAB, true);
    expect((await getComposeState(host, TAB)).subject).toEqual({ neutral: true, enforced: false });
    expect(await setNeutral(host, false)).toEqual({ neutral: false, enforced: false });
    const result = await handleBeforeSend(host, TAB);
    expect(result.details).toBeDefined();
    expect(result.details?.subject).toBeUndefined();
  });

  it("refuses to untick the organisation's locked neutral subject, and seals with it", async () => {
    host.policy = { subject: 'neutral', lockUserSettings: true };
    await setSecure(host, TAB, true);
    expect(await setNeutral(host, false)).toEqual({ neutral: true, enforced: true });
    const result = await handleBeforeSend(host, TAB);
    expect(result.details?.subject).toBe(neutralSubject('en'));
  });

  it('is forgotten with the compose tab', async () => {
    await setSecure(host, TAB, true);
    await setNeutral(host, true);
    await forgetTab(host, TAB);
    await setSecure(host, TAB, true);
    expect((await getComposeState(host, TAB)).subject?.neutral).toBe(false);
  });
});
