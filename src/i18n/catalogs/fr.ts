import { readerCatalog } from './readerCatalog.ts';
import type { NotificationCatalog, ReaderCatalog, ReaderTexts } from './types.ts';

/**
 * French, formal address (vous). A no-break space (U+00A0) precedes `:` and `;` as French
 * typography wants, and keeps the line wrapper from leaving the sign alone on a line.
 */
export const frReader: ReaderCatalog = readerCatalog('Français', {
  title: 'Message sécurisé',
  language: 'Langue',
  'from-sender': 'Message sécurisé de',
  template: {
    title: 'Ceci est le modèle vide du lecteur de messages sécurisés',
    body: 'Ce fichier ne contient aucun message. Ouvrez le secure-message.html joint à l’e-mail reçu.',
  },
  factor: {
    code: 'Saisissez le code d’accès communiqué séparément par {name}, par exemple par téléphone ou par courrier.',
    'org-code': 'Saisissez le code d’accès de votre organisation, que vous avez reçu séparément.',
    sms: 'Il vous faut un code envoyé par SMS sur votre portable.',
    email: 'Il vous faut un code envoyé à votre adresse e-mail.',
    account: 'Ouvrez ce message avec votre compte Sealpost ou votre propre clé OpenPGP.',
  },
  'method-unavailable':
    'Ce fichier ne peut pas ouvrir ce message. Demandez à {name} de le renvoyer avec un code d’accès.',
  code: {
    label: 'Code d’accès',
  },
  unlock: 'Ouvrir le message',
  unlocking: 'Ouverture du message…',
  'opening-progress': 'Ouverture du message… {percent}',
  error: {
    title: 'Le message ne peut pas être ouvert',
    'empty-code': 'Veuillez saisir le code d’accès.',
    'code-digits': 'Le code comporte {count}\u00a0chiffres.',
    'empty-address': 'Veuillez saisir votre adresse e-mail.',
    'invalid-address': 'Vérifiez votre adresse e-mail\u00a0: elle ressemble à nom@example.org.',
    rejected: 'Le serveur n’a pas accepté la saisie. Vérifiez-la et réessayez.',
    'server-error':
      'Le serveur ne peut pas le faire pour l’instant. Réessayez dans quelques minutes.',
    'wrong-code': 'Ce code d’accès n’ouvre pas le message. Vérifiez-le et réessayez.',
    damaged:
      'Ce fichier est endommagé ou incomplet. Demandez à l’expéditeur de renvoyer le message.',
    unsupported:
      'Ce lecteur ne prend pas en charge le format de ce message. Demandez à l’expéditeur de le renvoyer avec un Sealpost récent.',
    'too-large': 'Ce message est trop volumineux pour être ouvert dans le navigateur.',
    'attempts-left': 'Code erroné. Essais restants : {count}.',
    'rate-limited': 'Attendez {seconds} secondes, puis réessayez.',
    'code-expired': 'Le code a expiré. Demandez-en un nouveau.',
    'not-recipient': 'Ce message n’a pas été envoyé à cette adresse.',
    'start-again': 'Cette étape a expiré. Saisissez à nouveau votre adresse.',
    unavailable: 'Le serveur est injoignable. Réessayez plus tard.',
    locked:
      'Trop de codes erronés : le message est bloqué pour un moment. Réessayez plus tard (à partir de 15 minutes). L’expéditeur a été prévenu.',
    expired: 'Ce message a expiré.',
    revoked: 'L’expéditeur a révoqué ce message.',
    link: 'Ce lien est incomplet.',
    'not-hosted':
      'Ce message n’est pas (encore) sur le serveur. Réessayez plus tard ou demandez à l’expéditeur de le renvoyer.',
  },
  payload: {
    downloading: 'Téléchargement du message',
    progress: '{percent} ({received} sur {total})',
    ready: 'Message téléchargé ({size}).',
  },
  address: 'Votre adresse e-mail',
  next: 'Continuer',
  sent: 'Code envoyé à {to}.',
  resend: 'Renvoyer',
  'no-code': {
    button: 'Je n’ai pas le code',
    told: '{name} a été prévenu(e) que vous n’avez pas le code et vous contactera.',
  },
  device: {
    remember: 'Mémoriser ce navigateur pendant {days} jours',
    'remember-note':
      'Les messages de cette organisation s’ouvriront alors ici sans code. Uniquement sur un appareil que vous êtes seul(e) à utiliser ; vous recevrez un e-mail à ce sujet.',
    opened: 'Ouvert sans code : ce navigateur est mémorisé pour {address} jusqu’au {date}.',
    forget: 'Oublier ce navigateur',
    forgotten: 'Ce navigateur est oublié. La prochaine fois, il vous faudra un code.',
  },
  help: {
    link: 'Aide sur les messages sécurisés',
    title: 'Ce message est-il authentique\u00a0?',
    body: 'On ne vous demande jamais le mot de passe de votre messagerie, seulement le code d’accès que {name} vous donne séparément. En cas de doute, contactez {name} par un moyen que vous connaissez déjà, par exemple par téléphone, et non en répondant à l’e-mail.',
  },
  subject: 'Objet',
  from: 'De',
  to: 'À',
  cc: 'Cc',
  date: 'Date',
  'no-subject': '(sans objet)',
  'empty-body': '(Ce message ne contient pas de texte.)',
  'html-note': 'Les contenus d’Internet sont bloqués dans ce message.',
  attachments: 'Pièces jointes',
  download: 'Télécharger',
  'download-named': 'Télécharger {name}',
  'local-note': 'Déchiffré sur cet appareil. Le contenu n’a été envoyé nulle part.',
  reply: {
    button: 'Répondre de façon sécurisée',
    heading: 'Votre réponse sécurisée',
    address: 'Votre adresse e-mail',
    text: 'Votre réponse',
    files: 'Joindre des fichiers',
    limit: 'Jusqu’à {size} au total.',
    send: 'Envoyer la réponse sécurisée',
    sending: 'Votre réponse est scellée et envoyée …',
    sent: 'Votre réponse a été envoyée à {to}, scellée avec sa clé, avec {count} pièce(s) jointe(s). Seule cette personne peut l’ouvrir.',
    file: 'Enregistrer la réponse sécurisée',
    offline:
      'Ce message est arrivé sans serveur : votre réponse est donc enregistrée dans un fichier. Joignez secure-reply.html à une réponse ordinaire à {to} : seule cette personne peut l’ouvrir.',
    'too-large': 'Votre réponse dépasse {size}. Retirez quelques pièces jointes.',
    failed: 'Votre réponse n’a pas pu être envoyée. Réessayez plus tard.',
    'no-key':
      'Impossible de répondre de façon sécurisée à ce message (la clé de l’expéditeur manque ou ne correspond pas).',
  },
} satisfies ReaderTexts);

export const frNotification: NotificationCatalog = {
  'notification.subject': 'Message sécurisé',
  'notification.intro': '{sender} vous a envoyé un message sécurisé.',
  'notification.attachment':
    'Le message se trouve dans le fichier joint secure-message.html. Cet e-mail ne contient lui-même rien de son contenu.',
  'notification.how-to': 'Pour lire le message\u00a0:',
  'notification.step-open':
    'Enregistrez la pièce jointe secure-message.html et ouvrez-la dans un navigateur web, par exemple en double-cliquant dessus.',
  'notification.factor.code':
    'Saisissez le code d’accès communiqué séparément par {name}, par téléphone ou par courrier. Le code n’est jamais envoyé par e-mail.',
  'notification.factor.org-code':
    'Saisissez le code d’accès de votre organisation, que vous avez reçu séparément.',
  'notification.factor.sms':
    'Demandez un code par SMS sur votre téléphone portable et saisissez-le.',
  'notification.factor.email': 'Demandez un code par e-mail à votre adresse et saisissez-le.',
  'notification.factor.account':
    'Il s’ouvre avec votre compte Sealpost ou votre propre clé OpenPGP\u00a0; aucun code n’est nécessaire.',
  'notification.factor.choice':
    'Confirmez ensuite que le message vous est destiné, de l’une de ces manières\u00a0:',
  'notification.link': 'Vous pouvez aussi ouvrir le message en ligne\u00a0:',
  'notification.attachment-link':
    "Le message vous attend sur le serveur Sealpost sécurisé de l'expéditeur jusqu'à son expiration. Cet e-mail ne contient rien de son contenu.",
  'notification.step-open-link': 'Ouvrez le lien ci-dessous dans un navigateur web.',
  'notification.link-main': 'Le message\u00a0:',
  'notification.file-link':
    "Ce fichier ne contient que les informations de clé d'un message sécurisé, pas son contenu. Ouvrez le message ici\u00a0:",
  'notification.intro-org': '{sender}, de {organisation}, vous a envoyé un message sécurisé.',
  'notification.no-content':
    'Cet e-mail ne contient lui-même rien du contenu du message\u00a0: vous le lisez sur une page sécurisée.',
  'notification.fallback':
    'Si le lien ne fonctionne pas\u00a0: le message se trouve aussi dans le fichier joint secure-message.html. Enregistrez-le et ouvrez-le dans un navigateur web.',
  'notification.check': 'Comment vérifier que cet e-mail est authentique\u00a0:',
  'notification.check-link-org': 'Le lien mène à {host}, le serveur de {organisation}.',
  'notification.check-link': 'Le lien mène à {host}, le serveur sécurisé de l’expéditeur.',
  'notification.check-password':
    'On ne vous demande jamais le mot de passe de votre messagerie ni des données de paiement.',
  'notification.check-contact':
    'En cas de doute, contactez l’expéditeur par un moyen que vous connaissez déjà, par exemple par téléphone, et non en répondant à l’e-mail.',
  'notification.help-link': 'Aide sur les messages sécurisés\u00a0:',
  'notification.help.title': 'Messages sécurisés de {organisation}',
  'notification.help.intro':
    '{organisation} utilise Sealpost pour envoyer des e-mails que vous seul pouvez lire. L’e-mail que vous recevez ne contient rien du contenu\u00a0: il vous explique comment ouvrir le message.',
  'notification.help.open-heading': 'Ouvrir un message',
  'notification.help.open':
    'Ouvrez le lien de l’e-mail dans un navigateur web. Si l’e-mail contient le fichier secure-message.html, vous pouvez aussi l’enregistrer et l’ouvrir dans un navigateur web. Confirmez ensuite, comme l’e-mail l’indique, que le message vous est destiné\u00a0: avec un code d’accès que l’expéditeur vous donne séparément, ou avec un code envoyé sur votre téléphone portable ou à votre adresse e-mail.',
  'notification.help.check-heading': 'Est-il authentique\u00a0?',
  'notification.help.trouble-heading': 'S’il ne s’ouvre pas',
  'notification.help.trouble':
    'Un code a expiré\u00a0: demandez-en un nouveau sur la page. Aucun code n’est arrivé\u00a0: regardez dans vos courriers indésirables, ou choisissez «\u00a0{button}\u00a0» sur la page\u00a0; l’expéditeur sera prévenu. Le message a expiré ou a été révoqué\u00a0: demandez à l’expéditeur de l’envoyer à nouveau.',
};
