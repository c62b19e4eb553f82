/**
 * Serves e2e/fixtures/ (our own minimal pages) for the @autofill specs, on two ports: origin A is
 * http://127.0.0.1:<portA>, origin B is http://localhost:<portB> (a different origin: another host
 * *and* another port), so cross-origin frames are real. Pages may name each other with {{A}} and
 * {{B}}; name-mapped hosts (login.example.test, alice.github.io, …) reach port A through
 * Chromium's --host-resolver-rules. `POST /api/login` checks the fixture accounts so a page can
 * show whether the filled login would have succeeded.
 */
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Frame, type Locator, type Page, type Worker } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';

export const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export const ACCOUNTS = Object.freeze({
  A: { username: 'alice@example.test', password: 'Fixture-Pa55!word#1' },
  B: { username: 'bob@example.test', password: 'Bob-Secret-77!frame' },
});

/** The TOTP seed (base32) saved with item A for the one-time-code fixtures; item B has none. */
export const TOTP_SEED_A = 'JBSWY3DPEHPK3PXPKRUGS4ZANFZSAYJA';

/** The RFC 6238 code for `seed` at `ms` (SHA-1, 6 digits, 30 s: what a bare base32 seed means). */
export function totpAt(seed: string, ms: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30, timestamp: ms });
}

export interface FixtureServer {
  A: string;
  B: string;
  portA: number;
  /** http://<host>:<portA> for a name mapped to 127.0.0.1 by --host-resolver-rules */
  at(host: string): string;
  logins: { username: string; ok: boolean }[];
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return (server.address() as { port: number }).port;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const logins: FixtureServer['logins'] = [];
  const vars: Record<string, string> = {};
  const handler: http.RequestListener = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    try {
      if (req.method === 'POST' && url.pathname === '/api/login') {
        let body = '';
        for await (const chunk of req) body += String(chunk);
        const { username, password } = JSON.parse(body) as { username?: string; password?: string };
        const ok = Object.values(ACCOUNTS).some((a) => a.username === username && a.password === password);
        logins.push({ username: String(username ?? ''), ok });
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        return void res.end(JSON.stringify({ ok }));
      }
      const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
      if (!/^[a-z0-9-]+\.(html|js)$/.test(name)) throw new Error('not a fixture');
      const text = (await readFile(path.join(FIXTURES_DIR, name), 'utf8')).replace(/\{\{(A|B)\}\}/g, (_, k: string) => vars[k] ?? '');
      res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  };
  const serverA = http.createServer(handler);
  const serverB = http.createServer(handler);
  const portA = await listen(serverA);
  const portB = await listen(serverB);
  vars.A = `http://127.0.0.1:${portA}`;
  vars.B = `http://localhost:${portB}`;
  const close = (s: http.Server) => new Promise<void>((resolve) => s.close(() => resolve()));
  return {
    A: vars.A,
    B: vars.B,
    portA,
    at: (host) => `http://${host}:${portA}`,
    logins,
    close: async () => {
      serverA.closeAllConnections();
      serverB.closeAllConnections();
      await Promise.all([close(serverA), close(serverB)]);
    },
  };
}

// ── sidecars and page helpers for the @autofill specs ─────────────────────────────────────────

export type ItemKey = 'A' | 'B' | 'https-login' | 'alice' | 'acouk' | 'www';
export interface FieldSpec {
  sel: string;
  /** CSS selector of the <iframe> that holds the field, when it is not in the top document */
  frame?: string;
  /** 'username' | 'password' (of the item), 'totp' (the item's current code), 'totp:N' (its digit N), or a literal */
  value?: string;
}
export interface Sidecar {
  name: string;
  description: string;
  kind: 'shape' | 'attack';
  /** where the page is served: A (default), B, 'A@B' (127.0.0.1 on port B) or a mapped host name */
  page?: string;
  item?: ItemKey;
  /** what the fill puts in: the login (default) or the item's one-time code (`fill.code`, Fill code) */
  fill?: 'login' | 'code';
  setup?: ({ click: string } | { waitFor: string; state?: 'attached' | 'visible' } | { type: [string, string] })[];
  /** 'popup': the popup's Fill; 'popup-code': its Fill code; 'command', 'menu': keyboard command, context menu */
  triggers?: ('popup' | 'popup-code' | 'command' | 'menu')[];
  /** 'filled' (default when `filled` is given), 'refused' (a direct fill.item fails), 'untouched' (no user action) */
  expect?: 'filled' | 'refused' | 'untouched';
  expectError?: string;
  filled?: FieldSpec[];
  empty?: FieldSpec[];
  submit?: boolean;
  /** origin key (A or B) of a child frame whose content script must have run before acting */
  waitFrame?: 'A' | 'B';
}

export function loadSidecars(): Sidecar[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -5), ...(JSON.parse(readFileSync(path.join(FIXTURES_DIR, f), 'utf8')) as Omit<Sidecar, 'name'>) }));
}

export function pageUrl(server: FixtureServer, fx: Sidecar, portB: number): string {
  const where = fx.page ?? 'A';
  const base = where === 'A' ? server.A : where === 'B' ? server.B : where === 'A@B' ? `http://127.0.0.1:${portB}` : server.at(where);
  return `${base}/${fx.name}.html`;
}

export function field(page: Page, spec: FieldSpec): Locator {
  return spec.frame ? page.frameLocator(spec.frame).locator(spec.sel) : page.locator(spec.sel);
}

export function expectedValue(spec: FieldSpec, account: { username: string; password: string }): string {
  if (spec.value === 'username') return account.username;
  if (spec.value === 'password') return account.password;
  return spec.value ?? '';
}

/** The tab Playwright just opened and navigated: the active tab of the last focused window. */
export async function activeTabId(worker: Worker): Promise<number> {
  return worker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    return tab?.id ?? -1;
  });
}

type RegisteredFrame = { frameId: number; origin: string; loginFields: number; codeFields?: number };

/** The frames of a tab as the worker's registry knows them (origin and fields from `sender`). */
export async function framesOfTab(worker: Worker, tabId: number): Promise<RegisteredFrame[]> {
  return worker.evaluate(async (t) => {
    const all = await chrome.storage.session.get(`frames:${t}`);
    return (all[`frames:${t}`] ?? []) as RegisteredFrame[];
  }, tabId);
}

/** Wait until some frame of the tab (of `origin`, if given) has announced fillable fields (login or one-time code). */
export async function waitAnnounced(worker: Worker, tabId: number, origin?: string): Promise<void> {
  const fillable = (f: RegisteredFrame) => f.loginFields > 0 || (f.codeFields ?? 0) > 0;
  await expect
    .poll(async () => (await framesOfTab(worker, tabId)).some((f) => fillable(f) && (!origin || f.origin === origin)), { timeout: 10_000 })
    .toBe(true);
}

/**
 * What the page can see of our secrets: every input value (all frames, open shadow roots, hidden
 * fields too) and every entry of its window.__received log that contains a secret, except on
 * the fields the sidecar says must be filled.
 */
export async function leakedSecrets(page: Page, secrets: string[], allowed: FieldSpec[]): Promise<string[]> {
  const found: string[] = [];
  for (const frame of page.frames() as Frame[]) {
    const hits = await frame
      .evaluate((s: string[]) => {
        const out: { id: string; where: string }[] = [];
        const visit = (root: Document | ShadowRoot) => {
          for (const el of root.querySelectorAll('*')) {
            if (el instanceof HTMLInputElement && s.some((x) => x && el.value.includes(x))) out.push({ id: el.id, where: 'value' });
            if (el.shadowRoot) visit(el.shadowRoot);
          }
        };
        visit(document);
        const log = ((window as unknown as { __received?: { type: string; id: string; value: string }[] }).__received ?? []);
        for (const e of log) if (s.some((x) => x && e.value.includes(x))) out.push({ id: e.id, where: e.type });
        return out;
      }, secrets)
      .catch(() => [] as { id: string; where: string }[]);
    const isTop = frame === page.mainFrame();
    for (const hit of hits) {
      const ok = allowed.some((a) => `#${hit.id}` === a.sel && (isTop ? !a.frame : Boolean(a.frame)) && hit.where !== 'message');
      if (!ok) found.push(`${frame.url()} ${hit.where} #${hit.id}`);
    }
  }
  return found;
}
