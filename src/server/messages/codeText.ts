/**
 * The text of a one-time code, in the recipient's notification language (the sender chose it
 * per recipient). Kept with the server. The mail says whose message the code opens (the sender
 * as registered, the organisation, when it was sent), so a recipient can tell it from a code
 * someone else asked for; never its subject or anything of its content, which the server does
 * not have.
 */
import { isNotificationLanguage, type NotificationLanguage } from '../../core/languages.ts';
import { mailDate } from '../mail/mailDate.ts';

/** The message a code opens, as the code mail names it. */
export interface CodeMessageFacts {
  senderName: string | null;
  senderAddress: string;
  organisation: string;
  sentAt: Date;
}

/** The message as one line of the mail: `Name <address> (Organisation)`, sent on `date`. */
interface MessageLine {
  from: string;
  date: string;
}

interface CodeTexts {
  sms: (code: string, minutes: number) => string;
  subject: string;
  body: (code: string, minutes: number, message: MessageLine) => string;
}

const TEXTS: Record<NotificationLanguage, CodeTexts> = {
  en: {
    sms: (code, minutes) => `Your Sealpost code: ${code} (valid ${minutes} min). Never share it.`,
    subject: 'Your code to open a secure message',
    body: (code, minutes, message) =>
      `Your code to open the secure message that ${message.from} sent you on ${message.date} is:\n\n    ${code}\n\nIt is valid for ${minutes} minutes. ` +
      `If you did not ask for it, ignore this mail; nobody can open the message without the code.`,
  },
  de: {
    sms: (code, minutes) =>
      `Ihr Sealpost-Code: ${code} (gültig ${minutes} Min.). Geben Sie ihn nicht weiter.`,
    subject: 'Ihr Code zum Öffnen einer sicheren Nachricht',
    body: (code, minutes, message) =>
      `Ihr Code zum Öffnen der sicheren Nachricht, die ${message.from} Ihnen am ${message.date} gesendet hat, lautet:\n\n    ${code}\n\nEr ist ${minutes} Minuten gültig. ` +
      `Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese Mail; ohne den Code kann niemand die Nachricht öffnen.`,
  },
  nl: {
    sms: (code, minutes) =>
      `Uw Sealpost-code: ${code} (${minutes} min geldig). Deel hem met niemand.`,
    subject: 'Uw code om een beveiligd bericht te openen',
    body: (code, minutes, message) =>
      `Uw code om het beveiligde bericht te openen dat ${message.from} u op ${message.date} stuurde, is:\n\n    ${code}\n\nHij is ${minutes} minuten geldig. ` +
      `Hebt u er niet om gevraagd, negeer deze mail dan; zonder de code kan niemand het bericht openen.`,
  },
  fr: {
    sms: (code, minutes) =>
      `Votre code Sealpost : ${code} (valable ${minutes} min). Ne le partagez pas.`,
    subject: 'Votre code pour ouvrir un message sécurisé',
    body: (code, minutes, message) =>
      `Votre code pour ouvrir le message sécurisé que ${message.from} vous a envoyé le ${message.date} est :\n\n    ${code}\n\nIl est valable ${minutes} minutes. ` +
      `Si vous ne l'avez pas demandé, ignorez ce courriel ; personne ne peut ouvrir le message sans le code.`,
  },
  es: {
    sms: (code, minutes) =>
      `Su código de Sealpost: ${code} (válido ${minutes} min). No lo comparta.`,
    subject: 'Su código para abrir un mensaje seguro',
    body: (code, minutes, message) =>
      `Su código para abrir el mensaje seguro que ${message.from} le envió el ${message.date} es:\n\n    ${code}\n\nEs válido durante ${minutes} minutos. ` +
      `Si no lo ha pedido, ignore este correo; nadie puede abrir el mensaje sin el código.`,
  },
  it: {
    sms: (code, minutes) =>
      `Il tuo codice Sealpost: ${code} (valido ${minutes} min). Non condividerlo.`,
    subject: 'Il tuo codice per aprire un messaggio sicuro',
    body: (code, minutes, message) =>
      `Il tuo codice per aprire il messaggio sicuro che ${message.from} ti ha inviato il ${message.date} è:\n\n    ${code}\n\nÈ valido per ${minutes} minuti. ` +
      `Se non l'hai richiesto, ignora questa mail; nessuno può aprire il messaggio senza il codice.`,
  },
};

function textsFor(language: string): CodeTexts {
  return TEXTS[isNotificationLanguage(language) ? language : 'en'];
}

/** The SMS carrying a one-time code. */
export function codeSmsText(language: string, code: string, lifetimeSeconds: number): string {
  return textsFor(language).sms(code, Math.round(lifetimeSeconds / 60));
}

/** The mail carrying a one-time code, naming the message it opens. */
export function codeMail(
  language: string,
  code: string,
  lifetimeSeconds: number,
  message: CodeMessageFacts,
): { subject: string; text: string } {
  const texts = textsFor(language);
  const line: MessageLine = { from: messageFrom(message), date: mailDate(message.sentAt) };
  return {
    subject: texts.subject,
    text: texts.body(code, Math.round(lifetimeSeconds / 60), line),
  };
}

/**
 * `Name <address> (Organisation)`. The name is the one the sender's envelope gave: line breaks
 * and other control characters in it are flattened so it cannot add lines to the mail.
 */
function messageFrom({ senderName, senderAddress, organisation }: CodeMessageFacts): string {
  const flatten = (text: string) => text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();
  const name = flatten(senderName ?? '');
  const sender = name ? `${name} <${senderAddress}>` : senderAddress;
  return `${sender} (${flatten(organisation)})`;
}

/**
 * The mail to a sender whose recipient was locked out (in English, like the server's other mail
 * to senders): who, until when, and what the sender can do. No code, no content.
 */
export function lockoutMailText(recipient: string, sentAt: Date, lockedUntil: Date): string {
  return (
    `${recipient} entered too many wrong codes for the secure message you sent on ` +
    `${sentAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. They can try again after ` +
    `${lockedUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC; each further lock-out ` +
    `doubles the wait.\n\n` +
    `If it was them, you can unlock them now in Sealpost's options (Sent messages). If it was ` +
    `not them, someone may be guessing their code: consider revoking the message and sending ` +
    `it again with a new code.\n`
  );
}
