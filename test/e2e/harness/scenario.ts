import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { NOTIFICATION_LANGUAGES, isNotificationLanguage } from '../../../src/core/languages.ts';

/** Per-recipient choices the scenario makes in the Sealpost popup. */
export interface RecipientChoice {
  /**
   * Verification method: a method id (`code`, `sms`, `org-code`, `email`, `account`) or a menu
   * entry id (`code-new`, `code-existing`, ...). `code` with a `code` means "Access code" (new)
   * and typing it; `code` without one means reusing the stored code. Omitted: leave the menu.
   */
  method?: string;
  code?: string;
  /** Method `sms`: the mobile number typed into the row's phone field (e.g. `+49 151 …`). */
  phone?: string;
  language?: string;
}

/** A send case, as `npm run e2e:scenario` reads it from JSON. */
export interface Scenario {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  html: boolean;
  attachments: Array<{ path: string; name: string; type?: string }>;
  secure: boolean;
  /** Tick the panel's "Send by link" (with a server; large messages go by link anyway). */
  sendByLink?: boolean;
  /** Keyed by recipient address (any case). */
  recipients: Record<string, RecipientChoice>;
  /** Public key files (armored or binary) imported by hand on the options page before the send. */
  keys: string[];
  /** Public key files served by a loopback WKD the test build asks (docs/keys.md). */
  wkd: string[];
  /**
   * The organisation's Sealpost settings (`3rdparty.Extensions["sealpost@sealpost.example"]` of
   * policies.json, docs/deployment.md), written machine-wide for the run and restored after.
   */
  policy?: Record<string, unknown>;
}

/** A scenario with its attachment files read. */
export interface LoadedScenario extends Scenario {
  attachmentFiles: Array<{ name: string; type?: string; bytes: Uint8Array }>;
  /** The files of `keys`, read. */
  keyFiles?: Array<{ path: string; bytes: Uint8Array }>;
  /** The files of `wkd`, read. */
  wkdFiles?: Array<{ path: string; bytes: Uint8Array }>;
}

const METHOD_VALUES = [
  'code',
  'sms',
  'org-code',
  'email',
  'account',
  'sms-new',
  'sms-known',
  'org-code-new',
  'org-code-existing',
  'code-new',
  'code-existing',
];
const SCENARIO_KEYS = [
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'body',
  'html',
  'attachments',
  'secure',
  'sendByLink',
  'recipients',
  'keys',
  'wkd',
  'policy',
];

/**
 * Checks a parsed JSON value against the scenario format. Returns the scenario with defaults
 * filled in, or every problem found (each naming its JSON path).
 */
export function validateScenario(
  value: unknown,
): { ok: true; scenario: Scenario } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(value)) return { ok: false, problems: ['the scenario must be a JSON object'] };
  for (const key of Object.keys(value)) {
    if (!SCENARIO_KEYS.includes(key)) problems.push(`unknown field "${key}"`);
  }
  const address = /^[^\s@<>]+@[^\s@<>]+$/;
  // "bob@x.example" or "Bob Example <bob@x.example>".
  const bareAddress = (entry: string) => entry.replace(/^.*<([^>]+)>\s*$/, '$1').trim();
  const from = value.from;
  if (typeof from !== 'string' || !address.test(bareAddress(from))) {
    problems.push('"from" must be an address such as "alice@example.test"');
  }
  const addressList = (key: 'to' | 'cc' | 'bcc'): string[] => {
    const list = value[key] ?? [];
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
      problems.push(`"${key}" must be an array of addresses`);
      return [];
    }
    list.forEach((item: string, index) => {
      if (!address.test(bareAddress(item)))
        problems.push(`"${key}[${index}]" is not an address: "${item}"`);
    });
    return list as string[];
  };
  const to = addressList('to');
  const cc = addressList('cc');
  const bcc = addressList('bcc');
  if (to.length + cc.length + bcc.length === 0) problems.push('no recipient in to, cc or bcc');
  const text = (key: 'subject' | 'body'): string => {
    const field = value[key] ?? '';
    if (typeof field !== 'string') problems.push(`"${key}" must be a string`);
    return typeof field === 'string' ? field : '';
  };
  const flag = (key: 'html' | 'secure' | 'sendByLink'): boolean => {
    const field = value[key] ?? false;
    if (typeof field !== 'boolean') problems.push(`"${key}" must be true or false`);
    return field === true;
  };
  const attachments: Scenario['attachments'] = [];
  const rawAttachments = value.attachments ?? [];
  if (!Array.isArray(rawAttachments)) problems.push('"attachments" must be an array');
  else {
    rawAttachments.forEach((item: unknown, index) => {
      const where = `"attachments[${index}]"`;
      if (!isRecord(item) || typeof item.path !== 'string' || item.path === '') {
        problems.push(`${where} needs a "path" (relative to the scenario file)`);
        return;
      }
      if (item.name !== undefined && typeof item.name !== 'string') {
        problems.push(`"attachments[${index}].name" must be a string`);
      }
      if (item.type !== undefined && typeof item.type !== 'string') {
        problems.push(`"attachments[${index}].type" must be a MIME type string`);
      }
      attachments.push({
        path: item.path,
        name: typeof item.name === 'string' ? item.name : item.path.split('/').pop()!,
        ...(typeof item.type === 'string' ? { type: item.type } : {}),
      });
    });
  }
  const recipients: Scenario['recipients'] = {};
  const rawRecipients = value.recipients ?? {};
  const allAddresses = [...to, ...cc, ...bcc].map((item) => bareAddress(item).toLowerCase());
  if (!isRecord(rawRecipients)) problems.push('"recipients" must be an object keyed by address');
  else {
    for (const [recipient, choice] of Object.entries(rawRecipients)) {
      const where = `"recipients.${recipient}"`;
      if (!allAddresses.includes(recipient.toLowerCase())) {
        problems.push(`${where} is not in to, cc or bcc`);
      }
      if (!isRecord(choice)) {
        problems.push(`${where} must be an object with method, code, phone, language`);
        continue;
      }
      for (const key of Object.keys(choice)) {
        if (!['method', 'code', 'phone', 'language'].includes(key)) {
          problems.push(`${where} has unknown field "${key}"`);
        }
      }
      if (choice.method !== undefined && !METHOD_VALUES.includes(choice.method as string)) {
        problems.push(
          `"recipients.${recipient}.method" must be one of ${METHOD_VALUES.join(', ')}`,
        );
      }
      if (choice.code !== undefined && typeof choice.code !== 'string') {
        problems.push(`"recipients.${recipient}.code" must be a string`);
      }
      if (
        choice.phone !== undefined &&
        (typeof choice.phone !== 'string' || !/\d/.test(choice.phone))
      ) {
        problems.push(
          `"recipients.${recipient}.phone" must be a phone number such as "+49 151 23456789"`,
        );
      }
      if (choice.phone !== undefined && choice.method !== 'sms' && choice.method !== 'sms-new') {
        problems.push(`"recipients.${recipient}.phone" needs "method": "sms"`);
      }
      if (choice.language !== undefined && !isNotificationLanguage(choice.language)) {
        problems.push(
          `"recipients.${recipient}.language" must be one of ${NOTIFICATION_LANGUAGES.join(', ')}`,
        );
      }
      recipients[recipient] = {
        ...(typeof choice.method === 'string' ? { method: choice.method } : {}),
        ...(typeof choice.code === 'string' ? { code: choice.code } : {}),
        ...(typeof choice.phone === 'string' ? { phone: choice.phone } : {}),
        ...(typeof choice.language === 'string' ? { language: choice.language } : {}),
      };
    }
  }
  const files = (key: 'keys' | 'wkd'): string[] => {
    const list = value[key] ?? [];
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' && item !== '')) {
      problems.push(`"${key}" must be an array of key file paths (relative to the scenario file)`);
      return [];
    }
    return list as string[];
  };
  const keys = files('keys');
  const wkd = files('wkd');
  const subject = text('subject');
  const body = text('body');
  const html = flag('html');
  const secure = flag('secure');
  const sendByLink = flag('sendByLink');
  if (sendByLink && !secure) problems.push('"sendByLink" needs "secure": true');
  const policy = value.policy;
  if (policy !== undefined && !isRecord(policy)) {
    problems.push('"policy" must be an object: Sealpost\'s settings as policies.json gives them');
  } else if (policy !== undefined && 'serverUrl' in policy) {
    // The run's server listens on a port chosen at start; the runner fills it in.
    problems.push('"policy.serverUrl" is set by the runner (the run\'s own server): leave it out');
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    scenario: {
      from: from as string,
      to,
      cc,
      bcc,
      subject,
      body,
      html,
      attachments,
      secure,
      ...(sendByLink ? { sendByLink } : {}),
      recipients,
      keys,
      wkd,
      ...(isRecord(policy) ? { policy } : {}),
    },
  };
}

/** Reads and validates a scenario file and the attachment files it names. */
export async function loadScenario(path: string): Promise<LoadedScenario> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read scenario ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = validateScenario(parsed);
  if (!result.ok) {
    throw new Error(`invalid scenario ${path}:\n  - ${result.problems.join('\n  - ')}`);
  }
  const attachmentFiles = [];
  for (const attachment of result.scenario.attachments) {
    const file = resolve(dirname(path), attachment.path);
    try {
      attachmentFiles.push({
        name: attachment.name,
        ...(attachment.type ? { type: attachment.type } : {}),
        bytes: new Uint8Array(await readFile(file)),
      });
    } catch (error) {
      throw new Error(`attachment "${attachment.path}" (${file}): ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const readKeys = async (paths: string[]) => {
    const read = [];
    for (const keyPath of paths) {
      const file = resolve(dirname(path), keyPath);
      try {
        read.push({ path: keyPath, bytes: new Uint8Array(await readFile(file)) });
      } catch (error) {
        throw new Error(`key file "${keyPath}" (${file}): ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    return read;
  };
  return {
    ...result.scenario,
    attachmentFiles,
    keyFiles: await readKeys(result.scenario.keys),
    wkdFiles: await readKeys(result.scenario.wkd),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scenario for tests written in code: defaults for every field, attachments given as bytes. */
export function scenarioWithDefaults(
  from: string,
  fields: Partial<LoadedScenario>,
): LoadedScenario {
  return {
    from,
    to: [],
    cc: [],
    bcc: [],
    subject: 'Test',
    body: '',
    html: false,
    attachments: [],
    attachmentFiles: [],
    secure: false,
    recipients: {},
    keys: [],
    wkd: [],
    ...fields,
  };
}
