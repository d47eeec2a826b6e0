import { readerCatalog } from './readerCatalog.ts';
import type { NotificationCatalog, ReaderCatalog, ReaderTexts } from './types.ts';

/** Dutch, formal address (u). */
export const nlReader: ReaderCatalog = readerCatalog('Nederlands', {
  title: 'Beveiligd bericht',
  language: 'Taal',
  'from-sender': 'Beveiligd bericht van',
  template: {
    title: 'Dit is het lege sjabloon voor beveiligde berichten',
    body: 'Dit bestand bevat geen bericht. Open de secure-message.html uit de ontvangen e-mail.',
  },
  factor: {
    code: 'Voer de toegangscode in die {name} u apart heeft gegeven, bijvoorbeeld telefonisch of per brief.',
    'org-code': 'Voer de toegangscode van uw organisatie in, die u apart hebt ontvangen.',
    sms: 'U hebt een code per sms op uw mobiele telefoon nodig.',
    email: 'U hebt een code op uw e-mailadres nodig.',
    account: 'Open dit bericht met uw Sealpost-account of uw eigen OpenPGP-sleutel.',
  },
  'method-unavailable':
    'Dit bestand kan het bericht niet openen. Vraag {name} het opnieuw te sturen met een toegangscode.',
  code: {
    label: 'Toegangscode',
  },
  unlock: 'Bericht openen',
  unlocking: 'Het bericht wordt geopend…',
  'opening-progress': 'Het bericht wordt geopend… {percent}',
  error: {
    title: 'Het bericht kan niet worden geopend',
    'empty-code': 'Voer de toegangscode in.',
    'code-digits': 'De code heeft {count} cijfers.',
    'empty-address': 'Vul uw e-mailadres in.',
    'invalid-address': 'Controleer uw e-mailadres: het ziet eruit als naam@example.org.',
    rejected: 'De server heeft de invoer niet aangenomen. Controleer hem en probeer het opnieuw.',
    'server-error':
      'De server kan dit nu niet uitvoeren. Probeer het over een paar minuten opnieuw.',
    'wrong-code':
      'Deze toegangscode opent het bericht niet. Controleer de code en probeer het opnieuw.',
    damaged:
      'Dit bestand is beschadigd of onvolledig. Vraag de afzender het bericht opnieuw te versturen.',
    unsupported:
      'Deze lezer ondersteunt de indeling van dit bericht niet. Vraag de afzender het opnieuw te sturen met een actuele Sealpost.',
    'too-large': 'Dit bericht is te groot om in de browser te openen.',
    'attempts-left': 'Onjuiste code. Resterende pogingen: {count}.',
    'rate-limited': 'Wacht {seconds} seconden en probeer het dan opnieuw.',
    'code-expired': 'De code is verlopen. Vraag een nieuwe aan.',
    'not-recipient': 'Dit bericht is niet naar dit adres gestuurd.',
    'start-again': 'Deze stap is verlopen. Typ uw adres opnieuw.',
    unavailable: 'De server is niet bereikbaar. Probeer het later opnieuw.',
    locked:
      'Te veel onjuiste codes: het bericht is een tijd geblokkeerd. Probeer het later opnieuw (vanaf 15 minuten). De afzender is ingelicht.',
    expired: 'Dit bericht is verlopen.',
    revoked: 'De afzender heeft dit bericht ingetrokken.',
    link: 'Deze link is onvolledig.',
    'not-hosted':
      'Dit bericht staat (nog) niet op de server. Probeer het later opnieuw of vraag de afzender het opnieuw te sturen.',
  },
  payload: {
    downloading: 'Het bericht wordt gedownload',
    progress: '{percent} ({received} van {total})',
    ready: 'Bericht gedownload ({size}).',
  },
  address: 'Uw e-mailadres',
  next: 'Verder',
  sent: 'Code gestuurd naar {to}.',
  resend: 'Opnieuw sturen',
  'no-code': {
    button: 'Ik heb de code niet',
    told: '{name} weet nu dat u de code niet hebt en neemt contact met u op.',
  },
  device: {
    remember: 'Deze browser {days} dagen onthouden',
    'remember-note':
      'Berichten van deze organisatie openen hier dan zonder code. Alleen op een apparaat dat alleen u gebruikt; u krijgt hierover een e-mail.',
    opened: 'Geopend zonder code: deze browser is onthouden voor {address} tot {date}.',
    forget: 'Deze browser vergeten',
    forgotten: 'Deze browser is vergeten. De volgende keer hebt u een code nodig.',
  },
  help: {
    link: 'Hulp bij beveiligde berichten',
    title: 'Is dit bericht echt?',
    body: 'U wordt nooit om het wachtwoord van uw mailbox gevraagd, alleen om de toegangscode die {name} u apart geeft. Twijfelt u? Neem contact op met {name} via een weg die u al kent, bijvoorbeeld telefonisch, niet door op de e-mail te antwoorden.',
  },
  subject: 'Onderwerp',
  from: 'Van',
  to: 'Aan',
  cc: 'Cc',
  date: 'Datum',
  'no-subject': '(geen onderwerp)',
  'empty-body': '(Dit bericht bevat geen tekst.)',
  'html-note': 'Inhoud van internet wordt in dit bericht geblokkeerd.',
  attachments: 'Bijlagen',
  download: 'Downloaden',
  'download-named': '{name} downloaden',
  'local-note': 'Op dit apparaat ontsleuteld. De inhoud is nergens heen gestuurd.',
  reply: {
    button: 'Veilig antwoorden',
    heading: 'Uw veilige antwoord',
    address: 'Uw e-mailadres',
    text: 'Uw antwoord',
    files: 'Bestanden bijvoegen',
    limit: 'In totaal tot {size}.',
    send: 'Veilig antwoord versturen',
    sending: 'Uw antwoord wordt verzegeld en verstuurd …',
    sent: 'Uw antwoord is naar {to} gestuurd, verzegeld met hun sleutel, met {count} bijlage(n). Alleen zij kunnen het openen.',
    file: 'Veilig antwoord opslaan',
    offline:
      'Dit bericht kwam zonder server, dus uw antwoord wordt als bestand opgeslagen. Voeg secure-reply.html toe aan een gewoon antwoord aan {to}: alleen zij kunnen het openen.',
    'too-large': 'Uw antwoord is groter dan {size}. Laat enkele bijlagen weg.',
    failed: 'Uw antwoord kon niet worden verstuurd. Probeer het later opnieuw.',
    'no-key':
      'Op dit bericht kan niet veilig worden geantwoord (de sleutel van de afzender ontbreekt of klopt niet).',
  },
} satisfies ReaderTexts);

export const nlNotification: NotificationCatalog = {
  'notification.subject': 'Beveiligd bericht',
  'notification.intro': '{sender} heeft u een beveiligd bericht gestuurd.',
  'notification.attachment':
    'Het bericht staat in het bijgevoegde bestand secure-message.html. Deze e-mail zelf bevat niets van de inhoud.',
  'notification.how-to': 'Zo leest u het bericht:',
  'notification.step-open':
    'Sla de bijlage secure-message.html op en open deze in een webbrowser, bijvoorbeeld door erop te dubbelklikken.',
  'notification.factor.code':
    'Voer de toegangscode in die {name} u apart geeft, telefonisch of per brief. De code wordt nooit per e-mail verstuurd.',
  'notification.factor.org-code':
    'Voer de toegangscode van uw organisatie in, die u apart hebt ontvangen.',
  'notification.factor.sms': 'Vraag een code aan per sms naar uw mobiele telefoon en voer deze in.',
  'notification.factor.email': 'Vraag een code aan per e-mail naar uw adres en voer deze in.',
  'notification.factor.account':
    'Het bericht opent met uw Sealpost-account of uw eigen OpenPGP-sleutel; er is geen code nodig.',
  'notification.factor.choice':
    'Bevestig daarna op een van deze manieren dat het bericht voor u bestemd is:',
  'notification.link': 'U kunt het bericht ook online openen:',
  'notification.attachment-link':
    'Het bericht staat tot het verloopt voor u klaar op de beveiligde Sealpost-server van de afzender. Deze e-mail zelf bevat niets van de inhoud.',
  'notification.step-open-link': 'Open de link hieronder in een webbrowser.',
  'notification.link-main': 'Het bericht:',
  'notification.file-link':
    'Dit bestand bevat alleen de sleutelgegevens van een beveiligd bericht, niet de inhoud. Open het bericht hier:',
  'notification.intro-org': '{sender} van {organisation} heeft u een beveiligd bericht gestuurd.',
  'notification.no-content':
    'Deze e-mail zelf bevat niets van de inhoud van het bericht: u leest het op een beveiligde pagina.',
  'notification.fallback':
    'Werkt de link niet? Het bericht staat ook in het bijgevoegde bestand secure-message.html. Sla het op en open het in een webbrowser.',
  'notification.check': 'Zo ziet u dat deze e-mail echt is:',
  'notification.check-link-org': 'De link gaat naar {host}, de server van {organisation}.',
  'notification.check-link': 'De link gaat naar {host}, de beveiligde server van de afzender.',
  'notification.check-password':
    'U wordt nooit gevraagd om het wachtwoord van uw mailbox of om betaalgegevens.',
  'notification.check-contact':
    'Twijfelt u? Neem contact op met de afzender via een weg die u al kent, bijvoorbeeld telefonisch, niet door op de e-mail te antwoorden.',
  'notification.help-link': 'Hulp bij beveiligde berichten:',
  'notification.help.title': 'Beveiligde berichten van {organisation}',
  'notification.help.intro':
    '{organisation} gebruikt Sealpost om e-mail te sturen die alleen u kunt lezen. De e-mail die u krijgt bevat niets van de inhoud: hij vertelt hoe u het bericht opent.',
  'notification.help.open-heading': 'Zo opent u een bericht',
  'notification.help.open':
    'Open de link uit de e-mail in een webbrowser. Zat het bestand secure-message.html bij de e-mail, dan kunt u ook dat opslaan en in een webbrowser openen. Bevestig daarna, zoals de e-mail beschrijft, dat het bericht voor u bestemd is: met een toegangscode die de afzender u apart geeft, of met een code naar uw mobiele telefoon of e-mailadres.',
  'notification.help.check-heading': 'Is het echt?',
  'notification.help.trouble-heading': 'Als het niet opent',
  'notification.help.trouble':
    'Een code is verlopen: vraag op de pagina een nieuwe aan. Er kwam geen code: kijk in uw spammap, of kies op de pagina "{button}"; dan krijgt de afzender bericht. Het bericht is verlopen of ingetrokken: vraag de afzender het opnieuw te sturen.',
};
