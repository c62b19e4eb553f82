/**
 * Eager content script (isolated world, every http(s) frame, document_idle). It must cost a page
 * almost nothing, so it only:
 *  - looks for *candidate* fields (password inputs, username-like inputs) in the document and in
 *    open shadow roots, and watches for ones that appear later with one MutationObserver per root
 *    (caps on records per burst and inputs per pass; work runs in an idle callback; no polling);
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
const pendingRoots = new Set<ParentNode>();

function loadEngine(): Promise<EngineModule> {
  engine ??= (import(/* @vite-ignore */ chrome.runtime.getURL(engineFile)) as Promise<EngineModule>).then((m) => {
    m.start({ onFieldsMayHaveChanged: (listener) => engineListeners.push(listener) });
    for (const root of observedRoots) observe(root); // widen to the attributes that change visibility
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

/** Scan a subtree: adopt open shadow roots, and tell whether any candidate input is there. */
function scan(root: ParentNode): boolean {
  let found = false;
  let inputs = 0;
  if (root instanceof Element && root.shadowRoot) adoptRoot(root.shadowRoot);
  if (root instanceof HTMLInputElement) return isCandidate(root);
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) adoptRoot(el.shadowRoot);
    if (!found && el instanceof HTMLInputElement && ++inputs <= MAX_INPUTS_PER_PASS) found = isCandidate(el);
  }
  return found;
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

adoptRoot(document);
work();
