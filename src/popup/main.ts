import { mount } from 'svelte';
import App from './App.svelte';
import { uiLanguage } from './i18n';
import './popup.css';

// The language of the messages actually loaded (not the browser's), so screen readers pronounce them right.
document.documentElement.lang = uiLanguage();
const target = document.getElementById('app');
if (!target) throw new Error('popup: #app missing');
mount(App, { target });
