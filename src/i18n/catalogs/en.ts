/**
 * English, the reference catalog: its keys are the message keys of every other catalog, and its
 * `{placeholders}` are the parameters `t()` requires. Keep lines of notification texts plain:
 * they go into a format=flowed text mail.
 */
export const enReader = {
  'language.name': 'English',

  'reader.title': 'Secure message',
  'reader.language': 'Language',
  'reader.from-sender': 'Secure message from',
  'reader.template.title': 'This is the empty reader template',
  'reader.template.body':
    'This file does not contain a message. Open the file secure-message.html attached to the email you received instead.',
  'reader.factor.code':
    'Enter the access code that {name} gave you separately, for example by phone or letter.',
  'reader.factor.org-code':
    'Enter the access code of your organisation, which you received separately.',
  'reader.factor.sms': 'You will need a code that is sent to your mobile phone by SMS.',
  'reader.factor.email': 'You will need a code that is sent to your email address.',
  'reader.factor.account': 'Open this message with your Sealpost account or your own OpenPGP key.',
  'reader.method-unavailable':
    'This reader cannot open this message on its own. Ask {name} to send it again with an access code.',
  'reader.code.label': 'Access code',
  'reader.unlock': 'Open message',
  'reader.unlocking': 'Checking the code and opening the message…',
  'reader.error.title': 'The message cannot be opened',
  'reader.error.empty-code': 'Please enter the access code.',
  'reader.error.wrong-code': 'This access code does not open the message. Check it and try again.',
  'reader.error.damaged':
    'This file is damaged or incomplete. Ask the sender to send the message again.',
  'reader.error.unsupported':
    'This message uses a format this reader does not support. Ask the sender to send it again with a current version of Sealpost.',
  'reader.error.too-large': 'This message is too large to be opened in the browser.',
  'reader.subject': 'Subject',
  'reader.from': 'From',
  'reader.to': 'To',
  'reader.cc': 'Cc',
  'reader.date': 'Date',
  'reader.no-subject': '(no subject)',
  'reader.empty-body': '(This message has no text.)',
  'reader.html-note': 'Images and other content from the internet are blocked in this message.',
  'reader.attachments': 'Attachments',
  'reader.download': 'Download',
  'reader.download-named': 'Download {name}',
  'reader.local-note':
    'The message was decrypted on this device. Nothing was sent over the internet.',
} as const;

/** English notification mail texts (see ../notification.ts). */
export const enNotification = {
  'notification.subject': 'Secure message',
  'notification.intro': '{sender} has sent you a secure message.',
  'notification.attachment':
    'The message is in the attached file secure-message.html. This email itself contains none of its content.',
  'notification.how-to': 'To read the message:',
  'notification.step-open':
    'Save the attachment secure-message.html and open it in a web browser, for example by double-clicking it.',
  'notification.factor.code':
    'Enter the access code that {name} gives you separately, by phone or by letter. The code is never sent by email.',
  'notification.factor.org-code':
    'Enter the access code of your organisation, which you received separately.',
  'notification.factor.sms': 'Request a code by SMS to your mobile phone and enter it.',
  'notification.factor.email': 'Request a code by email to your address and enter it.',
  'notification.factor.account':
    'It opens with your Sealpost account or your own OpenPGP key; no code is needed.',
  'notification.factor.choice':
    'Then confirm that the message is meant for you, in one of these ways:',
  'notification.link': 'You can also open the message online:',
} as const;
