import { readerCatalog } from './readerCatalog.ts';
import type { NotificationCatalog, ReaderCatalog, ReaderTexts } from './types.ts';

/** Italian, formal address (Lei), in the current lower-case style. */
export const itReader: ReaderCatalog = readerCatalog('Italiano', {
  title: 'Messaggio sicuro',
  language: 'Lingua',
  'from-sender': 'Messaggio sicuro da',
  template: {
    title: 'Questo è il modello vuoto del lettore di messaggi sicuri',
    body: 'Questo file non contiene alcun messaggio. Apra il secure-message.html allegato all’e-mail ricevuta.',
  },
  factor: {
    code: 'Inserisca il codice di accesso che {name} le ha comunicato separatamente, ad esempio per telefono o per lettera.',
    'org-code': 'Inserisca il codice di accesso della sua organizzazione, ricevuto separatamente.',
    sms: 'Le serve un codice inviato via SMS al suo cellulare.',
    email: 'Le serve un codice inviato al suo indirizzo e-mail.',
    account: 'Apra questo messaggio con il suo account Sealpost o con la sua chiave OpenPGP.',
  },
  'method-unavailable':
    'Questo file non può aprire il messaggio. Chieda a {name} di inviarlo di nuovo con un codice di accesso.',
  code: {
    label: 'Codice di accesso',
  },
  unlock: 'Apri messaggio',
  unlocking: 'Apertura del messaggio…',
  'opening-progress': 'Apertura del messaggio… {percent}',
  error: {
    title: 'Impossibile aprire il messaggio',
    'empty-code': 'Inserisca il codice di accesso.',
    'wrong-code': 'Questo codice di accesso non apre il messaggio. Lo controlli e riprovi.',
    damaged:
      'Questo file è danneggiato o incompleto. Chieda al mittente di inviare di nuovo il messaggio.',
    unsupported:
      'Questo lettore non supporta il formato del messaggio. Chieda al mittente di inviarlo di nuovo con un Sealpost aggiornato.',
    'too-large': 'Questo messaggio è troppo grande per essere aperto nel browser.',
    'attempts-left': 'Codice errato. Tentativi rimasti: {count}.',
    'rate-limited': 'Attenda {seconds} secondi e riprovi.',
    'code-expired': 'Il codice è scaduto. Ne richieda uno nuovo.',
    'not-recipient': 'Questo messaggio non è stato inviato a questo indirizzo.',
    'start-again': 'Questo passaggio è scaduto. Scriva di nuovo il suo indirizzo.',
    unavailable: 'Il server non è raggiungibile. Riprovi più tardi.',
    locked:
      'Troppi codici errati: il messaggio è bloccato per un po’. Riprovi più tardi (da 15 minuti in poi). Il mittente è stato avvisato.',
    expired: 'Questo messaggio è scaduto.',
    revoked: 'Il mittente ha revocato questo messaggio.',
    link: 'Questo link è incompleto.',
    'not-hosted':
      'Questo messaggio non è (ancora) sul server. Riprovi più tardi o chieda al mittente di inviarlo di nuovo.',
  },
  payload: {
    downloading: 'Download del messaggio in corso',
    progress: '{percent} ({received} di {total})',
    ready: 'Messaggio scaricato ({size}).',
  },
  address: 'Il suo indirizzo e-mail',
  next: 'Continua',
  sent: 'Codice inviato a {to}.',
  resend: 'Invia di nuovo',
  'no-code': {
    button: 'Non ho il codice',
    told: '{name} è stato avvisato che non ha il codice e la contatterà.',
  },
  device: {
    remember: 'Ricorda questo browser per {days} giorni',
    'remember-note':
      'I messaggi di questa organizzazione si apriranno qui senza codice. Solo su un dispositivo che usa solo lei; riceverà un’e-mail al riguardo.',
    opened: 'Aperto senza codice: questo browser è ricordato per {address} fino al {date}.',
    forget: 'Dimentica questo browser',
    forgotten: 'Questo browser è stato dimenticato. La prossima volta servirà un codice.',
  },
  subject: 'Oggetto',
  from: 'Da',
  to: 'A',
  cc: 'Cc',
  date: 'Data',
  'no-subject': '(nessun oggetto)',
  'empty-body': '(Questo messaggio non contiene testo.)',
  'html-note': 'I contenuti da Internet sono bloccati in questo messaggio.',
  attachments: 'Allegati',
  download: 'Scarica',
  'download-named': 'Scarica {name}',
  'local-note': 'Decifrato su questo dispositivo. Il contenuto non è stato inviato altrove.',
  reply: {
    button: 'Rispondi in modo sicuro',
    heading: 'La sua risposta sicura',
    address: 'Il suo indirizzo email',
    text: 'La sua risposta',
    files: 'Allega file',
    limit: 'Fino a {size} in tutto.',
    send: 'Invia risposta sicura',
    sending: 'La risposta viene sigillata e inviata …',
    sent: 'La sua risposta è stata inviata a {to}, sigillata con la sua chiave, con {count} allegato/i. Solo questa persona può aprirla.',
    file: 'Salva risposta sicura',
    offline:
      'Questo messaggio è arrivato senza server, quindi la risposta viene salvata come file. Alleghi secure-reply.html a una normale risposta a {to}: solo questa persona può aprirla.',
    'too-large': 'La risposta supera {size}. Tolga alcuni allegati.',
    failed: 'Non è stato possibile inviare la risposta. Riprovi più tardi.',
    'no-key':
      'Non è possibile rispondere in modo sicuro a questo messaggio (la chiave del mittente manca o non corrisponde).',
    'no-address': 'Inserisca il suo indirizzo email.',
  },
} satisfies ReaderTexts);

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
  'notification.attachment-link':
    'Il messaggio la attende sul server Sealpost sicuro del mittente fino alla scadenza. Questa email non contiene nulla del suo contenuto.',
  'notification.step-open-link': 'Apra il link qui sotto in un browser web.',
  'notification.link-main': 'Il messaggio:',
  'notification.file-link':
    'Questo file contiene solo i dati di chiave di un messaggio sicuro, non il suo contenuto. Apra il messaggio qui:',
};
