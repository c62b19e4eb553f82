/**
 * @isolation self-test of e2e/memory-probe.ts: before any spec concludes "the secret is not in
 * this context", the probe must be shown able to find a secret that *is* there — split into
 * pieces (cons strings), in each kind of context (page, service worker, offscreen document), and
 * as raw bytes a heap snapshot cannot see (process memory scan). Canaries are random per run, and
 * sent to the browser in pieces, so the whole value never appears in any script source or
 * protocol message: only the probe's rebuilding can find it.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { openPopup, useExtension } from './extension';
import {
  callFunction,
  callOnHeapObject,
  canaryReport,
  countCanaries,
  describeScans,
  extensionRendererPids,
  listTargets,
  OFFSCREEN_PATH,
  openTarget,
  parseHeapSnapshot,
  rendererPids,
  scanProcesses,
  snapshotTarget,
  takeHeapSnapshot,
  totalHits,
} from './memory-probe';

const suite = useExtension();

/** A fresh random canary and its two halves (each ≥ 13 chars, so `left + right` is a cons string). */
function canary(tag: string): { value: string; left: string; right: string } {
  const value = `mp-${tag}-${randomBytes(12).toString('hex')}`;
  const cut = Math.floor(value.length / 2);
  return { value, left: value.slice(0, cut), right: value.slice(cut) };
}

test('@isolation heap snapshot of a page: finds a canary built by concatenation, not one never created', async () => {
  const held = canary('page');
  const never = canary('never');
  const page = await suite.context.newPage();
  await page.setContent('<title>memory probe</title><p>probe page</p>');
  await page.evaluate(
    ([l, r]) => {
      class ProbeSecretBytes {
        constructor(readonly bytes: Uint8Array) {}
      }
      const g = globalThis as unknown as Record<string, unknown>;
      g.probeHeld = l + r; // a cons string: never flattened, since nothing reads it
      g.probeBytes = new ProbeSecretBytes(new Uint8Array([1, 2, 3, 250]));
    },
    [held.left, held.right] as const,
  );

  const channel = await openTarget(suite.context, page);
  expect(channel).not.toBeNull();
  if (!channel) return;
  try {
    const { json, ms } = await takeHeapSnapshot(channel);
    const withCons = parseHeapSnapshot(json, { classNames: ['ProbeSecretBytes'] });
    const flatOnly = parseHeapSnapshot(json, { rebuildConsStrings: false });
    console.log(`page snapshot: ${(json.length / 2 ** 20).toFixed(1)} MB in ${ms} ms ${JSON.stringify(withCons.stats)}`);

    // The probe can fail: the canary is there only as two pieces until the cons string is rebuilt.
    expect(countCanaries(flatOnly.strings, { held: held.value })).toEqual({ held: 0 });
    expect(countCanaries(withCons.strings, { held: held.value, never: never.value })).toEqual({ held: 1, never: 0 });
    const report = canaryReport({ page: withCons.strings }, { held: held.value, never: never.value });
    expect(report.found.map((h) => [h.context, h.canary])).toEqual([['page', 'held']]);
    expect(report.message).toContain('held ×1');

    // Objects by class name, and reading the bytes a snapshot does not show through the same channel.
    expect(withCons.objects).toHaveLength(1);
    const bytes = await callOnHeapObject<number[]>(channel, withCons.objects[0]!, 'function () { return Array.from(this.bytes); }');
    expect(bytes).toEqual([1, 2, 3, 250]);
  } finally {
    await channel.close();
  }

  // The one-call form gives the same answer.
  const again = await snapshotTarget(suite.context, page);
  expect(countCanaries(again?.strings ?? [], { held: held.value })).toEqual({ held: 1 });
  await page.close();
});

test('@isolation service worker and offscreen document: separate heaps; the popup shares the offscreen heap', async () => {
  // Absent targets are null, not an error.
  expect(await openTarget(suite.context, 'offscreen', { offscreenPath: '/no/such/page.html' })).toBeNull();
  expect(await snapshotTarget(suite.context, 'worker', { extensionId: 'a'.repeat(32) })).toBeNull();

  const inWorker = canary('worker');
  const inOffscreen = canary('offscreen');
  const canaries = { inWorker: inWorker.value, inOffscreen: inOffscreen.value };

  const worker = await suite.worker();
  await worker.evaluate(
    ([l, r]) => {
      (globalThis as unknown as Record<string, unknown>).probeHeld = l + r;
    },
    [inWorker.left, inWorker.right] as const,
  );

  // The popup asks the worker for the vault status, which makes the worker create the offscreen document.
  const popup = await openPopup(suite);
  await expect
    .poll(async () => (await listTargets(suite.context)).some((t) => t.type === 'background_page' && t.url.endsWith(OFFSCREEN_PATH)))
    .toBe(true);
  const offscreen = await openTarget(suite.context, 'offscreen', { extensionId: suite.extensionId });
  expect(offscreen).not.toBeNull();
  if (!offscreen) return;
  try {
    expect(await callFunction(offscreen, '() => location.pathname')).toBe(OFFSCREEN_PATH);
    await callFunction(offscreen, '(l, r) => { globalThis.probeHeld = l + r; }', [inOffscreen.left, inOffscreen.right]);
  } finally {
    await offscreen.close();
  }

  const w = await snapshotTarget(suite.context, 'worker', { extensionId: suite.extensionId });
  const o = await snapshotTarget(suite.context, 'offscreen', { extensionId: suite.extensionId });
  const p = await snapshotTarget(suite.context, popup);
  for (const s of [w, o, p]) if (s) console.log(`${s.label} snapshot: ${JSON.stringify(s.stats)}`);
  expect(w?.strings.length).toBeGreaterThan(0);
  expect(o?.strings.length).toBeGreaterThan(0);

  const report = canaryReport({ worker: w, offscreen: o, popup: p }, canaries);
  expect(report.counts, report.message).toEqual({
    worker: { inWorker: 1, inOffscreen: 0 },
    offscreen: { inWorker: 0, inOffscreen: 1 },
    // One renderer process, one V8 isolate: the popup tab's snapshot includes the offscreen document.
    popup: { inWorker: 0, inOffscreen: 1 },
  });
  await popup.close();
});

test('@isolation process memory scan: finds bytes a heap snapshot cannot see, and not once they are wiped', async () => {
  const bytes = canary('bytes'); // only ever exists whole as UTF-8 bytes in a Uint8Array
  const oneByte = { value: `mp-Pässwörd-${randomBytes(8).toString('hex')}` }; // V8 one-byte (Latin-1) string
  const twoByte = { value: `mp-Ωmega-${randomBytes(8).toString('hex')}` }; // V8 two-byte (UTF-16) string
  const never = canary('never');
  const needles = [bytes.value, oneByte.value, twoByte.value, never.value];
  const names = { [bytes.value]: 'bytes', [oneByte.value]: 'oneByte', [twoByte.value]: 'twoByte', [never.value]: 'never' };

  const page = await suite.context.newPage();
  await page.setContent('<title>memory probe</title><p>probe page</p>');
  await page.evaluate(
    ([l, r, s1, s2]) => {
      const enc = new TextEncoder();
      const a = enc.encode(l);
      const b = enc.encode(r);
      const buf = new Uint8Array(a.length + b.length);
      buf.set(a);
      buf.set(b, a.length);
      const g = globalThis as unknown as Record<string, unknown>;
      g.probeBuf = buf;
      g.probeStrings = [s1, s2];
    },
    [bytes.left, bytes.right, oneByte.value, twoByte.value] as const,
  );

  const heap = await snapshotTarget(suite.context, page);
  expect(countCanaries(heap?.strings ?? [], { bytes: bytes.value })).toEqual({ bytes: 0 }); // typed array bytes are invisible there

  const pids = rendererPids(suite.userDataDir, 'web');
  expect(pids.length).toBeGreaterThan(0);
  const before = await scanProcesses(pids, needles);
  console.log(`scan of ${pids.length} web renderer(s):\n${describeScans(before, names)}`);
  const counts = (needle: string) => before.reduce((n, s) => n + (s.counts[needle]?.utf8 ?? 0), 0);
  expect(counts(bytes.value), describeScans(before, names)).toBeGreaterThanOrEqual(1);
  expect(before.reduce((n, s) => n + (s.counts[oneByte.value]?.latin1 ?? 0), 0)).toBeGreaterThanOrEqual(1);
  expect(before.reduce((n, s) => n + (s.counts[twoByte.value]?.utf16le ?? 0), 0)).toBeGreaterThanOrEqual(1);
  expect(totalHits(before, never.value)).toBe(0);

  // Wipe the buffer: the bytes are gone from the process (nothing else ever held them whole).
  await page.evaluate(() => ((globalThis as unknown as { probeBuf: Uint8Array }).probeBuf.fill(0), undefined));
  const after = await scanProcesses(pids, [bytes.value]);
  expect(totalHits(after, bytes.value), describeScans(after, names)).toBe(0);

  // The extension renderer(s) of this browser are found and scannable too (timing for the record).
  const ext = extensionRendererPids(suite.userDataDir);
  expect(ext.length).toBeGreaterThan(0);
  const extScan = await scanProcesses(ext, [never.value]);
  console.log(`scan of ${ext.length} extension renderer(s):\n${describeScans(extScan, names)}`);
  expect(totalHits(extScan, never.value)).toBe(0);
  expect(extScan.every((s) => s.error === undefined && s.bytesScanned > 0)).toBe(true);
  await page.close();
});
