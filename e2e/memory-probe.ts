/**
 * Memory probe for the @isolation specs: is a secret (a "canary" value the test planted, such as
 * the master password) present in the memory of a given browser context?
 *
 * Two complementary instruments:
 *
 * 1. V8 heap snapshots (CDP `HeapProfiler.takeHeapSnapshot`, which runs a full GC first), read per
 *    JavaScript context: a web page, the extension's service worker, the offscreen document.
 *    They see JS strings only — including strings built by `+`, which V8 keeps as "concatenated"
 *    (cons) strings made of pieces; we rebuild those, or a secret typed in two halves would be
 *    missed. They never see the bytes of an ArrayBuffer / Uint8Array, nor anything outside V8:
 *    measured, neither a DOM text node's text (set from JS) nor an <input>'s typed value shows
 *    in a page snapshot while the process scan finds both. Also outside: IPC buffers and
 *    freed-but-not-overwritten memory.
 * 2. A raw scan of a process's readable memory (`/proc/PID/mem`, needs root or ptrace rights):
 *    counts byte patterns (UTF-8, Latin-1, UTF-16LE) anywhere in a renderer, including typed
 *    array contents and garbage the GC already dropped but nobody overwrote.
 *
 * Measured facts this module relies on (Chromium 156, Playwright 1.65, see e2e/memory-probe.spec.ts):
 * - `context.newCDPSession(worker)` is refused ("page: expected Page or Frame"). The worker and
 *   the offscreen document are reached from `browser.newBrowserCDPSession()` with
 *   `Target.attachToTarget({ flatten: false })` and `Target.sendMessageToTarget` /
 *   `Target.receivedMessageFromTarget`. `flatten: true` attaches, but Playwright's CDPSession
 *   cannot address the returned sessionId (a `sessionId` in the params is ignored and the command
 *   goes to the browser target: "'Runtime.evaluate' wasn't found").
 * - The offscreen document is a CDP target of type `background_page`; it shares one V8 heap (one
 *   isolate per renderer process) with every extension page open in the same process — the popup
 *   opened as a tab included. A snapshot of either shows the strings of both.
 * - Heap snapshot strings were not truncated in this build (a 2 000 000-char string came through
 *   whole), and a 20 000-deep cons chain (a `+=` loop) was rebuilt.
 * - Snapshot sizes/times measured: blank web page 2.8 MB JSON, 0.36–0.47 s; service worker
 *   2.7 MB, 0.2–0.4 s; offscreen document (popup open, same heap) 6.7 MB, 0.44–1.36 s; parsing
 *   20–160 ms.
 * - Heaps not reachable here: the offscreen document's dedicated Argon2id worker
 *   (src/offscreen/kdf-runner.ts) is its own isolate, not a top-level target, and is terminated
 *   after each derivation; scan the extension renderer's process memory to cover it.
 * - Sliced strings (substrings of long strings) appear as nodes named "(sliced string)" with a
 *   `parent` edge only: the offset and length are not in the snapshot. See `parseHeapSnapshot`.
 */
import { open, readFile } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

// ---------------------------------------------------------------------------------------------
// CDP channels
// ---------------------------------------------------------------------------------------------

type CdpParams = Record<string, unknown>;
type CdpEventHandler = (params: CdpParams) => void;

/**
 * One CDP connection to one JavaScript target (page, service worker, offscreen document), however
 * it is reached. Commands and events are untyped on purpose: this module only needs a handful.
 */
export interface CdpChannel {
  /** Human-readable name of the target ('worker', 'offscreen', or the page URL). */
  readonly label: string;
  send(method: string, params?: CdpParams): Promise<CdpParams>;
  /** Subscribe to one event; returns the unsubscribe function. */
  on(event: string, handler: CdpEventHandler): () => void;
  /** Detach (the target keeps running). Idempotent. */
  close(): Promise<void>;
}

/** A channel to a Playwright Page, over `context.newCDPSession(page)`. */
export async function pageChannel(context: BrowserContext, page: Page): Promise<CdpChannel> {
  const session = await context.newCDPSession(page);
  return cdpSessionChannel(session, page.url());
}

/** Wrap a Playwright CDPSession (page or browser) as a channel. */
function cdpSessionChannel(session: CDPSession, label: string): CdpChannel {
  const handlers = new Map<string, Set<CdpEventHandler>>();
  // The generic 'event' listener delivers every event untyped; dispatch by method ourselves.
  session.on('event', ({ method, params }) => {
    for (const h of handlers.get(method) ?? []) h((params ?? {}) as CdpParams);
  });
  let closed = false;
  // Playwright types `send` per protocol method; this module talks to it with plain strings.
  const send = session.send.bind(session) as unknown as (m: string, p?: CdpParams) => Promise<CdpParams>;
  return {
    label,
    send: (method, params) => send(method, params),
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler);
      return () => set.delete(handler);
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.detach().catch(() => undefined);
    },
  };
}

/** What `Target.getTargets` reports about one target. */
export interface TargetInfo {
  targetId: string;
  type: string;
  title: string;
  url: string;
  attached: boolean;
}

/** All CDP targets of the browser behind `context` (pages, workers, background pages…). */
export async function listTargets(context: BrowserContext): Promise<TargetInfo[]> {
  const browserSession = await newBrowserSession(context);
  try {
    const { targetInfos } = (await browserSession.send('Target.getTargets')) as unknown as { targetInfos: TargetInfo[] };
    return targetInfos;
  } finally {
    await browserSession.detach().catch(() => undefined);
  }
}

async function newBrowserSession(context: BrowserContext): Promise<CDPSession> {
  const browser = context.browser();
  if (!browser) throw new Error('memory-probe: this BrowserContext has no Browser object to open a browser CDP session on.');
  return browser.newBrowserCDPSession();
}

/**
 * A channel to any CDP target by id, relayed through a browser CDP session: Target.attachToTarget
 * with flatten:false gives a sessionId; commands go out as JSON text through
 * Target.sendMessageToTarget and replies/events come back in Target.receivedMessageFromTarget.
 * (These two methods are marked deprecated in the protocol but are what works through Playwright.)
 */
export async function targetChannel(context: BrowserContext, target: Pick<TargetInfo, 'targetId'>, label: string): Promise<CdpChannel> {
  const browserSession = await newBrowserSession(context);
  const { sessionId } = (await browserSession.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as {
    sessionId: string;
  };
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: CdpParams) => void; reject: (e: Error) => void; method: string }>();
  const handlers = new Map<string, Set<CdpEventHandler>>();
  let closed = false;

  const onMessage = (ev: { sessionId: string; message: string }) => {
    if (ev.sessionId !== sessionId) return;
    const msg = JSON.parse(ev.message) as { id?: number; method?: string; params?: CdpParams; result?: CdpParams; error?: { message: string } };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${label}: ${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result ?? {});
    } else if (msg.method) {
      for (const h of handlers.get(msg.method) ?? []) h(msg.params ?? {});
    }
  };
  const onDetached = (ev: { sessionId: string }) => {
    if (ev.sessionId !== sessionId) return;
    closed = true;
    for (const p of pending.values()) p.reject(new Error(`${label}: target detached during ${p.method}`));
    pending.clear();
  };
  browserSession.on('Target.receivedMessageFromTarget', onMessage);
  browserSession.on('Target.detachedFromTarget', onDetached);

  return {
    label,
    send(method, params = {}) {
      if (closed) return Promise.reject(new Error(`${label}: channel closed (${method})`));
      const id = nextId++;
      const reply = new Promise<CdpParams>((resolve, reject) => pending.set(id, { resolve, reject, method }));
      browserSession
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
        .catch((e: unknown) => {
          const p = pending.get(id);
          pending.delete(id);
          p?.reject(e instanceof Error ? e : new Error(String(e)));
        });
      return reply;
    },
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler);
      return () => set.delete(handler);
    },
    async close() {
      if (closed) {
        await browserSession.detach().catch(() => undefined);
        return;
      }
      closed = true;
      await browserSession.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      await browserSession.detach().catch(() => undefined);
    },
  };
}

/** Which JavaScript context to probe: the extension's service worker, its offscreen document, or a page. */
export type ProbeKind = 'worker' | 'offscreen' | Page;

export interface OpenTargetOptions {
  /** Restrict the worker / offscreen lookup to this extension (default: any chrome-extension:// target). */
  extensionId?: string;
  /** How the offscreen document's URL ends (default '/src/offscreen/offscreen.html'). */
  offscreenPath?: string;
}

export const OFFSCREEN_PATH = '/src/offscreen/offscreen.html';

/** Label used for a kind in reports. */
export function kindLabel(kind: ProbeKind): string {
  return typeof kind === 'string' ? kind : `page ${kind.url()}`;
}

/**
 * Open a channel to the worker, the offscreen document or a page. Returns null when the worker or
 * the offscreen document does not exist right now (a stopped worker has no target; the offscreen
 * document exists only after the extension created it). Close the channel when done.
 */
export async function openTarget(context: BrowserContext, kind: ProbeKind, options: OpenTargetOptions = {}): Promise<CdpChannel | null> {
  if (typeof kind !== 'string') return pageChannel(context, kind);
  const prefix = options.extensionId ? `chrome-extension://${options.extensionId}/` : 'chrome-extension://';
  const offscreenPath = options.offscreenPath ?? OFFSCREEN_PATH;
  const targets = await listTargets(context);
  const found = targets.find((t) =>
    kind === 'worker'
      ? t.type === 'service_worker' && t.url.startsWith(prefix)
      : t.type === 'background_page' && t.url.startsWith(prefix) && new URL(t.url).pathname === offscreenPath,
  );
  if (!found) return null;
  return targetChannel(context, found, kind);
}

// ---------------------------------------------------------------------------------------------
// Heap snapshots
// ---------------------------------------------------------------------------------------------

/** An object node of the heap snapshot (a JS object whose constructor name was asked for). */
export interface HeapObjectNode {
  /** Heap snapshot object id: pass as String(id) to HeapProfiler.getObjectByHeapObjectId. */
  id: number;
  /** Class (constructor) name. */
  name: string;
  selfSize: number;
}

export interface HeapStringsOptions {
  /** Also return the "object" nodes whose name (constructor name) is one of these. */
  classNames?: readonly string[];
  /**
   * Rebuild concatenated strings from their pieces (default true). false lists only the flat
   * strings — the self-test uses it to prove the rebuild is what finds a split secret.
   */
  rebuildConsStrings?: boolean;
}

export interface HeapStrings {
  /** Which context ('worker', 'offscreen', 'page <url>'). */
  label: string;
  /**
   * Every flat string of the heap, plus every top-level concatenated string rebuilt from its
   * pieces (a cons string that is itself a piece of another one is not listed separately: its
   * text is inside its parent's).
   */
  strings: string[];
  /** Object nodes of the requested class names (empty unless `classNames` was given). */
  objects: HeapObjectNode[];
  stats: {
    nodes: number;
    flatStrings: number;
    consStrings: number;
    consRoots: number;
    slicedStrings: number;
    /** Size of the snapshot JSON in characters. */
    snapshotChars: number;
    /** Time for HeapProfiler.takeHeapSnapshot (GC + serialisation + transfer). */
    snapshotMs: number;
    parseMs: number;
  };
}

interface SnapshotJson {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: unknown[];
      edge_fields: string[];
      edge_types: unknown[];
    };
    node_count?: number;
    edge_count?: number;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Take a heap snapshot of the target behind `channel` and return the raw JSON text (the
 * .heapsnapshot format). V8 runs a full GC first, so what remains is reachable or at least
 * survived a full collection.
 */
export async function takeHeapSnapshot(channel: CdpChannel): Promise<{ json: string; ms: number }> {
  const chunks: string[] = [];
  const off = channel.on('HeapProfiler.addHeapSnapshotChunk', (p) => chunks.push(String(p.chunk)));
  const t0 = performance.now();
  try {
    // The reply arrives after the last chunk event (same ordered stream).
    await channel.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  } finally {
    off();
  }
  return { json: chunks.join(''), ms: Math.round(performance.now() - t0) };
}

/** Take a heap snapshot of the target behind `channel` (GC first) and return its strings. */
export async function heapStrings(channel: CdpChannel, options: HeapStringsOptions = {}): Promise<HeapStrings> {
  const { json, ms } = await takeHeapSnapshot(channel);
  const t1 = performance.now();
  const parsed = parseHeapSnapshot(json, options);
  return {
    label: channel.label,
    strings: parsed.strings,
    objects: parsed.objects,
    stats: { ...parsed.stats, snapshotChars: json.length, snapshotMs: ms, parseMs: Math.round(performance.now() - t1) },
  };
}

/**
 * Parse a .heapsnapshot JSON text (the format DevTools saves) and return its strings and,
 * optionally, the object nodes of some classes.
 *
 * Format: `nodes` is a flat array of `meta.node_fields.length` numbers per node, `edges` one of
 * `meta.edge_fields.length` numbers per edge; a node's edges follow those of the previous nodes
 * (in node order, `edge_count` each). A node's `type` indexes `meta.node_types[typeField]`, its
 * `name` indexes `strings`. An edge's `to_node` is the *offset* of the target in `nodes` (node
 * index × node field count); its `name_or_index` indexes `strings` for named edge types and is a
 * plain number for 'element' / 'hidden' edges.
 *
 * String nodes:
 * - type "string": the name is the text itself (flat, internalized, thin or external strings).
 * - type "concatenated string" (name "(concatenated string)"): the text is its `first` edge's
 *   target followed by its `second` edge's target, recursively. Rebuilt iteratively (a string
 *   built by a loop of `+=` is a cons chain thousands deep).
 * - type "sliced string" (name "(sliced string)"): a substring of its `parent` edge's target, but
 *   V8 does not record offset/length. The parent is itself a string node and so is listed anyway;
 *   sliced strings are not listed separately. Inside a cons string a sliced piece is replaced by
 *   its whole parent text (a superset): a secret spanning that piece's boundary could be missed.
 */
export function parseHeapSnapshot(
  json: string | SnapshotJson,
  options: HeapStringsOptions = {},
): { strings: string[]; objects: HeapObjectNode[]; stats: Omit<HeapStrings['stats'], 'snapshotChars' | 'snapshotMs' | 'parseMs'> } {
  const snap = typeof json === 'string' ? (JSON.parse(json) as SnapshotJson) : json;
  const { meta } = snap.snapshot;
  const nodeFieldCount = meta.node_fields.length;
  const edgeFieldCount = meta.edge_fields.length;
  const field = (fields: string[], name: string): number => {
    const i = fields.indexOf(name);
    if (i < 0) throw new Error(`memory-probe: heap snapshot has no "${name}" field (fields: ${fields.join(', ')})`);
    return i;
  };
  const nType = field(meta.node_fields, 'type');
  const nName = field(meta.node_fields, 'name');
  const nId = field(meta.node_fields, 'id');
  const nSelfSize = field(meta.node_fields, 'self_size');
  const nEdgeCount = field(meta.node_fields, 'edge_count');
  const eType = field(meta.edge_fields, 'type');
  const eName = field(meta.edge_fields, 'name_or_index');
  const eTo = field(meta.edge_fields, 'to_node');
  const nodeTypes = meta.node_types[nType] as string[];
  const edgeTypes = meta.edge_types[eType] as string[];

  const { nodes, edges, strings: table } = snap;
  const nodeCount = nodes.length / nodeFieldCount;
  const typeCode = (name: string) => nodeTypes.indexOf(name); // -1 if this V8 lacks the type
  const T_STRING = typeCode('string');
  const T_CONS = typeCode('concatenated string');
  const T_SLICED = typeCode('sliced string');
  const T_OBJECT = typeCode('object');
  const E_ELEMENT = edgeTypes.indexOf('element');
  const E_HIDDEN = edgeTypes.indexOf('hidden');

  // Offset of each node's first edge in `edges`.
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0, e = 0; i < nodeCount; i++) {
    firstEdge[i] = e;
    e += (nodes[i * nodeFieldCount + nEdgeCount] ?? 0) * edgeFieldCount;
    firstEdge[i + 1] = e;
  }
  const typeOf = (i: number) => nodes[i * nodeFieldCount + nType] ?? -1;
  const nameOf = (i: number) => table[nodes[i * nodeFieldCount + nName] ?? -1] ?? '';
  /** Node index of the target of node i's edge named `name`, or -1. */
  const edgeTarget = (i: number, name: string): number => {
    for (let e = firstEdge[i] ?? 0, end = firstEdge[i + 1] ?? 0; e < end; e += edgeFieldCount) {
      const t = edges[e + eType];
      if (t === E_ELEMENT || t === E_HIDDEN) continue; // numeric names
      if (table[edges[e + eName] ?? -1] === name) return (edges[e + eTo] ?? -nodeFieldCount) / nodeFieldCount;
    }
    return -1;
  };

  const wanted = new Set(options.classNames ?? []);
  const rebuild = options.rebuildConsStrings ?? true;
  const out: string[] = [];
  const objects: HeapObjectNode[] = [];
  const consNodes: number[] = [];
  const isConsChild = new Uint8Array(nodeCount);
  let flatStrings = 0;
  let slicedStrings = 0;

  for (let i = 0; i < nodeCount; i++) {
    const t = typeOf(i);
    if (t === T_STRING) {
      out.push(nameOf(i));
      flatStrings++;
    } else if (t === T_CONS) {
      consNodes.push(i);
      for (const side of ['first', 'second']) {
        const c = edgeTarget(i, side);
        if (c >= 0) isConsChild[c] = 1;
      }
    } else if (t === T_SLICED) {
      slicedStrings++;
    } else if (t === T_OBJECT && wanted.size > 0 && wanted.has(nameOf(i))) {
      const base = i * nodeFieldCount;
      objects.push({ id: nodes[base + nId] ?? -1, name: nameOf(i), selfSize: nodes[base + nSelfSize] ?? 0 });
    }
  }

  /** Text of a cons tree, depth-first left to right with an explicit stack (no recursion). */
  const rebuildCons = (root: number): string => {
    const parts: string[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop() as number;
      const t = typeOf(n);
      if (t === T_CONS) {
        const first = edgeTarget(n, 'first');
        const second = edgeTarget(n, 'second');
        if (second >= 0) stack.push(second); // pushed first, popped after `first`
        if (first >= 0) stack.push(first);
      } else if (t === T_SLICED) {
        const parent = edgeTarget(n, 'parent');
        if (parent >= 0) stack.push(parent); // superset of the slice; see the doc comment
      } else if (t === T_STRING) {
        parts.push(nameOf(n));
      }
    }
    return parts.join('');
  };

  let consRoots = 0;
  if (rebuild) {
    for (const i of consNodes) {
      if (isConsChild[i]) continue;
      out.push(rebuildCons(i));
      consRoots++;
    }
  }
  return { strings: out, objects, stats: { nodes: nodeCount, flatStrings, consStrings: consNodes.length, consRoots, slicedStrings } };
}

/**
 * Snapshot one context and return its strings: `snapshotTarget(context, 'worker')`,
 * `snapshotTarget(context, 'offscreen')` or `snapshotTarget(context, page)`. Returns null when the
 * worker is not running or the offscreen document does not exist.
 * Remember: the offscreen document and the extension pages of its process share one heap.
 */
export async function snapshotTarget(
  context: BrowserContext,
  kind: ProbeKind,
  options: HeapStringsOptions & OpenTargetOptions = {},
): Promise<HeapStrings | null> {
  const channel = await openTarget(context, kind, options);
  if (!channel) return null;
  try {
    const result = await heapStrings(channel, options);
    return { ...result, label: kindLabel(kind) };
  } finally {
    await channel.close();
  }
}

/**
 * Call `functionDeclaration` with `args` (JSON values) in the target's main realm, with `this` =
 * globalThis, and return its JSON-able result (promises are awaited). For targets Playwright has
 * no handle on, such as the offscreen document:
 *   await callFunction(channel, '(a, b) => { globalThis.x = a + b; }', [left, right]);
 * Passing the secret in pieces as arguments keeps it out of any script source text.
 */
export async function callFunction<T = unknown>(channel: CdpChannel, functionDeclaration: string, args: readonly unknown[] = []): Promise<T> {
  const global = (await channel.send('Runtime.evaluate', { expression: 'globalThis', objectGroup: 'memory-probe' })) as {
    result: { objectId?: string };
  };
  try {
    const reply = (await channel.send('Runtime.callFunctionOn', {
      objectId: global.result.objectId,
      functionDeclaration,
      arguments: args.map((value) => ({ value })),
      returnByValue: true,
      awaitPromise: true,
    })) as { result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (reply.exceptionDetails) {
      throw new Error(`memory-probe: ${channel.label}: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`);
    }
    return reply.result.value as T;
  } finally {
    await channel.send('Runtime.releaseObjectGroup', { objectGroup: 'memory-probe' }).catch(() => undefined);
  }
}

/**
 * Run `functionDeclaration` on a heap object found by `heapStrings(..., { classNames })` and return
 * its JSON-able result, e.g. `(function () { return Array.from(this.bytes); })`. Use the same
 * channel the snapshot was taken on (object ids belong to that heap profiler session).
 */
export async function callOnHeapObject<T>(channel: CdpChannel, object: Pick<HeapObjectNode, 'id'>, functionDeclaration: string): Promise<T> {
  const { result } = (await channel.send('HeapProfiler.getObjectByHeapObjectId', { objectId: String(object.id), objectGroup: 'memory-probe' })) as {
    result: { objectId?: string };
  };
  if (!result.objectId) throw new Error(`memory-probe: heap object ${object.id} is gone`);
  try {
    const reply = (await channel.send('Runtime.callFunctionOn', { objectId: result.objectId, functionDeclaration, returnByValue: true })) as {
      result: { value?: T };
      exceptionDetails?: { text: string };
    };
    if (reply.exceptionDetails) throw new Error(`memory-probe: callOnHeapObject threw: ${reply.exceptionDetails.text}`);
    return reply.result.value as T;
  } finally {
    await channel.send('Runtime.releaseObjectGroup', { objectGroup: 'memory-probe' }).catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Canaries
// ---------------------------------------------------------------------------------------------

/** Canaries by name: `{ master: MASTER_PASSWORD, itemPassword: '…' }`. */
export type Canaries = Record<string, string>;

/** Per canary name, how many of `strings` contain the canary value (substring match). */
export function countCanaries(strings: readonly string[], canaries: Canaries): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(canaries)) {
    if (value.length === 0) throw new Error(`memory-probe: canary "${name}" is empty`);
    let n = 0;
    for (const s of strings) if (s.includes(value)) n++;
    counts[name] = n;
  }
  return counts;
}

export interface CanaryHit {
  context: string;
  canary: string;
  count: number;
  /** Up to 80 characters around the first occurrence, to see what holds it. */
  sample: string;
}

/**
 * Cross every context with every canary. `found` lists the (context, canary) pairs with a hit;
 * `message` says it in words, for assertion failures:
 *
 *   const r = canaryReport({ worker: await snapshotTarget(ctx, 'worker') }, { master: MASTER_PASSWORD });
 *   expect(r.found, r.message).toEqual([]);
 *
 * A context given as null (target absent) is reported as "not present".
 */
export function canaryReport(
  contexts: Record<string, readonly string[] | HeapStrings | null>,
  canaries: Canaries,
): { counts: Record<string, Record<string, number> | null>; found: CanaryHit[]; message: string } {
  const counts: Record<string, Record<string, number> | null> = {};
  const found: CanaryHit[] = [];
  const lines: string[] = [];
  for (const [context, value] of Object.entries(contexts)) {
    if (value === null) {
      counts[context] = null;
      lines.push(`  ${context}: not present`);
      continue;
    }
    const strings = Array.isArray(value) ? (value as readonly string[]) : (value as HeapStrings).strings;
    const c = countCanaries(strings, canaries);
    counts[context] = c;
    const hits: string[] = [];
    for (const [name, count] of Object.entries(c)) {
      if (count === 0) continue;
      const canary = canaries[name] as string;
      const holder = strings.find((s) => s.includes(canary)) ?? '';
      const at = holder.indexOf(canary);
      const sample = holder.slice(Math.max(0, at - 30), at + canary.length + 30);
      found.push({ context, canary: name, count, sample });
      hits.push(`${name} ×${count} (e.g. …${JSON.stringify(sample)}…)`);
    }
    lines.push(`  ${context}: ${hits.length ? hits.join('; ') : 'no canary'}`);
  }
  const message = `${found.length ? 'Canaries found in memory' : 'No canary found'} (${Object.keys(canaries).join(', ')}):\n${lines.join('\n')}`;
  return { counts, found, message };
}

// ---------------------------------------------------------------------------------------------
// Process memory
// ---------------------------------------------------------------------------------------------

export type Encoding = 'utf8' | 'latin1' | 'utf16le';

export interface NeedleCount {
  /** Occurrences as UTF-8 bytes (also Latin-1, i.e. V8 one-byte strings, for ASCII needles). */
  utf8: number;
  /** Occurrences as Latin-1 bytes — only searched when it differs from UTF-8 (non-ASCII ≤ U+00FF). */
  latin1: number;
  /** Occurrences as UTF-16LE (V8 two-byte strings, Blink's UChar buffers). */
  utf16le: number;
  total: number;
}

export interface ProcessScan {
  pid: number;
  /** Per needle (the needle string itself is the key). */
  counts: Record<string, NeedleCount>;
  /** First few hits, for debugging: address (hex) and the mapping it falls in. */
  hits: { needle: string; encoding: Encoding; address: string; mapping: string }[];
  /** Bytes actually read and searched. */
  bytesScanned: number;
  /** Total size of the mappings selected (before skipping untouched pages). */
  bytesMapped: number;
  regionsScanned: number;
  /** Readable regions we could not read (or partly read). */
  regionsUnreadable: number;
  ms: number;
  /** Set when the process vanished or /proc/PID/mem could not be opened. */
  error?: string;
}

export interface ScanOptions {
  /**
   * 'data' (default): anonymous and writable mappings, [heap], [stack], shared memory (memfd,
   * /dev/shm) — everywhere runtime data can live. Skips read-only mappings of files on disk (the
   * chromium binary, .pak resources, fonts, libraries' code), which cannot hold a runtime secret.
   * 'all': every readable mapping.
   */
  regions?: 'data' | 'all';
  /** Bytes per read (default 8 MiB). */
  chunkSize?: number;
  /** Hits to record with their address (default 10). */
  maxHits?: number;
  /**
   * Skip never-touched pages of private anonymous mappings, found through /proc/PID/pagemap
   * (default true). Measured: a renderer maps ≈ 610–700 MiB of 'data' regions (a 512 MiB [heap]
   * reservation among them) of which only ≈ 10–40 MiB is resident, so this cuts a scan from
   * ≈ 0.3–0.9 s to ≈ 0.05–0.15 s per renderer, with the same hits. Shared and file-backed
   * mappings are always read whole.
   * Beware: a scan with `skipUntouched: false` reads untouched pages, which maps the kernel's zero
   * page into them; they then count as present and later scans of that process get slower (not
   * less correct).
   */
  skipUntouched?: boolean;
}

interface Mapping {
  start: number;
  end: number;
  perms: string;
  path: string;
  inode: string;
}

function readMaps(pid: number): Promise<Mapping[]> {
  return readFile(`/proc/${pid}/maps`, 'latin1').then((text) => {
    const out: Mapping[] = [];
    for (const line of text.split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
      if (!m) continue;
      const start = Number.parseInt(m[1] as string, 16);
      const end = Number.parseInt(m[2] as string, 16);
      // [vsyscall] sits at 0xffffffffff600000, beyond exact doubles; nothing of ours lives there.
      if (!Number.isSafeInteger(end)) continue;
      out.push({ start, end, perms: m[3] as string, inode: m[4] as string, path: m[5] as string });
    }
    return out;
  });
}

function wantedRegion(m: Mapping, mode: 'data' | 'all'): boolean {
  if (m.perms[0] !== 'r') return false;
  // Kernel-provided pages: [vvar] reads fail with EIO; [vdso] is code.
  if (m.path.startsWith('[vvar') || m.path === '[vsyscall]' || m.path === '[vdso]') return false;
  if (mode === 'all') return true;
  const fileBacked = m.inode !== '0';
  const shared = m.path.startsWith('/memfd:') || m.path.startsWith('/dev/shm/') || m.path.endsWith('(deleted)');
  return !fileBacked || shared || m.perms[1] === 'w';
}

/** The byte patterns searched for one needle. Latin-1 only when it differs from UTF-8 and is representable. */
function patternsOf(needle: string): { encoding: Encoding; bytes: Buffer }[] {
  const utf8 = Buffer.from(needle, 'utf8');
  const patterns: { encoding: Encoding; bytes: Buffer }[] = [{ encoding: 'utf8', bytes: utf8 }];
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u00ff]*$/.test(needle)) {
    const latin1 = Buffer.from(needle, 'latin1');
    if (!latin1.equals(utf8)) patterns.push({ encoding: 'latin1', bytes: latin1 });
  }
  patterns.push({ encoding: 'utf16le', bytes: Buffer.from(needle, 'utf16le') });
  return patterns;
}

const PAGE_SIZE = 4096; // x86_64 (and the default arm64 kernels); pagemap has one entry per page

/**
 * Sub-ranges of [start, end) whose pages are present in RAM or swapped out, from
 * /proc/PID/pagemap (8 bytes per page: bit 63 present, bit 62 swapped). Reading pagemap needs no
 * privilege for these bits. Used only for private anonymous mappings, where a page that is
 * neither present nor swapped has never been written and reads as zeros.
 */
async function touchedRanges(pagemap: Awaited<ReturnType<typeof open>>, start: number, end: number): Promise<(readonly [number, number])[]> {
  const ranges: [number, number][] = [];
  const pages = (end - start) / PAGE_SIZE;
  const batch = 1 << 16; // pages per read (512 KiB of pagemap)
  const entries = Buffer.allocUnsafe(Math.min(pages, batch) * 8);
  let runStart = -1;
  for (let first = 0; first < pages; first += batch) {
    const n = Math.min(batch, pages - first);
    let got = 0;
    try {
      got = (await pagemap.read(entries, 0, n * 8, (start / PAGE_SIZE + first) * 8)).bytesRead;
    } catch {
      got = 0;
    }
    for (let i = 0; i < n; i++) {
      // Unreadable entries count as touched: better to read zeros than to skip data.
      const touched = i * 8 + 8 > got || (entries.readUInt32LE(i * 8 + 4) & 0xc0000000) !== 0;
      const addr = start + (first + i) * PAGE_SIZE;
      if (touched && runStart < 0) runStart = addr;
      if (!touched && runStart >= 0) {
        ranges.push([runStart, addr]);
        runStart = -1;
      }
    }
  }
  if (runStart >= 0) ranges.push([runStart, end]);
  return ranges;
}

/**
 * Count each needle in the readable memory of process `pid`, as UTF-8, Latin-1 (when different)
 * and UTF-16LE bytes. Reads /proc/PID/mem region by region in chunks; consecutive chunks overlap
 * by (longest pattern − 1) bytes and a match is counted only if it ends in the new part, so a
 * needle straddling two chunks is counted exactly once. A chunk that fails to read (a page gone or
 * not readable after all) is retried in 64 KiB pieces, skipping the pieces that fail.
 *
 * Needs root (or ptrace rights over the process). Measured here (Chromium 156, headless, 2 cores),
 * per renderer: ≈ 1.0–1.2 GiB readable mappings ('all'), ≈ 0.6–0.85 GiB 'data', of which only
 * ≈ 8–40 MiB were ever touched. Default scan ('data', skipUntouched): 45–200 ms (once 430 ms),
 * ≈ 0.5 s for all 5 renderers of a test browser; `skipUntouched: false` 0.23–0.41 s;
 * 'all' 0.46–0.63 s per renderer. Same hit counts in all three modes.
 *
 * Hits count every copy: the same secret may legitimately appear several times (V8 string, the
 * CDP message that carried it, a Blink buffer). Freed memory is not zeroed by the allocator, so a
 * dropped string or an unwiped buffer keeps showing up until that memory is reused.
 */
export async function scanProcessMemory(pid: number, needles: readonly string[], options: ScanOptions = {}): Promise<ProcessScan> {
  const t0 = performance.now();
  const counts: Record<string, NeedleCount> = {};
  const patterns = needles.flatMap((needle) => {
    if (needle.length === 0) throw new Error('memory-probe: empty needle');
    counts[needle] = { utf8: 0, latin1: 0, utf16le: 0, total: 0 };
    return patternsOf(needle).map((p) => ({ ...p, needle }));
  });
  const result: ProcessScan = { pid, counts, hits: [], bytesScanned: 0, bytesMapped: 0, regionsScanned: 0, regionsUnreadable: 0, ms: 0 };
  const maxHits = options.maxHits ?? 10;
  const chunkSize = options.chunkSize ?? 8 << 20;
  const overlap = Math.max(0, ...patterns.map((p) => p.bytes.length)) - 1;

  let maps: Mapping[];
  let file: Awaited<ReturnType<typeof open>>;
  try {
    maps = await readMaps(pid);
    file = await open(`/proc/${pid}/mem`, 'r');
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    result.ms = Math.round(performance.now() - t0);
    return result;
  }
  const buf = Buffer.allocUnsafe(chunkSize + overlap);

  /** Read [pos, pos+len) into buf at `at`; returns bytes read (short or 0 on failure). */
  const readAt = async (at: number, pos: number, len: number): Promise<number> => {
    let done = 0;
    while (done < len) {
      const { bytesRead } = await file.read(buf, at + done, len - done, pos + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  };

  /** Scan the contiguous readable range [start, end) of mapping `m`. */
  const scanRange = async (m: Mapping, start: number, end: number): Promise<boolean> => {
    let carry = 0; // bytes at the start of buf kept from the previous chunk
    let unreadable = false;
    for (let pos = start; pos < end; pos += chunkSize) {
      const len = Math.min(chunkSize, end - pos);
      let got: number;
      try {
        got = await readAt(carry, pos, len);
      } catch {
        got = -1;
      }
      if (got !== len) {
        // Retry piecewise; zero what cannot be read so it matches nothing.
        unreadable = true;
        const piece = 64 << 10;
        for (let off = 0; off < len; off += piece) {
          const n = Math.min(piece, len - off);
          let ok = 0;
          try {
            ok = await readAt(carry + off, pos + off, n);
          } catch {
            ok = 0;
          }
          if (ok < n) buf.fill(0, carry + off + ok, carry + off + n);
        }
      }
      const view = buf.subarray(0, carry + len);
      for (const p of patterns) {
        for (let i = view.indexOf(p.bytes); i !== -1; i = view.indexOf(p.bytes, i + 1)) {
          if (i + p.bytes.length <= carry) continue; // wholly in the carried part: counted before
          const c = counts[p.needle] as NeedleCount;
          c[p.encoding]++;
          c.total++;
          if (result.hits.length < maxHits) {
            result.hits.push({ needle: p.needle, encoding: p.encoding, address: `0x${(pos - carry + i).toString(16)}`, mapping: m.path || '[anon]' });
          }
        }
      }
      result.bytesScanned += len;
      // Keep the last `overlap` bytes for the next chunk of the same range.
      carry = Math.min(overlap, view.length);
      view.copy(buf, 0, view.length - carry);
    }
    return !unreadable;
  };

  let pagemap: Awaited<ReturnType<typeof open>> | null = null;
  if (options.skipUntouched ?? true) pagemap = await open(`/proc/${pid}/pagemap`, 'r').catch(() => null);
  try {
    for (const m of maps) {
      if (!wantedRegion(m, options.regions ?? 'data')) continue;
      result.regionsScanned++;
      // A private anonymous page that was never touched reads as zeros: skip those (see ScanOptions).
      const ranges =
        pagemap && m.inode === '0' && m.perms[3] === 'p'
          ? await touchedRanges(pagemap, m.start, m.end)
          : [[m.start, m.end] as const];
      result.bytesMapped += m.end - m.start;
      let ok = true;
      for (const [start, end] of ranges) ok = (await scanRange(m, start, end)) && ok;
      if (!ok) result.regionsUnreadable++;
    }
  } finally {
    await file.close();
    await pagemap?.close();
  }
  result.ms = Math.round(performance.now() - t0);
  return result;
}

/** Scan several processes; a readable summary is in `describeScans`. */
export async function scanProcesses(pids: readonly number[], needles: readonly string[], options: ScanOptions = {}): Promise<ProcessScan[]> {
  const out: ProcessScan[] = [];
  for (const pid of pids) out.push(await scanProcessMemory(pid, needles, options));
  return out;
}

/** Total occurrences of `needle` (all encodings) over scans. */
export function totalHits(scans: readonly ProcessScan[], needle: string): number {
  return scans.reduce((n, s) => n + (s.counts[needle]?.total ?? 0), 0);
}

/** One line per process: which needles were found, in which encodings; names replace needles when given. */
export function describeScans(scans: readonly ProcessScan[], names: Record<string, string> = {}): string {
  return scans
    .map((s) => {
      const found = Object.entries(s.counts)
        .filter(([, c]) => c.total > 0)
        .map(([needle, c]) => `${names[needle] ?? JSON.stringify(needle)} utf8×${c.utf8} latin1×${c.latin1} utf16le×${c.utf16le}`);
      const info = `${(s.bytesScanned / 2 ** 20).toFixed(0)} of ${(s.bytesMapped / 2 ** 20).toFixed(0)} MiB mapped, ${s.ms} ms${s.error ? `, error: ${s.error}` : ''}`;
      return `  pid ${s.pid} (${info}): ${found.length ? found.join('; ') : 'nothing'}`;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Finding Chromium's processes
// ---------------------------------------------------------------------------------------------

export interface ChromiumProcess {
  pid: number;
  ppid: number;
  /** The --type= switch ('renderer', 'zygote', 'gpu-process', 'utility'…), null for the browser process. */
  type: string | null;
  /** Renderer started with --extension-process (hosts the extension's worker, offscreen document, popup). */
  extension: boolean;
  /** The command line as one string (Chromium's children rewrite theirs to one space-separated string). */
  cmdline: string;
}

/**
 * Chromium processes of the browser that uses `userDataDir` (the profile directory the fixture
 * launched with: `suite.userDataDir`). Every child process we saw carries
 * `--user-data-dir=<dir>` itself; as a fallback a process also belongs when an ancestor does.
 * Without a userDataDir, every Chromium process on the machine is returned — another Chromium may
 * be running here, so pass it.
 */
export function chromiumProcesses(userDataDir?: string): ChromiumProcess[] {
  const table = new Map<number, { ppid: number; cmdline: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.set(Number(entry), { ppid, cmdline });
    } catch {
      // The process exited while we looked.
    }
  }
  const switchRe = (name: string) => new RegExp(`(?:^| )--${name}=(\\S+)`);
  const hasDir = (cmdline: string) => {
    if (userDataDir === undefined) return true;
    const flag = `--user-data-dir=${userDataDir}`;
    const at = cmdline.indexOf(flag);
    const after = cmdline[at + flag.length];
    return at >= 0 && (after === undefined || after === ' ');
  };
  const belongs = (pid: number): boolean => {
    for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 16; depth++) {
      const info = table.get(p);
      if (!info) return false;
      if (hasDir(info.cmdline)) return true;
      p = info.ppid;
    }
    return false;
  };
  const out: ChromiumProcess[] = [];
  for (const [pid, { ppid, cmdline }] of table) {
    const exe = cmdline.split(' ', 1)[0] ?? '';
    if (!/chrom(e|ium)$/.test(exe)) continue; // skips crashpad handlers and the /usr/bin/chromium wrapper shell
    if (!belongs(pid)) continue;
    out.push({
      pid,
      ppid,
      type: switchRe('type').exec(cmdline)?.[1] ?? null,
      extension: / --extension-process(?: |$)/.test(cmdline),
      cmdline,
    });
  }
  return out;
}

/** Renderer pids of the browser using `userDataDir`: 'extension' renderers, 'web' (all others), or 'all'. */
export function rendererPids(userDataDir: string, kind: 'extension' | 'web' | 'all' = 'all'): number[] {
  return chromiumProcesses(userDataDir)
    .filter((p) => p.type === 'renderer' && (kind === 'all' || p.extension === (kind === 'extension')))
    .map((p) => p.pid);
}

/** Pids of the extension renderers (--extension-process) of the browser using `userDataDir`. */
export function extensionRendererPids(userDataDir: string): number[] {
  return rendererPids(userDataDir, 'extension');
}

/** The browser process (no --type) of the browser using `userDataDir`, or null. It relays every runtime message. */
export function browserPid(userDataDir: string): number | null {
  return chromiumProcesses(userDataDir).find((p) => p.type === null)?.pid ?? null;
}
