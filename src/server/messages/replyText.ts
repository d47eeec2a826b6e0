/**
 * The mail that brings a recipient's secure reply to the sender, in the language the sender
 * reads Sealpost in (`senderLanguage` at registration; English when unknown). It names who
 * replied to which message (when it was sent) and how to open the attachment, and nothing of the reply: the subject is neutral and
 * the content is sealed to the sender's own key.
 *
 * The button is named as Thunderbird shows it: the add-on is translated into en, de and nl
 * (extension/_locales), so French, Spanish and Italian senders see the English label.
 */
import { isNotificationLanguage, type NotificationLanguage } from '../../core/languages.ts';
import { mailDate } from '../mail/mailDate.ts';

interface ReplyTexts {
  subject: string;
  body: (recipient: string, sentAt: string) => string;
}

const TEXTS: Record<NotificationLanguage, ReplyTexts> = {
  en: {
    subject: 'Secure reply to your message',
    body: (recipient, sentAt) =>
      `${recipient} replied securely to the message you sent with Sealpost on ${sentAt}.\n\n` +
      `The reply is sealed to your own key: only you can read it. Open it in Thunderbird ` +
      `with "Open secure message".\n`,
  },
  de: {
    subject: 'Sichere Antwort auf Ihre Nachricht',
    body: (recipient, sentAt) =>
      `${recipient} hat sicher auf die Nachricht geantwortet, die Sie am ${sentAt} mit Sealpost gesendet haben.\n\n` +
      `Die Antwort ist mit Ihrem eigenen Schlüssel versiegelt: Nur Sie können sie lesen. Öffnen Sie ` +
      `sie in Thunderbird mit „Sichere Nachricht öffnen“.\n`,
  },
  nl: {
    subject: 'Beveiligd antwoord op uw bericht',
    body: (recipient, sentAt) =>
      `${recipient} heeft beveiligd geantwoord op het bericht dat u op ${sentAt} met Sealpost hebt verstuurd.\n\n` +
      `Het antwoord is verzegeld met uw eigen sleutel: alleen u kunt het lezen. Open het in ` +
      `Thunderbird met "Beveiligd bericht openen".\n`,
  },
  fr: {
    subject: 'Réponse sécurisée à votre message',
    body: (recipient, sentAt) =>
      `${recipient} a répondu de façon sécurisée au message que vous avez envoyé avec Sealpost le ${sentAt}.\n\n` +
      `La réponse est scellée avec votre propre clé : vous seul pouvez la lire. Ouvrez-la dans ` +
      `Thunderbird avec « Open secure message ».\n`,
  },
  es: {
    subject: 'Respuesta segura a su mensaje',
    body: (recipient, sentAt) =>
      `${recipient} ha respondido de forma segura al mensaje que usted envió con Sealpost el ${sentAt}.\n\n` +
      `La respuesta está sellada con su propia clave: solo usted puede leerla. Ábrala en ` +
      `Thunderbird con «Open secure message».\n`,
  },
  it: {
    subject: 'Risposta sicura al tuo messaggio',
    body: (recipient, sentAt) =>
      `${recipient} ha risposto in modo sicuro al messaggio che hai inviato con Sealpost il ${sentAt}.\n\n` +
      `La risposta è sigillata con la tua chiave: solo tu puoi leggerla. Aprila in ` +
      `Thunderbird con «Open secure message».\n`,
  },
};

/** The language a reply's mail and envelope use: the sender's, else English. */
export function replyLanguage(senderLanguage: string | null): NotificationLanguage {
  return isNotificationLanguage(senderLanguage) ? senderLanguage : 'en';
}

/**
 * Subject and text of the mail carrying a reply from `recipient` (their address) to the message
 * sent at `sentAt`: the mail is threaded to it, and the date names it where threads are not shown.
 */
export function replyMail(
  language: NotificationLanguage,
  recipient: string,
  sentAt: Date,
): { subject: string; text: string } {
  const texts = TEXTS[language];
  return { subject: texts.subject, text: texts.body(recipient, mailDate(sentAt)) };
}
