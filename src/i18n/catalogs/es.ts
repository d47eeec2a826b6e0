import type { NotificationCatalog, ReaderCatalog } from './types.ts';

/** Spanish, formal address (usted). */
export const esReader: ReaderCatalog = {
  'language.name': 'Español',

  'reader.title': 'Mensaje seguro',
  'reader.language': 'Idioma',
  'reader.from-sender': 'Mensaje seguro de',
  'reader.template.title': 'Esta es la plantilla vacía del lector de mensajes seguros',
  'reader.template.body':
    'Este archivo no contiene ningún mensaje. Abra en su lugar el archivo secure-message.html adjunto al correo electrónico que recibió.',
  'reader.factor.code':
    'Introduzca el código de acceso que {name} le dio por separado, por ejemplo por teléfono o por carta.',
  'reader.factor.org-code':
    'Introduzca el código de acceso de su organización, que recibió por separado.',
  'reader.factor.sms': 'Necesitará un código que se envía por SMS a su teléfono móvil.',
  'reader.factor.email': 'Necesitará un código que se envía a su dirección de correo electrónico.',
  'reader.factor.account':
    'Abra este mensaje con su cuenta de Sealpost o con su propia clave OpenPGP.',
  'reader.method-unavailable':
    'Este archivo no puede abrir el mensaje por sí solo. Pida a {name} que lo vuelva a enviar con un código de acceso.',
  'reader.code.label': 'Código de acceso',
  'reader.unlock': 'Abrir mensaje',
  'reader.unlocking': 'Comprobando el código y abriendo el mensaje…',
  'reader.error.title': 'No se puede abrir el mensaje',
  'reader.error.empty-code': 'Introduzca el código de acceso.',
  'reader.error.wrong-code':
    'Este código de acceso no abre el mensaje. Compruébelo e inténtelo de nuevo.',
  'reader.error.damaged':
    'Este archivo está dañado o incompleto. Pida al remitente que vuelva a enviar el mensaje.',
  'reader.error.unsupported':
    'Este mensaje usa un formato que este lector no admite. Pida al remitente que lo vuelva a enviar con una versión actual de Sealpost.',
  'reader.error.too-large': 'Este mensaje es demasiado grande para abrirlo en el navegador.',
  'reader.subject': 'Asunto',
  'reader.from': 'De',
  'reader.to': 'Para',
  'reader.cc': 'CC',
  'reader.date': 'Fecha',
  'reader.no-subject': '(sin asunto)',
  'reader.empty-body': '(Este mensaje no contiene texto.)',
  'reader.html-note':
    'Las imágenes y otros contenidos de internet están bloqueados en este mensaje.',
  'reader.attachments': 'Archivos adjuntos',
  'reader.download': 'Descargar',
  'reader.download-named': 'Descargar {name}',
  'reader.local-note': 'El mensaje se descifró en este dispositivo. No se envió nada por internet.',
};

export const esNotification: NotificationCatalog = {
  'notification.subject': 'Mensaje seguro',
  'notification.intro': '{sender} le ha enviado un mensaje seguro.',
  'notification.attachment':
    'El mensaje está en el archivo adjunto secure-message.html. Este correo electrónico no contiene nada de su contenido.',
  'notification.how-to': 'Para leer el mensaje:',
  'notification.step-open':
    'Guarde el archivo adjunto secure-message.html y ábralo en un navegador web, por ejemplo haciendo doble clic en él.',
  'notification.factor.code':
    'Introduzca el código de acceso que {name} le dará por separado, por teléfono o por carta. El código nunca se envía por correo electrónico.',
  'notification.factor.org-code':
    'Introduzca el código de acceso de su organización, que recibió por separado.',
  'notification.factor.sms': 'Solicite un código por SMS a su teléfono móvil e introdúzcalo.',
  'notification.factor.email':
    'Solicite un código por correo electrónico a su dirección e introdúzcalo.',
  'notification.factor.account':
    'Se abre con su cuenta de Sealpost o con su propia clave OpenPGP; no necesita ningún código.',
  'notification.factor.choice':
    'Después confirme que el mensaje es para usted de una de estas formas:',
  'notification.link': 'También puede abrir el mensaje en línea:',
};
