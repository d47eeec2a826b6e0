import { mount } from 'svelte';
import { message, uiLocale } from '../platform/thunderbird/i18n.ts';
import { allowServerOrigin } from '../platform/thunderbird/hostPermission.ts';
import { sendRequest } from '../platform/thunderbird/sendRequest.ts';
import '../ui/theme.css';
import './options.css';
import OptionsApp from './OptionsApp.svelte';
import { downloadText } from './download.ts';
import { KeyBackupStore } from './keyBackupStore.svelte.ts';
import { KeyProtectionStore } from './keyProtectionStore.svelte.ts';
import { RecipientKeysStore } from './recipientKeysStore.svelte.ts';
import { OptionsStore } from './optionsStore.svelte.ts';
import { ServerStore } from './serverStore.svelte.ts';
import { SettingsStore } from './settingsStore.svelte.ts';

const locale = uiLocale();
document.documentElement.lang = locale;
document.title = message('optionsPageTitle');

const store = new OptionsStore({ request: sendRequest });
const settings = new SettingsStore({ request: sendRequest, translate: message });
const server = new ServerStore({
  request: sendRequest,
  allowOrigin: allowServerOrigin,
  translate: message,
  changed: () => void settings.refresh(),
});
const keyProtection = new KeyProtectionStore({ request: sendRequest, translate: message });
const keyBackup = new KeyBackupStore(
  { request: sendRequest, translate: message, download: downloadText },
  keyProtection,
);
const recipientKeys = new RecipientKeysStore({ request: sendRequest, translate: message });
const target = document.getElementById('app');
if (!target) throw new Error('options.html has no #app element');
mount(OptionsApp, {
  target,
  props: { store, server, settings, keyProtection, keyBackup, recipientKeys, locale },
});
