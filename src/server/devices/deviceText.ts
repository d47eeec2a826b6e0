/**
 * The texts of remembered browsers, in the recipient's notification language (the lock's): the
 * mail that tells them a browser was remembered, with the link that removes it, and the small
 * removal page that link opens. Neither holds a secret but the removal link's own token.
 */
import type { NotificationLanguage } from '../../core/languages.ts';
import { mailDate } from '../mail/mailDate.ts';

export interface DeviceMailFacts {
  organisationName: string;
  address: string;
  expiresAt: Date;
  removalUrl: string;
}

interface DeviceMailTexts {
  subject: string;
  body: (facts: DeviceMailFacts, until: string) => string;
}

const MAIL: Record<NotificationLanguage, DeviceMailTexts> = {
  en: {
    subject: 'A browser was remembered for your secure messages',
    body: (facts, until) =>
      `A browser was remembered for reading secure messages from ${facts.organisationName} ` +
      `sent to ${facts.address}. Until ${until} it opens them without a code; the link in ` +
      `each message is still needed.\n\n` +
      `If that was not you, remove it here (nothing is removed before you press the button ` +
      `on that page):\n\n${facts.removalUrl}\n`,
  },
  de: {
    subject: 'Ein Browser wurde für Ihre sicheren Nachrichten gespeichert',
    body: (facts, until) =>
      `Ein Browser wurde zum Lesen sicherer Nachrichten von ${facts.organisationName} an ` +
      `${facts.address} gespeichert. Bis ${until} öffnet er sie ohne Code; der Link in jeder ` +
      `Nachricht wird weiterhin gebraucht.\n\n` +
      `Waren Sie das nicht, entfernen Sie ihn hier (entfernt wird erst, wenn Sie auf der ` +
      `Seite die Schaltfläche drücken):\n\n${facts.removalUrl}\n`,
  },
  nl: {
    subject: 'Er is een browser onthouden voor uw beveiligde berichten',
    body: (facts, until) =>
      `Er is een browser onthouden om beveiligde berichten van ${facts.organisationName} aan ` +
      `${facts.address} te lezen. Tot ${until} opent hij ze zonder code; de link in elk ` +
      `bericht blijft nodig.\n\n` +
      `Was u dat niet, verwijder hem dan hier (er wordt pas iets verwijderd als u op die ` +
      `pagina op de knop drukt):\n\n${facts.removalUrl}\n`,
  },
  fr: {
    subject: 'Un navigateur a été mémorisé pour vos messages sécurisés',
    body: (facts, until) =>
      `Un navigateur a été mémorisé pour lire les messages sécurisés de ` +
      `${facts.organisationName} envoyés à ${facts.address}. Jusqu'au ${until}, il les ouvre ` +
      `sans code ; le lien de chaque message reste nécessaire.\n\n` +
      `Si ce n'était pas vous, supprimez-le ici (rien n'est supprimé avant que vous appuyiez ` +
      `sur le bouton de cette page) :\n\n${facts.removalUrl}\n`,
  },
  es: {
    subject: 'Se ha recordado un navegador para sus mensajes seguros',
    body: (facts, until) =>
      `Se ha recordado un navegador para leer los mensajes seguros de ` +
      `${facts.organisationName} enviados a ${facts.address}. Hasta el ${until} los abre sin ` +
      `código; el enlace de cada mensaje sigue siendo necesario.\n\n` +
      `Si no fue usted, elimínelo aquí (no se elimina nada hasta que pulse el botón de esa ` +
      `página):\n\n${facts.removalUrl}\n`,
  },
  it: {
    subject: 'È stato memorizzato un browser per i tuoi messaggi sicuri',
    body: (facts, until) =>
      `È stato memorizzato un browser per leggere i messaggi sicuri di ` +
      `${facts.organisationName} inviati a ${facts.address}. Fino al ${until} li apre senza ` +
      `codice; il link in ogni messaggio resta necessario.\n\n` +
      `Se non sei stato tu, rimuovilo qui (non viene rimosso nulla prima che tu prema il ` +
      `pulsante in quella pagina):\n\n${facts.removalUrl}\n`,
  },
};

/** Subject and text of the mail that tells a recipient a browser was remembered for them. */
export function deviceMail(
  language: NotificationLanguage,
  facts: DeviceMailFacts,
): { subject: string; text: string } {
  const texts = MAIL[language];
  return { subject: texts.subject, text: texts.body(facts, mailDate(facts.expiresAt)) };
}

/** The removal page's sentences (./removalPage.ts). */
export interface RemovalPageTexts {
  title: string;
  confirmHeading: string;
  confirm: (organisationName: string, until: string) => string;
  button: string;
  doneHeading: string;
  done: string;
  invalidHeading: string;
  invalid: string;
}

export const REMOVAL_PAGE: Record<NotificationLanguage, RemovalPageTexts> = {
  en: {
    title: 'Remembered browser',
    confirmHeading: 'Remove the remembered browser?',
    confirm: (organisation, until) =>
      `A browser was remembered for reading secure messages from ${organisation} without a ` +
      `code, until ${until}. Once removed, it needs a code again.`,
    button: 'Remove the browser',
    doneHeading: 'Removed',
    done: 'That browser can no longer open messages without a code.',
    invalidHeading: 'This link is not valid',
    invalid:
      'It may be incomplete, or too old. Nothing was changed. If a browser you do not know ' +
      'was remembered for you, ask the sender of your secure messages to remove it.',
  },
  de: {
    title: 'Gespeicherter Browser',
    confirmHeading: 'Gespeicherten Browser entfernen?',
    confirm: (organisation, until) =>
      `Ein Browser wurde zum Lesen sicherer Nachrichten von ${organisation} ohne Code ` +
      `gespeichert, bis ${until}. Nach dem Entfernen braucht er wieder einen Code.`,
    button: 'Browser entfernen',
    doneHeading: 'Entfernt',
    done: 'Dieser Browser kann keine Nachrichten mehr ohne Code öffnen.',
    invalidHeading: 'Dieser Link ist nicht gültig',
    invalid:
      'Er ist vielleicht unvollständig oder zu alt. Es wurde nichts geändert. Wurde ein ' +
      'Browser für Sie gespeichert, den Sie nicht kennen, bitten Sie den Absender Ihrer ' +
      'sicheren Nachrichten, ihn zu entfernen.',
  },
  nl: {
    title: 'Onthouden browser',
    confirmHeading: 'Onthouden browser verwijderen?',
    confirm: (organisation, until) =>
      `Er is een browser onthouden om beveiligde berichten van ${organisation} zonder code te ` +
      `lezen, tot ${until}. Na het verwijderen heeft hij weer een code nodig.`,
    button: 'Browser verwijderen',
    doneHeading: 'Verwijderd',
    done: 'Die browser kan geen berichten meer openen zonder code.',
    invalidHeading: 'Deze link is niet geldig',
    invalid:
      'Hij is misschien onvolledig of te oud. Er is niets gewijzigd. Is er een browser voor u ' +
      'onthouden die u niet kent, vraag de afzender van uw beveiligde berichten dan hem te ' +
      'verwijderen.',
  },
  fr: {
    title: 'Navigateur mémorisé',
    confirmHeading: 'Supprimer le navigateur mémorisé ?',
    confirm: (organisation, until) =>
      `Un navigateur a été mémorisé pour lire sans code les messages sécurisés de ` +
      `${organisation}, jusqu'au ${until}. Une fois supprimé, il lui faudra de nouveau un code.`,
    button: 'Supprimer le navigateur',
    doneHeading: 'Supprimé',
    done: 'Ce navigateur ne peut plus ouvrir de messages sans code.',
    invalidHeading: "Ce lien n'est pas valable",
    invalid:
      "Il est peut-être incomplet ou trop ancien. Rien n'a été modifié. Si un navigateur que " +
      "vous ne connaissez pas a été mémorisé pour vous, demandez à l'expéditeur de vos " +
      'messages sécurisés de le supprimer.',
  },
  es: {
    title: 'Navegador recordado',
    confirmHeading: '¿Eliminar el navegador recordado?',
    confirm: (organisation, until) =>
      `Se ha recordado un navegador para leer sin código los mensajes seguros de ` +
      `${organisation}, hasta el ${until}. Una vez eliminado, volverá a necesitar un código.`,
    button: 'Eliminar el navegador',
    doneHeading: 'Eliminado',
    done: 'Ese navegador ya no puede abrir mensajes sin código.',
    invalidHeading: 'Este enlace no es válido',
    invalid:
      'Puede estar incompleto o ser demasiado antiguo. No se ha cambiado nada. Si se ha ' +
      'recordado para usted un navegador que no conoce, pida al remitente de sus mensajes ' +
      'seguros que lo elimine.',
  },
  it: {
    title: 'Browser memorizzato',
    confirmHeading: 'Rimuovere il browser memorizzato?',
    confirm: (organisation, until) =>
      `È stato memorizzato un browser per leggere senza codice i messaggi sicuri di ` +
      `${organisation}, fino al ${until}. Una volta rimosso, gli servirà di nuovo un codice.`,
    button: 'Rimuovi il browser',
    doneHeading: 'Rimosso',
    done: 'Quel browser non può più aprire messaggi senza codice.',
    invalidHeading: 'Questo link non è valido',
    invalid:
      'Forse è incompleto o troppo vecchio. Non è stato cambiato nulla. Se è stato ' +
      'memorizzato per te un browser che non conosci, chiedi al mittente dei tuoi messaggi ' +
      'sicuri di rimuoverlo.',
  },
};
