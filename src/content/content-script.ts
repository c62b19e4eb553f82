/**
 * Eager content script (isolated world, every http(s) frame). It must cost a page almost nothing.
 * It is declared `document_start` and does nothing then but register its message listener and a
 * DOMContentLoaded listener: Chromium holds a page's load event until a `document_end` or
 * `document_idle` injection has run, and runs that injection after a rendering frame, so even an
 * empty script injected at document_idle delayed `load` by a whole layout (measured: ~+60 ms on
 * the 5 000-element bench page, see BENCHMARKS.md). A `document_start` injection runs at once and
 * costs what any injection costs (the isolated world, compiling this file, the chrome.runtime
 * bindings: ≈ 2 ms there) without holding `load`. At DOMContentLoaded it only:
 *  - looks for *candidate* fields (password inputs, username-like inputs) in the document and in
 *    open shadow roots, and watches for ones that appear later with one MutationObserver per root
 *    (caps on records per burst and inputs per pass; after the first scan, work runs in an idle
 *    callback; no polling);
 *  - imports the fill engine (fill-engine.ts) the first time a candidate shows up, or when the
 *    worker addresses this frame (a fill, or a probe for the top frame's origin);
 *  - relays worker messages to the engine after checking the sender.
 *
 * It imports no runtime code from other modules: anything shared would turn this file into a
 * crxjs loader plus shared chunks (valibot included) on every page. The engine is a separate
 * module that crxjs emits and lists in web_accessible_resources; we import it by its emitted name
 * (`?script&module`) with a plain `import()`, because Vite's own dynamic-import helper would add
 * `<link rel="modulepreload">` elements to the page's <head> — visible to the page.
 */
import engineFile from './fill-engine?script&module';
import type { EngineModule } from './engine-api';

const MAX_INPUTS_PER_PASS = 400;
const MAX_RECORDS_PER_BURST = 300;
const MAX_SHADOW_ROOTS = 200;
// Cheap pre-filter only: the engine decides what really is a username (and rejects most of these).
const USERNAME_HINT = /user|login|log-in|sign.?in|ident|account|member|e-?mail/i;
const NOT_CANDIDATE = /search|newsletter|subscri/i;
// One-time-code fields (one-time-code.ts decides): a code word, or a box of a split code.
const CODE_HINT = /one-time|otp|2fa|totp|verification|security.?code|authenticat/i;

let engine: Promise<EngineModule> | null = null;
const engineListeners: (() => void)[] = [];
const observed = new WeakSet<Node>();
let shadowRootCount = 0;
let dirty = false;
let scheduled = false;
const pendingRoots = new Set<Document | ShadowRoot | Element>();

function loadEngine(): Promise<EngineModule> {
  engine ??= (import(/* @vite-ignore */ chrome.runtime.getURL(engineFile)) as Promise<EngineModule>).then((m) => {
    m.start({ onFieldsMayHaveChanged: (listener) => engineListeners.push(listener) });
    for (const root of observedRoots) observe(root); // widen to the attributes that change visibility
    // Loaded before the page finished loading (the first scan runs at DOMContentLoaded): look
    // again once it has, as fields can become visible without a DOM mutation (styles, layout).
    if (document.readyState !== 'complete') window.addEventListener('load', () => engineListeners.forEach((l) => l()), { once: true });
    return m;
  });
  return engine;
}

function isCandidate(input: HTMLInputElement): boolean {
  const type = input.type;
  if (type === 'password') return true;
  if (type !== 'text' && type !== 'email' && type !== 'tel') return false;
  const hints = `${input.name} ${input.id} ${input.autocomplete} ${input.placeholder} ${input.getAttribute('aria-label') ?? ''} ${input.labels?.[0]?.textContent ?? ''}`;
  return (USERNAME_HINT.test(hints) || CODE_HINT.test(hints) || input.maxLength === 1) && !NOT_CANDIDATE.test(hints);
}

const observedRoots: (Document | ShadowRoot)[] = [];
const observer = new MutationObserver(onMutations);

function observe(root: Document | ShadowRoot): void {
  // Before the engine is loaded only new nodes and type switches matter; after, also the
  // attributes that show or hide a field (a modal opening is often a class change).
  const attributeFilter = engine ? ['type', 'style', 'class', 'hidden', 'open'] : ['type'];
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter });
}

function adoptRoot(root: Document | ShadowRoot): void {
  if (observed.has(root)) return;
  if (root instanceof ShadowRoot && ++shadowRootCount > MAX_SHADOW_ROOTS) return;
  observed.add(root);
  observedRoots.push(root);
  observe(root);
  pendingRoots.add(root);
}

// Elements that can host a shadow root: any custom element (a name with a hyphen), and these
// built-ins. Looking at every element's .shadowRoot would create a JS wrapper for each of them in
// this world (≈ 3 ms on a 5 000-element page, most of this script's cost); instead the engine of
// the selector and XPath evaluators, which return only the few elements that can be hosts:
//  - custom elements, by XPath on the tag name (no CSS selector can test for a hyphen);
//  - built-in hosts with no light-DOM content (`:empty`), which is what a host whose content lives
//    in its shadow root looks like.
// A built-in host with light-DOM children is found when one of its fields gets focus (below), and
// a fill walks every open shadow root anyway (deep-inputs.ts).
const CUSTOM_ELEMENTS = "descendant-or-self::*[contains(local-name(), '-')]";
const EMPTY_BUILTIN_HOSTS = ':is(div,span,p,section,article,aside,main,nav,header,footer,blockquote,h1,h2,h3,h4,h5,h6,body):empty';

function adoptHosts(root: Document | ShadowRoot | Element): void {
  // XPath refuses a ShadowRoot (a DocumentFragment) as its context node: start from its children.
  for (const start of root instanceof ShadowRoot ? root.children : [root]) {
    const custom = document.evaluate(CUSTOM_ELEMENTS, start, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    for (let i = 0; i < custom.snapshotLength; i++) {
      const shadow = (custom.snapshotItem(i) as Element).shadowRoot;
      if (shadow) adoptRoot(shadow);
    }
  }
  for (const el of root.querySelectorAll(EMPTY_BUILTIN_HOSTS)) if (el.shadowRoot) adoptRoot(el.shadowRoot);
}

/** Scan a subtree: adopt open shadow roots, and tell whether any candidate input is there. */
function scan(root: Document | ShadowRoot | Element): boolean {
  if (root instanceof Element && root.shadowRoot) adoptRoot(root.shadowRoot);
  if (root instanceof HTMLInputElement) return isCandidate(root);
  adoptHosts(root);
  // getElementsByTagName wraps only the inputs; a ShadowRoot (a DocumentFragment) does not have it.
  const inputs = root instanceof ShadowRoot ? root.querySelectorAll('input') : root.getElementsByTagName('input');
  const n = Math.min(inputs.length, MAX_INPUTS_PER_PASS);
  for (let i = 0; i < n; i++) if (isCandidate(inputs[i] as HTMLInputElement)) return true;
  return false;
}

function work(): void {
  scheduled = false;
  let found = false;
  // New shadow roots found while scanning are queued and scanned in the same pass.
  for (let i = 0; i < 50 && pendingRoots.size > 0; i++) {
    const roots = [...pendingRoots];
    pendingRoots.clear();
    for (const root of roots) if (scan(root)) found = true;
  }
  if (engine) {
    if (dirty) for (const listener of engineListeners) listener();
  } else if (found) {
    void loadEngine();
  }
  dirty = false;
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 300 });
  else setTimeout(work, 50);
}

function onMutations(records: MutationRecord[]): void {
  const n = Math.min(records.length, MAX_RECORDS_PER_BURST);
  for (let i = 0; i < n; i++) {
    const r = records[i] as MutationRecord;
    if (r.type === 'attributes') {
      if (r.attributeName === 'type' && r.target instanceof HTMLInputElement) pendingRoots.add(r.target);
      dirty = true;
      continue;
    }
    for (const node of r.addedNodes) if (node instanceof Element) pendingRoots.add(node);
    if (r.removedNodes.length > 0 || r.addedNodes.length > 0) dirty = true;
  }
  // Too many records to look at one by one: rescan the roots (still capped per pass).
  if (records.length > MAX_RECORDS_PER_BURST) for (const root of observedRoots) pendingRoots.add(root);
  if (dirty || pendingRoots.size > 0) schedule();
}

chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
  if (typeof raw !== 'object' || raw === null || (raw as { target?: unknown }).target !== 'content') return false;
  // Only the extension's own worker reaches this listener through tabs.sendMessage; web pages
  // cannot. Another tab's content script would carry sender.tab: refuse it.
  if (sender.id !== chrome.runtime.id || sender.tab) return false;
  loadEngine()
    .then((m) => m.handleWorkerMessage(raw))
    .then(sendResponse, () => sendResponse({ ok: false, error: 'internal' }));
  return true;
});

// Nothing touches the DOM before the parser is done: observing from document_start would see
// every parsed node as a mutation. The first scan runs at DOMContentLoaded (as early as the old
// document_idle injection did, so a form is ready when the page is), later ones in idle callbacks.
function start(): void {
  adoptRoot(document);
  work();
}
// A field in a shadow root the scan could not find (a built-in host with light-DOM children):
// adopt its roots when it gets focus. Capture phase, on the document: events are retargeted to the
// host there, but composedPath() still starts at the input when its roots are open.
document.addEventListener(
  'focusin',
  (e) => {
    const target = e.composedPath()[0];
    if (!(target instanceof HTMLInputElement)) return;
    let adopted = false;
    for (let root = target.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) {
      if (!observed.has(root)) {
        adoptRoot(root);
        adopted = true;
      }
    }
    if (adopted) schedule();
  },
  { capture: true },
);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
