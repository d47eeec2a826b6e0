import type { NotificationCatalog, ReaderCatalog } from './types.ts';

/** Italian, formal address (Lei), in the current lower-case style. */
export const itReader: ReaderCatalog = {
  'language.name': 'Italiano',

  'reader.title': 'Messaggio sicuro',
  'reader.language': 'Lingua',
  'reader.from-sender': 'Messaggio sicuro da',
  'reader.template.title': 'Questo è il modello vuoto del lettore di messaggi sicuri',
  'reader.template.body':
    'Questo file non contiene alcun messaggio. Apra invece il file secure-message.html allegato all’e-mail che ha ricevuto.',
  'reader.factor.code':
    'Inserisca il codice di accesso che {name} le ha comunicato separatamente, ad esempio per telefono o per lettera.',
  'reader.factor.org-code':
    'Inserisca il codice di accesso della sua organizzazione, ricevuto separatamente.',
  'reader.factor.sms': 'Le servirà un codice inviato via SMS al suo cellulare.',
  'reader.factor.email': 'Le servirà un codice inviato al suo indirizzo e-mail.',
  'reader.factor.account':
    'Apra questo messaggio con il suo account Sealpost o con la sua chiave OpenPGP.',
  'reader.method-unavailable':
    'Questo file non può aprire il messaggio da solo. Chieda a {name} di inviarlo di nuovo con un codice di accesso.',
  'reader.code.label': 'Codice di accesso',
  'reader.unlock': 'Apri messaggio',
  'reader.unlocking': 'Verifica del codice e apertura del messaggio…',
  'reader.error.title': 'Impossibile aprire il messaggio',
  'reader.error.empty-code': 'Inserisca il codice di accesso.',
  'reader.error.wrong-code':
    'Questo codice di accesso non apre il messaggio. Lo controlli e riprovi.',
  'reader.error.damaged':
    'Questo file è danneggiato o incompleto. Chieda al mittente di inviare di nuovo il messaggio.',
  'reader.error.unsupported':
    'Questo messaggio usa un formato non supportato da questo lettore. Chieda al mittente di inviarlo di nuovo con una versione aggiornata di Sealpost.',
  'reader.error.too-large': 'Questo messaggio è troppo grande per essere aperto nel browser.',
  'reader.subject': 'Oggetto',
  'reader.from': 'Da',
  'reader.to': 'A',
  'reader.cc': 'Cc',
  'reader.date': 'Data',
  'reader.no-subject': '(nessun oggetto)',
  'reader.empty-body': '(Questo messaggio non contiene testo.)',
  'reader.html-note':
    'Le immagini e gli altri contenuti provenienti da Internet sono bloccati in questo messaggio.',
  'reader.attachments': 'Allegati',
  'reader.download': 'Scarica',
  'reader.download-named': 'Scarica {name}',
  'reader.local-note':
    'Il messaggio è stato decifrato su questo dispositivo. Nulla è stato inviato tramite Internet.',
};

export const itNotification: NotificationCatalog = {
  'notification.subject': 'Messaggio sicuro',
  'notification.intro': '{sender} le ha inviato un messaggio sicuro.',
  'notification.attachment':
    'Il messaggio si trova nel file allegato secure-message.html. Questa e-mail non contiene nulla del suo contenuto.',
  'notification.how-to': 'Per leggere il messaggio:',
  'notification.step-open':
    'Salvi l’allegato secure-message.html e lo apra in un browser web, ad esempio con un doppio clic.',
  'notification.factor.code':
    'Inserisca il codice di accesso che {name} le comunica separatamente, per telefono o per lettera. Il codice non viene mai inviato via e-mail.',
  'notification.factor.org-code':
    'Inserisca il codice di accesso della sua organizzazione, ricevuto separatamente.',
  'notification.factor.sms': 'Richieda un codice via SMS al suo cellulare e lo inserisca.',
  'notification.factor.email': 'Richieda un codice via e-mail al suo indirizzo e lo inserisca.',
  'notification.factor.account':
    'Si apre con il suo account Sealpost o con la sua chiave OpenPGP; non serve alcun codice.',
  'notification.factor.choice':
    'Confermi poi in uno di questi modi che il messaggio è destinato a lei:',
  'notification.link': 'Può anche aprire il messaggio online:',
};
