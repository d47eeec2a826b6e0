/**
 * The mail that tells a sender a recipient has no code (`verify/no-code`), in the language the
 * sender reads Sealpost in (`senderLanguage`; English when unknown). It names the recipient, the
 * message (when it was sent, until when it opens, its Message-ID) and what the sender can do for
 * the lock's method. It never holds a code, a share, a full phone number or anything of the
 * content: the server has none of the codes in clear, and the number is masked as the recipient
 * sees it.
 *
 * The options page is named as the add-on shows it: it is translated into en, de and nl
 * (extension/_locales), so French, Spanish and Italian senders see the English labels.
 */
import type { NotificationLanguage } from '../../core/languages.ts';
import type { ServerLockMethod } from '../../core/serverApi.ts';
import { mailDate } from '../mail/mailDate.ts';

export interface NoCodeFacts {
  /** The recipient's normalised address. */
  recipient: string;
  method: ServerLockMethod;
  /** sms locks: the number masked (`+49 ••• •••• 89`); never the full number. */
  maskedPhone: string | null;
  sentAt: Date;
  expiresAt: Date;
  /** The sealed mail's Message-ID (`<…>`) when the add-on gave it. */
  mailMessageId: string | null;
}

interface NoCodeTexts {
  subject: string;
  said: (recipient: string, sentAt: string, expiresAt: string) => string;
  messageId: (id: string) => string;
  advice: Record<ServerLockMethod, (facts: NoCodeFacts) => string>;
  nothingInside: string;
}

const TEXTS: Record<NotificationLanguage, NoCodeTexts> = {
  en: {
    subject: 'A recipient has no code for your secure message',
    said: (recipient, sentAt, expiresAt) =>
      `${recipient} says they do not have the code to open the secure message you sent on ` +
      `${sentAt}. It can be opened until ${expiresAt}.`,
    messageId: (id) => `Message-ID of your mail: ${id}`,
    advice: {
      code: () =>
        `The message is locked with an access code you chose. Tell them the code another way, ` +
        `for example by phone (not by mail to the same mailbox). If they were locked out after ` +
        `wrong codes, unlock them in Sealpost's options ("Sent secure messages", "Unlock"). If ` +
        `you no longer know the code, send the message again.`,
      'org-code': () =>
        `The message is locked with your organisation's access code for them. Tell them the ` +
        `code another way, for example by phone (not by mail to the same mailbox). If they were ` +
        `locked out after wrong codes, unlock them in Sealpost's options ("Sent secure ` +
        `messages", "Unlock"). If the code has changed since, send the message again.`,
      sms: (facts) =>
        `Their code goes by SMS to ${facts.maskedPhone ?? 'the number you gave'}. If that ` +
        `number is wrong or they no longer have it, give a new one in Sealpost's options ` +
        `("Sent secure messages", "New number"): the next code goes there.`,
      email: (facts) =>
        `Their code goes by mail to ${facts.recipient}. Ask them to look in their spam folder. ` +
        `If the address is wrong, send the message again to the right one.`,
    },
    nothingInside: 'This mail holds no code and nothing of the message.',
  },
  de: {
    subject: 'Eine Empfängerin oder ein Empfänger hat keinen Code für Ihre sichere Nachricht',
    said: (recipient, sentAt, expiresAt) =>
      `${recipient} gibt an, den Code zum Öffnen der sicheren Nachricht nicht zu haben, die ` +
      `Sie am ${sentAt} gesendet haben. Sie lässt sich bis ${expiresAt} öffnen.`,
    messageId: (id) => `Message-ID Ihrer Mail: ${id}`,
    advice: {
      code: () =>
        `Die Nachricht ist mit einem Zugangscode verschlossen, den Sie gewählt haben. Teilen ` +
        `Sie den Code auf anderem Weg mit, etwa per Telefon (nicht per Mail an dasselbe ` +
        `Postfach). Wurde der Zugang nach falschen Codes gesperrt, entsperren Sie ihn in den ` +
        `Sealpost-Einstellungen („Gesendete sichere Nachrichten“, „Entsperren“). Kennen Sie ` +
        `den Code nicht mehr, senden Sie die Nachricht erneut.`,
      'org-code': () =>
        `Die Nachricht ist mit dem Zugangscode Ihrer Organisation für diese Person ` +
        `verschlossen. Teilen Sie den Code auf anderem Weg mit, etwa per Telefon (nicht per ` +
        `Mail an dasselbe Postfach). Wurde der Zugang nach falschen Codes gesperrt, entsperren ` +
        `Sie ihn in den Sealpost-Einstellungen („Gesendete sichere Nachrichten“, ` +
        `„Entsperren“). Hat sich der Code seither geändert, senden Sie die Nachricht erneut.`,
      sms: (facts) =>
        `Der Code geht per SMS an ${facts.maskedPhone ?? 'die angegebene Nummer'}. Ist die ` +
        `Nummer falsch oder nicht mehr erreichbar, geben Sie in den Sealpost-Einstellungen eine ` +
        `neue an („Gesendete sichere Nachrichten“, „Neue Nummer“): Der nächste Code geht dorthin.`,
      email: (facts) =>
        `Der Code geht per Mail an ${facts.recipient}. Bitten Sie darum, im Spam-Ordner ` +
        `nachzusehen. Ist die Adresse falsch, senden Sie die Nachricht erneut an die richtige.`,
    },
    nothingInside: 'Diese Mail enthält keinen Code und nichts aus der Nachricht.',
  },
  nl: {
    subject: 'Een ontvanger heeft geen code voor uw beveiligde bericht',
    said: (recipient, sentAt, expiresAt) =>
      `${recipient} geeft aan de code niet te hebben om het beveiligde bericht te openen dat u ` +
      `op ${sentAt} hebt verstuurd. Het kan worden geopend tot ${expiresAt}.`,
    messageId: (id) => `Message-ID van uw mail: ${id}`,
    advice: {
      code: () =>
        `Het bericht is vergrendeld met een toegangscode die u hebt gekozen. Geef de code op ` +
        `een andere manier door, bijvoorbeeld telefonisch (niet per mail naar dezelfde ` +
        `mailbox). Is de ontvanger na verkeerde codes geblokkeerd, ontgrendel dan in de ` +
        `instellingen van Sealpost ("Verzonden beveiligde berichten", "Ontgrendelen"). Weet u ` +
        `de code niet meer, verstuur het bericht dan opnieuw.`,
      'org-code': () =>
        `Het bericht is vergrendeld met de toegangscode van uw organisatie voor deze ontvanger. ` +
        `Geef de code op een andere manier door, bijvoorbeeld telefonisch (niet per mail naar ` +
        `dezelfde mailbox). Is de ontvanger na verkeerde codes geblokkeerd, ontgrendel dan in ` +
        `de instellingen van Sealpost ("Verzonden beveiligde berichten", "Ontgrendelen"). Is ` +
        `de code sindsdien gewijzigd, verstuur het bericht dan opnieuw.`,
      sms: (facts) =>
        `De code gaat per sms naar ${facts.maskedPhone ?? 'het opgegeven nummer'}. Is dat ` +
        `nummer onjuist of niet meer in gebruik, geef dan een nieuw nummer op in de ` +
        `instellingen van Sealpost ("Verzonden beveiligde berichten", "Nieuw nummer"): de ` +
        `volgende code gaat daarheen.`,
      email: (facts) =>
        `De code gaat per mail naar ${facts.recipient}. Vraag de ontvanger in de spammap te ` +
        `kijken. Is het adres onjuist, verstuur het bericht dan opnieuw naar het juiste adres.`,
    },
    nothingInside: 'Deze mail bevat geen code en niets van het bericht.',
  },
  fr: {
    subject: "Un destinataire n'a pas le code de votre message sécurisé",
    said: (recipient, sentAt, expiresAt) =>
      `${recipient} indique ne pas avoir le code pour ouvrir le message sécurisé que vous avez ` +
      `envoyé le ${sentAt}. Il peut être ouvert jusqu'au ${expiresAt}.`,
    messageId: (id) => `Message-ID de votre courriel : ${id}`,
    advice: {
      code: () =>
        `Le message est verrouillé par un code d'accès que vous avez choisi. Communiquez-lui ` +
        `le code autrement, par exemple par téléphone (pas par courriel à la même boîte). S'il ` +
        `a été bloqué après des codes erronés, débloquez-le dans les options de Sealpost ` +
        `(« Sent secure messages », « Unlock »). Si vous ne connaissez plus le code, envoyez ` +
        `le message à nouveau.`,
      'org-code': () =>
        `Le message est verrouillé par le code d'accès de votre organisation pour ce ` +
        `destinataire. Communiquez-lui le code autrement, par exemple par téléphone (pas par ` +
        `courriel à la même boîte). S'il a été bloqué après des codes erronés, débloquez-le ` +
        `dans les options de Sealpost (« Sent secure messages », « Unlock »). Si le code a ` +
        `changé depuis, envoyez le message à nouveau.`,
      sms: (facts) =>
        `Son code part par SMS au ${facts.maskedPhone ?? 'numéro indiqué'}. Si ce numéro est ` +
        `faux ou n'est plus le sien, indiquez-en un nouveau dans les options de Sealpost ` +
        `(« Sent secure messages », « New number ») : le prochain code y sera envoyé.`,
      email: (facts) =>
        `Son code part par courriel à ${facts.recipient}. Demandez-lui de regarder dans ses ` +
        `indésirables. Si l'adresse est fausse, envoyez le message à nouveau à la bonne adresse.`,
    },
    nothingInside: 'Ce courriel ne contient aucun code et rien du message.',
  },
  es: {
    subject: 'Un destinatario no tiene el código de su mensaje seguro',
    said: (recipient, sentAt, expiresAt) =>
      `${recipient} indica que no tiene el código para abrir el mensaje seguro que usted envió ` +
      `el ${sentAt}. Puede abrirse hasta el ${expiresAt}.`,
    messageId: (id) => `Message-ID de su correo: ${id}`,
    advice: {
      code: () =>
        `El mensaje está cerrado con un código de acceso que usted eligió. Comuníquele el ` +
        `código por otra vía, por ejemplo por teléfono (no por correo al mismo buzón). Si quedó ` +
        `bloqueado tras códigos erróneos, desbloquéelo en las opciones de Sealpost («Sent ` +
        `secure messages», «Unlock»). Si ya no recuerda el código, envíe el mensaje de nuevo.`,
      'org-code': () =>
        `El mensaje está cerrado con el código de acceso de su organización para este ` +
        `destinatario. Comuníquele el código por otra vía, por ejemplo por teléfono (no por ` +
        `correo al mismo buzón). Si quedó bloqueado tras códigos erróneos, desbloquéelo en las ` +
        `opciones de Sealpost («Sent secure messages», «Unlock»). Si el código ha cambiado, ` +
        `envíe el mensaje de nuevo.`,
      sms: (facts) =>
        `Su código se envía por SMS al ${facts.maskedPhone ?? 'número indicado'}. Si ese ` +
        `número es incorrecto o ya no lo tiene, indique uno nuevo en las opciones de Sealpost ` +
        `(«Sent secure messages», «New number»): el próximo código irá allí.`,
      email: (facts) =>
        `Su código se envía por correo a ${facts.recipient}. Pídale que revise la carpeta de ` +
        `spam. Si la dirección es incorrecta, envíe el mensaje de nuevo a la correcta.`,
    },
    nothingInside: 'Este correo no contiene ningún código ni nada del mensaje.',
  },
  it: {
    subject: 'Un destinatario non ha il codice del tuo messaggio sicuro',
    said: (recipient, sentAt, expiresAt) =>
      `${recipient} dice di non avere il codice per aprire il messaggio sicuro che hai inviato ` +
      `il ${sentAt}. Si può aprire fino al ${expiresAt}.`,
    messageId: (id) => `Message-ID della tua mail: ${id}`,
    advice: {
      code: () =>
        `Il messaggio è chiuso con un codice di accesso che hai scelto. Comunicagli il codice ` +
        `in altro modo, ad esempio per telefono (non per mail alla stessa casella). Se è stato ` +
        `bloccato dopo codici errati, sbloccalo nelle opzioni di Sealpost («Sent secure ` +
        `messages», «Unlock»). Se non ricordi più il codice, invia di nuovo il messaggio.`,
      'org-code': () =>
        `Il messaggio è chiuso con il codice di accesso della tua organizzazione per questo ` +
        `destinatario. Comunicagli il codice in altro modo, ad esempio per telefono (non per ` +
        `mail alla stessa casella). Se è stato bloccato dopo codici errati, sbloccalo nelle ` +
        `opzioni di Sealpost («Sent secure messages», «Unlock»). Se il codice è cambiato, ` +
        `invia di nuovo il messaggio.`,
      sms: (facts) =>
        `Il suo codice arriva per SMS al ${facts.maskedPhone ?? 'numero indicato'}. Se quel ` +
        `numero è sbagliato o non lo ha più, indicane uno nuovo nelle opzioni di Sealpost ` +
        `(«Sent secure messages», «New number»): il prossimo codice andrà lì.`,
      email: (facts) =>
        `Il suo codice arriva per mail a ${facts.recipient}. Chiedigli di controllare la ` +
        `cartella spam. Se l'indirizzo è sbagliato, invia di nuovo il messaggio a quello giusto.`,
    },
    nothingInside: 'Questa mail non contiene alcun codice né nulla del messaggio.',
  },
};

/** Subject and text of the mail telling the sender that a recipient has no code. */
export function noCodeMail(
  language: NotificationLanguage,
  facts: NoCodeFacts,
): { subject: string; text: string } {
  const texts = TEXTS[language];
  const paragraphs = [
    texts.said(facts.recipient, mailDate(facts.sentAt), mailDate(facts.expiresAt)),
    ...(facts.mailMessageId === null ? [] : [texts.messageId(facts.mailMessageId)]),
    texts.advice[facts.method](facts),
    texts.nothingInside,
  ];
  return { subject: texts.subject, text: `${paragraphs.join('\n\n')}\n` };
}
