import { beforeEach, expect, test } from 'vitest';
import { EXTENSION_ID, installChromeStub } from '../test-support/chrome-stub';
import { classifySender } from './sender-policy';

beforeEach(() => installChromeStub());

const ext = `chrome-extension://${EXTENSION_ID}`;
const tab = { id: 4 } as chrome.tabs.Tab;

test.each<[string, chrome.runtime.MessageSender, ReturnType<typeof classifySender>]>([
  ['the real popup (no tab)', { id: EXTENSION_ID, url: `${ext}/src/popup/index.html` }, { kind: 'popup' }],
  ['the popup opened as a tab, with a query', { id: EXTENSION_ID, url: `${ext}/src/popup/index.html?tab=3`, tab }, { kind: 'popup' }],
  ['the offscreen document', { id: EXTENSION_ID, url: `${ext}/src/offscreen/offscreen.html` }, { kind: 'offscreen' }],
  ['the offscreen page loaded in a tab', { id: EXTENSION_ID, url: `${ext}/src/offscreen/offscreen.html`, tab }, null],
  ['another extension page', { id: EXTENSION_ID, url: `${ext}/other.html` }, null],
  ['another extension', { id: 'x'.repeat(32), url: `chrome-extension://${'x'.repeat(32)}/src/popup/index.html` }, null],
  ['no id', { url: `${ext}/src/popup/index.html` }, null],
  [
    'a content script',
    { id: EXTENSION_ID, url: 'https://example.com/login', origin: 'https://example.com', tab, frameId: 2, documentId: 'D1' },
    { kind: 'content', tabId: 4, frameId: 2, documentId: 'D1', origin: 'https://example.com', url: 'https://example.com/login' },
  ],
  [
    'a content script on a URL too long to match on (origin only)',
    { id: EXTENSION_ID, url: `https://example.com/${'a'.repeat(2100)}`, origin: 'https://example.com', tab, frameId: 0, documentId: 'D2' },
    { kind: 'content', tabId: 4, frameId: 0, documentId: 'D2', origin: 'https://example.com' },
  ],
  ['a content script without documentId', { id: EXTENSION_ID, url: 'https://example.com/', origin: 'https://example.com', tab, frameId: 0 }, null],
  ['a content script without a tab', { id: EXTENSION_ID, url: 'https://example.com/', origin: 'https://example.com', frameId: 0, documentId: 'D' }, null],
  ['a tab with id -1 (devtools, prerender)', { id: EXTENSION_ID, url: 'https://example.com/', origin: 'https://example.com', tab: { id: -1 } as chrome.tabs.Tab, frameId: 0, documentId: 'D' }, null],
])('%s', (_why, sender, expected) => {
  expect(classifySender(sender)).toEqual(expected);
});
