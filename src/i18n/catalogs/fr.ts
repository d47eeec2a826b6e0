import type { NotificationCatalog, ReaderCatalog } from './types.ts';

/**
 * French, formal address (vous). A no-break space (U+00A0) precedes `:` and `;` as French
 * typography wants, and keeps the line wrapper from leaving the sign alone on a line.
 */
export const frReader: ReaderCatalog = {
  'language.name': 'Français',

  'reader.title': 'Message sécurisé',
  'reader.language': 'Langue',
  'reader.from-sender': 'Message sécurisé de',
  'reader.template.title': 'Ceci est le modèle vide du lecteur de messages sécurisés',
  'reader.template.body':
    'Ce fichier ne contient aucun message. Ouvrez plutôt le fichier secure-message.html joint à l’e-mail que vous avez reçu.',
  'reader.factor.code':
    'Saisissez le code d’accès communiqué séparément par {name}, par exemple par téléphone ou par courrier.',
  'reader.factor.org-code':
    'Saisissez le code d’accès de votre organisation, que vous avez reçu séparément.',
  'reader.factor.sms': 'Vous aurez besoin d’un code envoyé par SMS sur votre téléphone portable.',
  'reader.factor.email': 'Vous aurez besoin d’un code envoyé à votre adresse e-mail.',
  'reader.factor.account':
    'Ouvrez ce message avec votre compte Sealpost ou votre propre clé OpenPGP.',
  'reader.method-unavailable':
    'Ce fichier ne peut pas ouvrir ce message à lui seul. Demandez à {name} de le renvoyer avec un code d’accès.',
  'reader.code.label': 'Code d’accès',
  'reader.unlock': 'Ouvrir le message',
  'reader.unlocking': 'Vérification du code et ouverture du message…',
  'reader.error.title': 'Le message ne peut pas être ouvert',
  'reader.error.empty-code': 'Veuillez saisir le code d’accès.',
  'reader.error.wrong-code': 'Ce code d’accès n’ouvre pas le message. Vérifiez-le et réessayez.',
  'reader.error.damaged':
    'Ce fichier est endommagé ou incomplet. Demandez à l’expéditeur de renvoyer le message.',
  'reader.error.unsupported':
    'Ce message utilise un format que ce lecteur ne prend pas en charge. Demandez à l’expéditeur de le renvoyer avec une version récente de Sealpost.',
  'reader.error.too-large': 'Ce message est trop volumineux pour être ouvert dans le navigateur.',
  'reader.subject': 'Objet',
  'reader.from': 'De',
  'reader.to': 'À',
  'reader.cc': 'Cc',
  'reader.date': 'Date',
  'reader.no-subject': '(sans objet)',
  'reader.empty-body': '(Ce message ne contient pas de texte.)',
  'reader.html-note':
    'Les images et autres contenus provenant d’Internet sont bloqués dans ce message.',
  'reader.attachments': 'Pièces jointes',
  'reader.download': 'Télécharger',
  'reader.download-named': 'Télécharger {name}',
  'reader.local-note':
    'Le message a été déchiffré sur cet appareil. Rien n’a été envoyé sur Internet.',
};

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
};
