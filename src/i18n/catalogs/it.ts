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
    'code-digits': 'Il codice ha {count} cifre.',
    'empty-address': 'Inserisca il suo indirizzo email.',
    'invalid-address': 'Controlli il suo indirizzo email: ha la forma nome@example.org.',
    rejected: 'Il server non ha accettato quanto inserito. Lo controlli e riprovi.',
    'server-error': 'Il server non può farlo in questo momento. Riprovi tra qualche minuto.',
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
  help: {
    link: 'Aiuto sui messaggi sicuri',
    title: 'Questo messaggio è autentico?',
    body: 'Non le viene mai chiesta la password della sua casella di posta, solo il codice di accesso che {name} le dà separatamente. In caso di dubbio, contatti {name} in un modo che già conosce, ad esempio per telefono, non rispondendo all’e-mail.',
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
  'notification.intro-org': '{sender}, di {organisation}, le ha inviato un messaggio sicuro.',
  'notification.no-content':
    'Questa e-mail non contiene nulla del contenuto del messaggio: lo legge su una pagina sicura.',
  'notification.fallback':
    'Se il link non funziona: il messaggio si trova anche nel file allegato secure-message.html. Lo salvi e lo apra in un browser web.',
  'notification.check': 'Come verificare che questa e-mail sia autentica:',
  'notification.check-link-org': 'Il link porta a {host}, il server di {organisation}.',
  'notification.check-link': 'Il link porta a {host}, il server sicuro del mittente.',
  'notification.check-password':
    'Non le verrà mai chiesta la password della sua casella di posta né dati di pagamento.',
  'notification.check-contact':
    'In caso di dubbio, contatti il mittente in un modo che già conosce, ad esempio per telefono, non rispondendo all’e-mail.',
  'notification.help-link': 'Aiuto sui messaggi sicuri:',
  'notification.help.title': 'Messaggi sicuri da {organisation}',
  'notification.help.intro':
    '{organisation} usa Sealpost per inviare e-mail che solo lei può leggere. L’e-mail che riceve non contiene nulla del contenuto: le spiega come aprire il messaggio.',
  'notification.help.open-heading': 'Come aprire un messaggio',
  'notification.help.open':
    'Apra il link dell’e-mail in un browser web. Se l’e-mail contiene il file secure-message.html, può anche salvarlo e aprirlo in un browser web. Confermi poi, come descritto nell’e-mail, che il messaggio è destinato a lei: con un codice di accesso che il mittente le dà separatamente, o con un codice inviato al suo cellulare o al suo indirizzo e-mail.',
  'notification.help.check-heading': 'È autentico?',
  'notification.help.trouble-heading': 'Se non si apre',
  'notification.help.trouble':
    'Un codice è scaduto: ne richieda uno nuovo nella pagina. Non è arrivato alcun codice: controlli la cartella spam, oppure scelga «{button}» nella pagina e il mittente verrà avvisato. Il messaggio è scaduto o è stato revocato: chieda al mittente di inviarlo di nuovo.',
};
