import { readerCatalog } from './readerCatalog.ts';
import type { NotificationCatalog, ReaderCatalog, ReaderTexts } from './types.ts';

/** Spanish, formal address (usted). */
export const esReader: ReaderCatalog = readerCatalog('Español', {
  title: 'Mensaje seguro',
  language: 'Idioma',
  'from-sender': 'Mensaje seguro de',
  template: {
    title: 'Esta es la plantilla vacía del lector de mensajes seguros',
    body: 'Este archivo no contiene ningún mensaje. Abra el secure-message.html adjunto al correo recibido.',
  },
  factor: {
    code: 'Introduzca el código de acceso que {name} le dio por separado, por ejemplo por teléfono o por carta.',
    'org-code': 'Introduzca el código de acceso de su organización, que recibió por separado.',
    sms: 'Necesita un código enviado por SMS a su móvil.',
    email: 'Necesita un código enviado a su dirección de correo.',
    account: 'Abra este mensaje con su cuenta de Sealpost o con su propia clave OpenPGP.',
  },
  'method-unavailable':
    'Este archivo no puede abrir el mensaje. Pida a {name} que lo reenvíe con un código de acceso.',
  code: {
    label: 'Código de acceso',
  },
  unlock: 'Abrir mensaje',
  unlocking: 'Abriendo el mensaje…',
  'opening-progress': 'Abriendo el mensaje… {percent}',
  error: {
    title: 'No se puede abrir el mensaje',
    'empty-code': 'Introduzca el código de acceso.',
    'code-digits': 'El código tiene {count} dígitos.',
    'empty-address': 'Introduzca su dirección de correo.',
    'invalid-address': 'Compruebe su dirección de correo: tiene la forma nombre@example.org.',
    rejected: 'El servidor no aceptó lo introducido. Compruébelo e inténtelo de nuevo.',
    'server-error': 'El servidor no puede hacerlo ahora. Inténtelo de nuevo en unos minutos.',
    'wrong-code': 'Este código de acceso no abre el mensaje. Compruébelo e inténtelo de nuevo.',
    damaged:
      'Este archivo está dañado o incompleto. Pida al remitente que vuelva a enviar el mensaje.',
    unsupported:
      'Este lector no admite el formato de este mensaje. Pida al remitente que lo reenvíe con un Sealpost actual.',
    'too-large': 'Este mensaje es demasiado grande para abrirlo en el navegador.',
    'attempts-left': 'Código incorrecto. Intentos restantes: {count}.',
    'rate-limited': 'Espere {seconds} segundos y vuelva a intentarlo.',
    'code-expired': 'El código ha caducado. Pida uno nuevo.',
    'not-recipient': 'Este mensaje no se envió a esta dirección.',
    'start-again': 'Este paso ha caducado. Escriba de nuevo su dirección.',
    unavailable: 'No se puede acceder al servidor. Inténtelo más tarde.',
    locked:
      'Demasiados códigos incorrectos: el mensaje está bloqueado por un tiempo. Inténtelo más tarde (a partir de 15 minutos). Se avisó al remitente.',
    expired: 'Este mensaje ha caducado.',
    revoked: 'El remitente ha revocado este mensaje.',
    link: 'Este enlace está incompleto.',
    'not-hosted':
      'Este mensaje no está (todavía) en el servidor. Inténtelo más tarde o pida al remitente que lo envíe de nuevo.',
  },
  payload: {
    downloading: 'Descargando el mensaje',
    progress: '{percent} ({received} de {total})',
    ready: 'Mensaje descargado ({size}).',
  },
  address: 'Su dirección de correo',
  next: 'Continuar',
  sent: 'Código enviado a {to}.',
  resend: 'Enviar de nuevo',
  'no-code': {
    button: 'No tengo el código',
    told: 'Se ha avisado a {name} de que no tiene el código y se pondrá en contacto con usted.',
  },
  device: {
    remember: 'Recordar este navegador durante {days} días',
    'remember-note':
      'Los mensajes de esta organización se abrirán aquí sin código. Solo en un dispositivo que use usted solo; recibirá un correo al respecto.',
    opened: 'Abierto sin código: este navegador está recordado para {address} hasta el {date}.',
    forget: 'Olvidar este navegador',
    forgotten: 'Este navegador se ha olvidado. La próxima vez necesitará un código.',
  },
  help: {
    link: 'Ayuda sobre los mensajes seguros',
    title: '¿Es auténtico este mensaje?',
    body: 'Nunca se le pide la contraseña de su buzón, solo el código de acceso que {name} le da por separado. Si tiene dudas, contacte con {name} por una vía que ya conozca, por ejemplo por teléfono, no respondiendo al correo.',
  },
  subject: 'Asunto',
  from: 'De',
  to: 'Para',
  cc: 'CC',
  date: 'Fecha',
  'no-subject': '(sin asunto)',
  'empty-body': '(Este mensaje no contiene texto.)',
  'html-note': 'El contenido de internet está bloqueado en este mensaje.',
  attachments: 'Archivos adjuntos',
  download: 'Descargar',
  'download-named': 'Descargar {name}',
  'local-note': 'Descifrado en este dispositivo. El contenido no se envió a ninguna parte.',
  reply: {
    button: 'Responder de forma segura',
    heading: 'Su respuesta segura',
    address: 'Su dirección de correo',
    text: 'Su respuesta',
    files: 'Adjuntar archivos',
    limit: 'Hasta {size} en total.',
    send: 'Enviar respuesta segura',
    sending: 'Su respuesta se está sellando y enviando …',
    sent: 'Su respuesta se envió a {to}, sellada con su clave, con {count} adjunto(s). Solo esa persona puede abrirla.',
    file: 'Guardar respuesta segura',
    offline:
      'Este mensaje llegó sin servidor, así que su respuesta se guarda como archivo. Adjunte secure-reply.html a una respuesta normal a {to}: solo esa persona puede abrirla.',
    'too-large': 'Su respuesta supera {size}. Quite algunos adjuntos.',
    failed: 'No se pudo enviar su respuesta. Inténtelo más tarde.',
    'no-key':
      'No se puede responder de forma segura a este mensaje (falta la clave del remitente o no coincide).',
  },
} satisfies ReaderTexts);

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
  'notification.attachment-link':
    'El mensaje le espera en el servidor Sealpost seguro del remitente hasta que caduque. Este correo no contiene nada de su contenido.',
  'notification.step-open-link': 'Abra el enlace de abajo en un navegador web.',
  'notification.link-main': 'El mensaje:',
  'notification.file-link':
    'Este archivo solo contiene los datos de clave de un mensaje seguro, no su contenido. Abra el mensaje aquí:',
  'notification.intro-org': '{sender}, de {organisation}, le ha enviado un mensaje seguro.',
  'notification.no-content':
    'Este correo electrónico no contiene nada del contenido del mensaje: lo lee en una página segura.',
  'notification.fallback':
    'Si el enlace no funciona: el mensaje también está en el archivo adjunto secure-message.html. Guárdelo y ábralo en un navegador web.',
  'notification.check': 'Cómo comprobar que este correo es auténtico:',
  'notification.check-link-org': 'El enlace lleva a {host}, el servidor de {organisation}.',
  'notification.check-link': 'El enlace lleva a {host}, el servidor seguro del remitente.',
  'notification.check-password': 'Nunca se le pedirá la contraseña de su buzón ni datos de pago.',
  'notification.check-contact':
    'Si tiene dudas, contacte con el remitente por una vía que ya conozca, por ejemplo por teléfono, no respondiendo al correo.',
  'notification.help-link': 'Ayuda sobre los mensajes seguros:',
  'notification.help.title': 'Mensajes seguros de {organisation}',
  'notification.help.intro':
    '{organisation} usa Sealpost para enviar correos que solo usted puede leer. El correo que recibe no contiene nada del contenido: le explica cómo abrir el mensaje.',
  'notification.help.open-heading': 'Cómo abrir un mensaje',
  'notification.help.open':
    'Abra el enlace del correo en un navegador web. Si el correo trae el archivo secure-message.html, también puede guardarlo y abrirlo en un navegador web. Después confirme, como describe el correo, que el mensaje es para usted: con un código de acceso que el remitente le da por separado, o con un código enviado a su teléfono móvil o a su dirección de correo.',
  'notification.help.check-heading': '¿Es auténtico?',
  'notification.help.trouble-heading': 'Si no se abre',
  'notification.help.trouble':
    'Un código ha caducado: solicite uno nuevo en la página. No llegó ningún código: mire en la carpeta de correo no deseado, o elija «{button}» en la página y se avisará al remitente. El mensaje ha caducado o fue revocado: pida al remitente que lo envíe de nuevo.',
};
