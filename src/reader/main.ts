import { mount } from 'svelte';
import App from './App.svelte';
import './reader.css';
import { createReaderState } from './readerStart.ts';

const target = document.getElementById('app');
if (target)
  mount(App, { target, props: { reader: createReaderState(document, navigator.languages) } });
