import { readerCatalog } from './readerCatalog.ts';
import type { NotificationCatalog, ReaderCatalog, ReaderTexts } from './types.ts';

/** German, formal address (Sie). */
export const deReader: ReaderCatalog = readerCatalog('Deutsch', {
  title: 'Sichere Nachricht',
  language: 'Sprache',
  'from-sender': 'Sichere Nachricht von',
  template: {
    title: 'Dies ist die leere Vorlage für sichere Nachrichten',
    body: 'Diese Datei enthält keine Nachricht. Öffnen Sie die secure-message.html aus der erhaltenen E-Mail.',
  },
  factor: {
    code: 'Geben Sie den Zugangscode ein, den Ihnen {name} separat mitgeteilt hat, zum Beispiel per Telefon oder Brief.',
    'org-code': 'Geben Sie den Zugangscode Ihrer Organisation ein, den Sie separat erhalten haben.',
    sms: 'Sie benötigen einen Code per SMS an Ihr Mobiltelefon.',
    email: 'Sie benötigen einen Code an Ihre E-Mail-Adresse.',
    account:
      'Öffnen Sie diese Nachricht mit Ihrem Sealpost-Konto oder Ihrem eigenen OpenPGP-Schlüssel.',
  },
  'method-unavailable':
    'Diese Datei kann die Nachricht nicht öffnen. Bitten Sie {name}, sie mit einem Zugangscode erneut zu senden.',
  code: {
    label: 'Zugangscode',
  },
  unlock: 'Nachricht öffnen',
  unlocking: 'Die Nachricht wird geöffnet …',
  'opening-progress': 'Die Nachricht wird geöffnet … {percent}',
  error: {
    title: 'Die Nachricht kann nicht geöffnet werden',
    'empty-code': 'Bitte geben Sie den Zugangscode ein.',
    'code-digits': 'Der Code hat {count} Ziffern.',
    'empty-address': 'Bitte geben Sie Ihre E-Mail-Adresse ein.',
    'invalid-address': 'Prüfen Sie Ihre E-Mail-Adresse: Sie sieht aus wie name@example.org.',
    rejected:
      'Der Server hat die Eingabe nicht angenommen. Prüfen Sie sie und versuchen Sie es erneut.',
    'server-error':
      'Der Server kann das gerade nicht erledigen. Versuchen Sie es in ein paar Minuten erneut.',
    'wrong-code':
      'Dieser Zugangscode öffnet die Nachricht nicht. Prüfen Sie ihn und versuchen Sie es erneut.',
    damaged:
      'Diese Datei ist beschädigt oder unvollständig. Bitten Sie den Absender, die Nachricht erneut zu senden.',
    unsupported:
      'Dieses Nachrichtenformat wird hier nicht unterstützt. Bitten Sie den Absender, sie mit aktuellem Sealpost erneut zu senden.',
    'too-large': 'Diese Nachricht ist zu groß, um im Browser geöffnet zu werden.',
    'attempts-left': 'Falscher Code. Verbleibende Versuche: {count}.',
    'rate-limited': 'Warten Sie {seconds} Sekunden und versuchen Sie es dann erneut.',
    'code-expired': 'Der Code ist abgelaufen. Fordern Sie einen neuen an.',
    'not-recipient': 'Diese Nachricht wurde nicht an diese Adresse gesendet.',
    'start-again': 'Dieser Schritt ist abgelaufen. Geben Sie Ihre Adresse erneut ein.',
    unavailable: 'Der Server ist nicht erreichbar. Versuchen Sie es später erneut.',
    locked:
      'Zu viele falsche Codes: Die Nachricht ist vorübergehend gesperrt. Versuchen Sie es später erneut (ab 15 Minuten). Der Absender wurde informiert.',
    expired: 'Diese Nachricht ist abgelaufen.',
    revoked: 'Der Absender hat diese Nachricht zurückgezogen.',
    link: 'Dieser Link ist unvollständig.',
    'not-hosted':
      'Diese Nachricht liegt (noch) nicht auf dem Server. Versuchen Sie es später erneut oder bitten Sie den Absender, sie noch einmal zu senden.',
  },
  payload: {
    downloading: 'Die Nachricht wird heruntergeladen',
    progress: '{percent} ({received} von {total})',
    ready: 'Nachricht heruntergeladen ({size}).',
  },
  address: 'Ihre E-Mail-Adresse',
  next: 'Weiter',
  sent: 'Code an {to} gesendet.',
  resend: 'Erneut senden',
  'no-code': {
    button: 'Ich habe keinen Code',
    told: '{name} wurde informiert, dass Ihnen der Code fehlt, und meldet sich bei Ihnen.',
  },
  device: {
    remember: 'Diesen Browser {days} Tage lang merken',
    'remember-note':
      'Nachrichten dieser Organisation öffnen sich hier dann ohne Code. Nur auf einem Gerät, das nur Sie nutzen; Sie erhalten dazu eine E-Mail.',
    opened: 'Ohne Code geöffnet: Dieser Browser ist für {address} gemerkt bis {date}.',
    forget: 'Diesen Browser vergessen',
    forgotten: 'Dieser Browser ist vergessen. Beim nächsten Mal brauchen Sie einen Code.',
  },
  help: {
    link: 'Hilfe zu sicheren Nachrichten',
    title: 'Ist diese Nachricht echt?',
    body: 'Sie werden nie nach dem Passwort Ihres Postfachs gefragt, nur nach dem Zugangscode, den {name} Ihnen separat gibt. Im Zweifel wenden Sie sich auf einem Weg an {name}, den Sie schon kennen, zum Beispiel per Telefon, nicht per Antwort auf die E-Mail.',
  },
  subject: 'Betreff',
  from: 'Von',
  to: 'An',
  cc: 'Cc',
  date: 'Datum',
  'no-subject': '(kein Betreff)',
  'empty-body': '(Diese Nachricht enthält keinen Text.)',
  'html-note': 'Inhalte aus dem Internet werden in dieser Nachricht blockiert.',
  attachments: 'Anhänge',
  download: 'Herunterladen',
  'download-named': '{name} herunterladen',
  'local-note': 'Auf diesem Gerät entschlüsselt. Der Inhalt wurde nirgendwohin gesendet.',
  reply: {
    button: 'Sicher antworten',
    heading: 'Ihre sichere Antwort',
    address: 'Ihre E-Mail-Adresse',
    text: 'Ihre Antwort',
    files: 'Dateien anhängen',
    limit: 'Insgesamt bis zu {size}.',
    send: 'Sichere Antwort senden',
    sending: 'Ihre Antwort wird versiegelt und gesendet …',
    sent: 'Ihre Antwort ging an {to}, versiegelt mit deren Schlüssel, mit {count} Anhang/Anhängen. Nur diese Person kann sie öffnen.',
    file: 'Sichere Antwort speichern',
    offline:
      'Diese Nachricht kam ohne Server, daher wird Ihre Antwort als Datei gespeichert. Hängen Sie secure-reply.html an eine normale Antwort an {to} an: Nur diese Person kann sie öffnen.',
    'too-large': 'Ihre Antwort ist größer als {size}. Lassen Sie einige Anhänge weg.',
    failed: 'Ihre Antwort konnte nicht gesendet werden. Versuchen Sie es später erneut.',
    'no-key':
      'Auf diese Nachricht kann nicht sicher geantwortet werden (der Schlüssel des Absenders fehlt oder passt nicht).',
  },
} satisfies ReaderTexts);

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
  'notification.attachment-link':
    'Die Nachricht liegt bis zu ihrem Ablauf für Sie auf dem sicheren Sealpost-Server des Absenders. Diese E-Mail selbst enthält nichts von ihrem Inhalt.',
  'notification.step-open-link': 'Öffnen Sie den Link unten in einem Webbrowser.',
  'notification.link-main': 'Die Nachricht:',
  'notification.file-link':
    'Diese Datei enthält nur die Schlüsselangaben einer sicheren Nachricht, nicht ihren Inhalt. Öffnen Sie die Nachricht hier:',
  'notification.intro-org':
    '{sender} von {organisation} hat Ihnen eine sichere Nachricht gesendet.',
  'notification.no-content':
    'Diese E-Mail selbst enthält nichts vom Inhalt der Nachricht: Sie lesen sie auf einer sicheren Seite.',
  'notification.fallback':
    'Falls der Link nicht funktioniert: Die Nachricht befindet sich auch in der angehängten Datei secure-message.html. Speichern Sie sie und öffnen Sie sie in einem Webbrowser.',
  'notification.check': 'So erkennen Sie, dass diese E-Mail echt ist:',
  'notification.check-link-org': 'Der Link führt zu {host}, dem Server von {organisation}.',
  'notification.check-link': 'Der Link führt zu {host}, dem sicheren Server des Absenders.',
  'notification.check-password':
    'Sie werden nie nach dem Passwort Ihres Postfachs oder nach Zahlungsdaten gefragt.',
  'notification.check-contact':
    'Im Zweifel wenden Sie sich auf einem Weg an den Absender, den Sie schon kennen, zum Beispiel per Telefon, nicht per Antwort auf die E-Mail.',
  'notification.help-link': 'Hilfe zu sicheren Nachrichten:',
  'notification.help.title': 'Sichere Nachrichten von {organisation}',
  'notification.help.intro':
    '{organisation} verwendet Sealpost, um E-Mails zu senden, die nur Sie lesen können. Die E-Mail, die Sie erhalten, enthält nichts vom Inhalt: Sie sagt Ihnen, wie Sie die Nachricht öffnen.',
  'notification.help.open-heading': 'So öffnen Sie eine Nachricht',
  'notification.help.open':
    'Öffnen Sie den Link aus der E-Mail in einem Webbrowser. Wenn der E-Mail die Datei secure-message.html beiliegt, können Sie auch diese speichern und in einem Webbrowser öffnen. Bestätigen Sie dann wie in der E-Mail beschrieben, dass die Nachricht für Sie bestimmt ist: mit einem Zugangscode, den Ihnen der Absender separat gibt, oder mit einem Code an Ihr Mobiltelefon oder Ihre E-Mail-Adresse.',
  'notification.help.check-heading': 'Ist sie echt?',
  'notification.help.trouble-heading': 'Wenn sie sich nicht öffnet',
  'notification.help.trouble':
    'Ein Code ist abgelaufen: Fordern Sie auf der Seite einen neuen an. Es kam kein Code: Sehen Sie im Spam-Ordner nach oder wählen Sie auf der Seite „{button}“; dann wird der Absender benachrichtigt. Die Nachricht ist abgelaufen oder wurde zurückgezogen: Bitten Sie den Absender, sie erneut zu senden.',
};
