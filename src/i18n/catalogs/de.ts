import type { NotificationCatalog, ReaderCatalog } from './types.ts';

/** German, formal address (Sie). */
export const deReader: ReaderCatalog = {
  'language.name': 'Deutsch',

  'reader.title': 'Sichere Nachricht',
  'reader.language': 'Sprache',
  'reader.from-sender': 'Sichere Nachricht von',
  'reader.template.title': 'Dies ist die leere Vorlage für sichere Nachrichten',
  'reader.template.body':
    'Diese Datei enthält keine Nachricht. Öffnen Sie stattdessen die Datei secure-message.html, die an die erhaltene E-Mail angehängt ist.',
  'reader.factor.code':
    'Geben Sie den Zugangscode ein, den Ihnen {name} separat mitgeteilt hat, zum Beispiel per Telefon oder Brief.',
  'reader.factor.org-code':
    'Geben Sie den Zugangscode Ihrer Organisation ein, den Sie separat erhalten haben.',
  'reader.factor.sms': 'Sie benötigen einen Code, der per SMS an Ihr Mobiltelefon gesendet wird.',
  'reader.factor.email': 'Sie benötigen einen Code, der an Ihre E-Mail-Adresse gesendet wird.',
  'reader.factor.account':
    'Öffnen Sie diese Nachricht mit Ihrem Sealpost-Konto oder Ihrem eigenen OpenPGP-Schlüssel.',
  'reader.method-unavailable':
    'Diese Datei kann die Nachricht nicht allein öffnen. Bitten Sie {name}, sie erneut mit einem Zugangscode zu senden.',
  'reader.code.label': 'Zugangscode',
  'reader.unlock': 'Nachricht öffnen',
  'reader.unlocking': 'Der Code wird geprüft und die Nachricht geöffnet …',
  'reader.error.title': 'Die Nachricht kann nicht geöffnet werden',
  'reader.error.empty-code': 'Bitte geben Sie den Zugangscode ein.',
  'reader.error.wrong-code':
    'Mit diesem Zugangscode lässt sich die Nachricht nicht öffnen. Prüfen Sie ihn und versuchen Sie es erneut.',
  'reader.error.damaged':
    'Diese Datei ist beschädigt oder unvollständig. Bitten Sie den Absender, die Nachricht erneut zu senden.',
  'reader.error.unsupported':
    'Diese Nachricht verwendet ein Format, das hier nicht unterstützt wird. Bitten Sie den Absender, sie mit einer aktuellen Sealpost-Version erneut zu senden.',
  'reader.error.too-large': 'Diese Nachricht ist zu groß, um im Browser geöffnet zu werden.',
  'reader.subject': 'Betreff',
  'reader.from': 'Von',
  'reader.to': 'An',
  'reader.cc': 'Cc',
  'reader.date': 'Datum',
  'reader.no-subject': '(kein Betreff)',
  'reader.empty-body': '(Diese Nachricht enthält keinen Text.)',
  'reader.html-note':
    'Bilder und andere Inhalte aus dem Internet werden in dieser Nachricht blockiert.',
  'reader.attachments': 'Anhänge',
  'reader.download': 'Herunterladen',
  'reader.download-named': '{name} herunterladen',
  'reader.local-note':
    'Die Nachricht wurde auf diesem Gerät entschlüsselt. Es wurde nichts über das Internet gesendet.',
};

export const deNotification: NotificationCatalog = {
  'notification.subject': 'Sichere Nachricht',
  'notification.intro': '{sender} hat Ihnen eine sichere Nachricht gesendet.',
  'notification.attachment':
    'Die Nachricht befindet sich in der angehängten Datei secure-message.html. Diese E-Mail selbst enthält nichts von ihrem Inhalt.',
  'notification.how-to': 'So lesen Sie die Nachricht:',
  'notification.step-open':
    'Speichern Sie den Anhang secure-message.html und öffnen Sie ihn in einem Webbrowser, zum Beispiel per Doppelklick.',
  'notification.factor.code':
    'Geben Sie den Zugangscode ein, den Ihnen {name} separat mitteilt, per Telefon oder per Brief. Der Code wird nie per E-Mail gesendet.',
  'notification.factor.org-code':
    'Geben Sie den Zugangscode Ihrer Organisation ein, den Sie separat erhalten haben.',
  'notification.factor.sms':
    'Fordern Sie einen Code per SMS an Ihr Mobiltelefon an und geben Sie ihn ein.',
  'notification.factor.email':
    'Fordern Sie einen Code per E-Mail an Ihre Adresse an und geben Sie ihn ein.',
  'notification.factor.account':
    'Sie öffnen sie mit Ihrem Sealpost-Konto oder Ihrem eigenen OpenPGP-Schlüssel; ein Code ist nicht nötig.',
  'notification.factor.choice':
    'Bestätigen Sie dann auf eine dieser Arten, dass die Nachricht für Sie bestimmt ist:',
  'notification.link': 'Sie können die Nachricht auch online öffnen:',
};
