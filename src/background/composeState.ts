import { parseMailbox, type Mailbox } from '../core/address.ts';
import { languageFromLocale } from '../core/languages.ts';
import { buildMethodMenu } from '../core/methodMenuBuilder.ts';
import { countryFromLocale, effectiveSettings } from '../core/recipientDirectory.ts';
import { classifyRecipients, type Recipient } from '../core/recipients.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';
import type { ComposeState, RecipientView } from '../messaging/protocol.ts';
import type { DirectoryEntry } from '../messaging/serverApi.ts';
import { gatherRecipients } from './gatherRecipients.ts';
import type { ComposeSnapshot, Host } from './host.ts';
import { currentProblem } from './problems.ts';
import { getRecipientSettings } from './recipientStore.ts';
import { isSecure } from './secureMode.ts';
import { directoryEntries, serverConnection, type ServerConnection } from './serverSettings.ts';

export interface ResolvedCompose {
  details: ComposeSnapshot;
  sender: Mailbox | null;
  recipients: Recipient[];
  unresolved: string[];
  /** What counts per recipient: the sender's choice, else a colleague's from the directory. */
  settingsByAddress: Map<string, RecipientSettings>;
  /** The configured server (URL and token), or null. */
  server: ServerConnection | null;
  directoryByAddress: Map<string, DirectoryEntry>;
}

/** Everything the panel and the seal need about one compose tab, read once. */
export async function resolveCompose(host: Host, tabId: number): Promise<ResolvedCompose> {
  const details = await host.getComposeDetails(tabId);
  const sender = parseMailbox(details.from);
  const gathered = await gatherRecipients(host, details);
  const recipients = sender ? classifyRecipients(gathered.recipients, sender) : [];
  const server = await serverConnection(host);
  const directoryByAddress = server
    ? await directoryEntries(
        host,
        server,
        recipients.filter((recipient) => !recipient.isSender).map((recipient) => recipient.address),
      )
    : new Map<string, DirectoryEntry>();
  const settingsByAddress = new Map<string, RecipientSettings>();
  for (const recipient of recipients) {
    const local = await getRecipientSettings(host.local, recipient.address);
    const settings = effectiveSettings(
      recipient.address,
      local,
      directoryByAddress.get(recipient.address),
    );
    if (settings) settingsByAddress.set(recipient.address, settings);
  }
  return {
    details,
    sender,
    recipients,
    unresolved: gathered.unresolved,
    settingsByAddress,
    server,
    directoryByAddress,
  };
}

/** The popup's view of a compose tab. */
export async function getComposeState(host: Host, tabId: number): Promise<ComposeState> {
  const resolved = await resolveCompose(host, tabId);
  const uiLanguage = languageFromLocale(host.uiLocale());
  const serverConfigured = resolved.server !== null;
  const views: RecipientView[] = resolved.recipients
    .filter((recipient) => !recipient.isSender)
    .map((recipient) => {
      const settings = resolved.settingsByAddress.get(recipient.address) ?? null;
      const directory = resolved.directoryByAddress.get(recipient.address);
      const view: RecipientView = {
        address: recipient.address,
        name: recipient.name,
        field: recipient.field,
        internal: recipient.internal,
        settings,
        language: settings?.language ?? uiLanguage,
        menu: buildMethodMenu({
          settings,
          serverConfigured,
          keyKnown: false,
          ...(directory ? { directory } : {}),
        }),
      };
      if (directory) view.directory = directory;
      if (recipient.list !== undefined) view.list = recipient.list;
      return view;
    });
  return {
    tabId,
    secure: await isSecure(host, tabId),
    sender: resolved.sender,
    recipients: views,
    uiLanguage,
    serverConfigured,
    problem: await currentProblem(host, tabId),
    defaultCountry: countryFromLocale(host.uiLocale()),
  };
}
