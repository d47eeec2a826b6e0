import type { NotificationCatalog, ReaderCatalog } from './types.ts';

/** Dutch, formal address (u). */
export const nlReader: ReaderCatalog = {
  'language.name': 'Nederlands',

  'reader.title': 'Beveiligd bericht',
  'reader.language': 'Taal',
  'reader.from-sender': 'Beveiligd bericht van',
  'reader.template.title': 'Dit is het lege sjabloon voor beveiligde berichten',
  'reader.template.body':
    'Dit bestand bevat geen bericht. Open in plaats daarvan het bestand secure-message.html dat als bijlage bij de ontvangen e-mail zit.',
  'reader.factor.code':
    'Voer de toegangscode in die {name} u apart heeft gegeven, bijvoorbeeld telefonisch of per brief.',
  'reader.factor.org-code':
    'Voer de toegangscode van uw organisatie in, die u apart hebt ontvangen.',
  'reader.factor.sms': 'U hebt een code nodig die per sms naar uw mobiele telefoon wordt gestuurd.',
  'reader.factor.email': 'U hebt een code nodig die naar uw e-mailadres wordt gestuurd.',
  'reader.factor.account': 'Open dit bericht met uw Sealpost-account of uw eigen OpenPGP-sleutel.',
  'reader.method-unavailable':
    'Dit bestand kan het bericht niet zelfstandig openen. Vraag {name} het opnieuw te versturen met een toegangscode.',
  'reader.code.label': 'Toegangscode',
  'reader.unlock': 'Bericht openen',
  'reader.unlocking': 'De code wordt gecontroleerd en het bericht wordt geopend…',
  'reader.error.title': 'Het bericht kan niet worden geopend',
  'reader.error.empty-code': 'Voer de toegangscode in.',
  'reader.error.wrong-code':
    'Met deze toegangscode kan het bericht niet worden geopend. Controleer de code en probeer het opnieuw.',
  'reader.error.damaged':
    'Dit bestand is beschadigd of onvolledig. Vraag de afzender het bericht opnieuw te versturen.',
  'reader.error.unsupported':
    'Dit bericht gebruikt een indeling die hier niet wordt ondersteund. Vraag de afzender het opnieuw te versturen met een actuele versie van Sealpost.',
  'reader.error.too-large': 'Dit bericht is te groot om in de browser te openen.',
  'reader.subject': 'Onderwerp',
  'reader.from': 'Van',
  'reader.to': 'Aan',
  'reader.cc': 'Cc',
  'reader.date': 'Datum',
  'reader.no-subject': '(geen onderwerp)',
  'reader.empty-body': '(Dit bericht bevat geen tekst.)',
  'reader.html-note':
    'Afbeeldingen en andere inhoud van internet worden in dit bericht geblokkeerd.',
  'reader.attachments': 'Bijlagen',
  'reader.download': 'Downloaden',
  'reader.download-named': '{name} downloaden',
  'reader.local-note':
    'Het bericht is op dit apparaat ontsleuteld. Er is niets via internet verstuurd.',
};

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
};
