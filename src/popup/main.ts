import { mount } from 'svelte';
import App from './App.svelte';
import './popup.css';

const target = document.getElementById('app');
if (!target) throw new Error('popup: #app missing');
mount(App, { target });
