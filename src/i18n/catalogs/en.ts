import { readerCatalog } from './readerCatalog.ts';

/**
 * English, the reference catalog: its keys are the message keys of every other catalog, and its
 * `{placeholders}` are the parameters `t()` requires. Keep lines of notification texts plain:
 * they go into a format=flowed text mail.
 *
 * The reader's texts as written: grouped and without `reader.` (see readerCatalog.ts), so
 * `error: { damaged }` is the key `reader.error.damaged`. Every reader catalog has this shape.
 */
export const enReaderTexts = {
  title: 'Secure message',
  language: 'Language',
  'from-sender': 'Secure message from',
  template: {
    title: 'This is the empty reader template',
    body: 'This file holds no message. Open the secure-message.html attached to the email you received.',
  },
  factor: {
    code: 'Enter the access code that {name} gave you separately, for example by phone or letter.',
    'org-code': 'Enter the access code of your organisation, which you received separately.',
    sms: 'You need a code sent to your mobile phone by SMS.',
    email: 'You need a code sent to your email address.',
    account: 'Open this message with your Sealpost account or your own OpenPGP key.',
  },
  'method-unavailable':
    'This reader cannot open this message. Ask {name} to send it again with an access code.',
  code: {
    label: 'Access code',
  },
  unlock: 'Open message',
  unlocking: 'Opening the message…',
  'opening-progress': 'Opening the message… {percent}',
  error: {
    title: 'The message cannot be opened',
    'empty-code': 'Please enter the access code.',
    'code-digits': 'The code has {count} digits.',
    'empty-address': 'Please enter your email address.',
    'invalid-address': 'Check your email address: it looks like name@example.org.',
    rejected: 'The server did not accept what was typed. Check it and try again.',
    'server-error': 'The server could not do this just now. Try again in a few minutes.',
    'wrong-code': 'This access code does not open the message. Check it and try again.',
    damaged: 'This file is damaged or incomplete. Ask the sender to send the message again.',
    unsupported:
      'This reader does not support the format of this message. Ask the sender to send it again with a current Sealpost.',
    'too-large': 'This message is too large to be opened in the browser.',
    'attempts-left': 'Wrong code. Attempts left: {count}.',
    'rate-limited': 'Wait {seconds} seconds, then try again.',
    'code-expired': 'The code has expired. Request a new one.',
    'not-recipient': 'This message was not sent to this address.',
    'start-again': 'This step timed out. Type your address again.',
    unavailable: 'The server cannot be reached. Try again later.',
    locked:
      'Too many wrong codes: the message is locked for a while. Try again later (from 15 minutes on). The sender was told.',
    expired: 'This message has expired.',
    revoked: 'The sender has revoked this message.',
    link: 'This link is incomplete.',
    'not-hosted':
      'This message is not on the server (or not yet). Try again later, or ask the sender to send it again.',
  },
  payload: {
    downloading: 'Downloading the message',
    progress: '{percent} ({received} of {total})',
    ready: 'Message downloaded ({size}).',
  },
  address: 'Your email address',
  next: 'Continue',
  sent: 'Code sent to {to}.',
  resend: 'Send again',
  'no-code': {
    button: 'I don’t have the code',
    told: '{name} has been told that you have no code and will get in touch with you.',
  },
  device: {
    remember: 'Remember this browser for {days} days',
    'remember-note':
      'Messages from this organisation then open here without a code. Only on a device you alone use; you get an email about it.',
    opened: 'Opened without a code: this browser is remembered for {address} until {date}.',
    forget: 'Forget this browser',
    forgotten: 'This browser is forgotten. Next time you will need a code.',
  },
  help: {
    link: 'Help with secure messages',
    title: 'Is this message genuine?',
    body: 'You are never asked for the password of your mailbox, only for the access code {name} gives you separately. If in doubt, contact {name} in a way you already know, for example by phone, not by replying to the email.',
  },
  subject: 'Subject',
  from: 'From',
  to: 'To',
  cc: 'Cc',
  date: 'Date',
  'no-subject': '(no subject)',
  'empty-body': '(This message has no text.)',
  'html-note': 'Content from the internet is blocked in this message.',
  attachments: 'Attachments',
  download: 'Download',
  'download-named': 'Download {name}',
  'local-note': 'Decrypted on this device. The content was not sent anywhere.',
  reply: {
    button: 'Reply securely',
    heading: 'Your secure reply',
    address: 'Your email address',
    text: 'Your reply',
    files: 'Attach files',
    limit: 'Up to {size} in all.',
    send: 'Send secure reply',
    sending: 'Sealing and sending your reply …',
    sent: 'Your reply went to {to}, sealed to their key, with {count} attachment(s). Only they can open it.',
    file: 'Save secure reply',
    offline:
      'This message came without a server, so your reply is saved as a file. Attach secure-reply.html to an ordinary reply to {to}: only they can open it.',
    'too-large': 'Your reply is larger than {size}. Leave out some attachments.',
    failed: 'Your reply could not be sent. Try again later.',
    'no-key':
      'This message cannot be answered securely (the sender’s key is missing or does not match).',
  },
} as const;

export const enReader = readerCatalog('English', enReaderTexts);

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
  'notification.attachment-link':
    "The message is kept for you on the sender's secure Sealpost server until it expires. This email itself contains none of its content.",
  'notification.step-open-link': 'Open the link below in a web browser.',
  'notification.link-main': 'The message:',
  'notification.file-link':
    'This file holds only the key information of a secure message, not its content. Open the message here:',
  'notification.intro-org': '{sender} from {organisation} has sent you a secure message.',
  'notification.no-content':
    "This email itself contains none of the message's content: you read it on a secure page.",
  'notification.fallback':
    'If the link does not work: the message is also in the attached file secure-message.html. Save it and open it in a web browser.',
  'notification.check': 'How to tell that this email is genuine:',
  'notification.check-link-org': 'The link leads to {host}, the server of {organisation}.',
  'notification.check-link': "The link leads to {host}, the sender's secure server.",
  'notification.check-password':
    'You are never asked for the password of your mailbox, nor for payment details.',
  'notification.check-contact':
    'If in doubt, contact the sender in a way you already know, for example by phone, not by replying to the email.',
  'notification.help-link': 'Help with secure messages:',
  'notification.help.title': 'Secure messages from {organisation}',
  'notification.help.intro':
    '{organisation} uses Sealpost to send email that only you can read. The email you receive holds none of the content: it tells you how to open the message.',
  'notification.help.open-heading': 'How to open a message',
  'notification.help.open':
    'Open the link in the email in a web browser. If the email came with the file secure-message.html, you can also save that file and open it in a web browser. Then confirm that the message is meant for you, as the email describes: with an access code the sender gives you separately, or with a code sent to your mobile phone or email address.',
  'notification.help.check-heading': 'Is it genuine?',
  'notification.help.trouble-heading': 'If it does not open',
  'notification.help.trouble':
    'A code has expired: request a new one on the page. No code arrived: look in your spam folder, or choose "{button}" on the page, and the sender is told. The message has expired or was revoked: ask the sender to send it again.',
} as const;
