import { mount } from 'svelte';
import { message, uiLocale } from '../platform/thunderbird/i18n.ts';
import { sendRequest } from '../platform/thunderbird/sendRequest.ts';
import App from './App.svelte';
import { ComposeStore } from './composeStore.svelte.ts';
import '../ui/theme.css';

/** The compose window the popup was opened from: its active tab is the compose tab. */
async function findComposeTab(): Promise<number> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) throw new Error(message('popupNoComposeTab'));
  return tab.id;
}

document.documentElement.lang = uiLocale();
document.title = message('extensionName');

const store = new ComposeStore({
  request: sendRequest,
  findComposeTab,
  translate: message,
  openOptions: async () => {
    await browser.runtime.openOptionsPage();
    // The options tab is where the sender continues; the panel would only cover it.
    window.close();
  },
});
const target = document.getElementById('app');
if (!target) throw new Error('popup.html has no #app element');
mount(App, { target, props: { store } });
