/**
 * The small window a send opens while it uploads a message sent by link (the compose window is
 * locked meanwhile): progress, time left, and Cancel, which cancels the send and keeps the draft.
 */
import { mount } from 'svelte';
import { message, uiLocale } from '../platform/thunderbird/i18n.ts';
import { sendRequest } from '../platform/thunderbird/sendRequest.ts';
import SendProgress from './SendProgress.svelte';
import '../ui/theme.css';

document.documentElement.lang = uiLocale();
document.title = message('sendProgressTitle');
const tabId = Number(new URLSearchParams(location.search).get('tab'));
const target = document.getElementById('app');
if (!target) throw new Error('send-progress.html has no #app element');
mount(SendProgress, {
  target,
  props: {
    poll: () => sendRequest('getSendProgress', { tabId }),
    cancel: () => sendRequest('cancelSend', { tabId }),
  },
});
