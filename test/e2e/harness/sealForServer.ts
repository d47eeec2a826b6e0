/**
 * A message sealed by the real pipeline for server-protected recipients and registered through
 * the HTTP API with its hosted payload, as the add-on does; shared by the reader tests that run
 * against a real server.
 */
import { randomUUID } from 'node:crypto';
import type { PlannedServerLock } from '../../../src/core/decideSend.ts';
import type { OriginalMessage } from '../../../src/core/mime/buildMime.ts';
import { sealMessage } from '../../../src/core/sealPipeline.ts';
import type { RegisterMessageResponse } from '../../../src/core/serverApi.ts';
import { planServerSeal } from '../../../src/core/serverSeal.ts';
import { postJson } from './sealpostServer.ts';

/** A recipient as the panel plans them; every lock is server-protected and in English. */
export type ServerRecipient = Omit<PlannedServerLock, 'serverProtected' | 'language'>;

export interface SealForServer {
  serverUrl: string;
  /** The signed-in sender's device token. */
  token: string;
  sender: { name: string; address: string };
  senderPublicKey: string;
  readerTemplate: string;
  recipients: ServerRecipient[];
  subject: string;
  body: OriginalMessage['body'];
  attachments: OriginalMessage['attachments'];
  expiresInDays?: number;
}

/** Seals, registers, and answers the message id, the mail share and the reader file's bytes. */
export async function sealAndRegisterOnServer(
  request: SealForServer,
): Promise<{ messageId: string; mailShare: string; readerHtml: Buffer }> {
  const messageId = randomUUID();
  const { recipients } = request;
  const plan = await planServerSeal({
    messageId,
    locks: recipients.map((recipient) => ({
      ...recipient,
      serverProtected: true,
      language: 'en',
    })),
  });
  const addresses = (field: string) =>
    recipients.filter((recipient) => recipient.field === field).map((r) => r.address);
  const sealed = await sealMessage({
    original: {
      messageId: `<${messageId}@sealpost>`,
      date: new Date('2026-03-14T09:26:53Z'),
      from: request.sender,
      to: addresses('to'),
      cc: addresses('cc'),
      subject: request.subject,
      body: request.body,
      attachments: request.attachments,
    },
    locks: plan.sealLocks,
    mailShare: plan.mailShare,
    envelopeMessageId: messageId,
    senderPublicKey: request.senderPublicKey,
    readerTemplate: request.readerTemplate,
    serverUrl: request.serverUrl,
    languages: ['en'],
  });
  await postJson<RegisterMessageResponse>(
    `${request.serverUrl}/api/v1/messages`,
    {
      messageId,
      locks: plan.registerLocks,
      payload: await sealed.payloadBase64.text(),
      senderName: request.sender.name,
      ...(request.expiresInDays ? { expiresInDays: request.expiresInDays } : {}),
    },
    request.token,
  );
  return {
    messageId,
    mailShare: plan.mailShare,
    readerHtml: Buffer.from(await sealed.readerHtml.arrayBuffer()),
  };
}
