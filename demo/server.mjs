// Demo site for SecureVault: a tiny site with real sign-up and log-in checks, served on
// 127.0.0.1. Used by `npm start`, the headless walkthrough and the e2e tests.
//
//   /              index
//   /signup        create an account (stored in memory)
//   /login         classic <form> POST login, checked by the server
//   /react-login   a login form with React-style controlled inputs, sent with fetch()
//
// Run alone: `node demo/server.mjs [port]`.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const DEMO_ACCOUNT = Object.freeze({ username: 'demo@securevault.test', password: 'Demo-Pa55word!2026' });

const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title} · Demo site</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 30rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
  label { display: block; margin: 0.8rem 0 0.2rem; }
  input { width: 100%; padding: 0.5rem; font: inherit; box-sizing: border-box; }
  button { margin-top: 1rem; padding: 0.5rem 1.2rem; font: inherit; }
  .ok { color: #1e7a34; } .bad { color: #b3261e; }
  nav a { margin-right: 1rem; }
</style></head>
<body><nav><a href="/">Home</a><a href="/signup">Sign up</a><a href="/login">Log in</a><a href="/react-login">Log in (React-style)</a></nav>
<h1>${title}</h1>
${body}
</body></html>`;

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const LOGIN_FORM = (message = '') => `${message}
<form method="post" action="/login" id="login-form">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" id="submit">Log in</button>
</form>`;

// React keeps a "value tracker" on each input: it records values set through the element's own
// `value` property and ignores an input event whose DOM value equals the tracked one. A filler
// that does `el.value = x` plus an event is therefore invisible to React state; one that uses the
// native prototype setter (as a user's typing does) is seen. This page reproduces that behaviour
// without shipping React, and submits the *state*, not the DOM values.
const REACT_LOGIN = `
<div id="root">
  <label for="r-user">Username</label>
  <input id="r-user" autocomplete="username">
  <label for="r-pass">Password</label>
  <input id="r-pass" type="password" autocomplete="current-password">
  <button type="button" id="r-submit">Log in</button>
  <p id="result" aria-live="polite"></p>
</div>
<script>
  const state = { username: '', password: '' };
  const nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
  function controlled(input, key) {
    let tracked = nativeValue.get.call(input);
    Object.defineProperty(input, 'value', {
      configurable: true,
      get() { return nativeValue.get.call(this); },
      set(v) { tracked = String(v); nativeValue.set.call(this, v); },
    });
    input.addEventListener('input', () => {
      const v = nativeValue.get.call(input);
      if (v === tracked) return; // React: no change seen
      tracked = v;
      state[key] = v;
    });
  }
  controlled(document.getElementById('r-user'), 'username');
  controlled(document.getElementById('r-pass'), 'password');
  document.getElementById('r-submit').addEventListener('click', async () => {
    const res = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(state) });
    const body = await res.json();
    const out = document.getElementById('result');
    out.textContent = body.message;
    out.className = body.ok ? 'ok' : 'bad';
    out.dataset.result = body.ok ? 'success' : 'failure';
  });
</script>`;

function safeEqual(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readBody(req, limit = 16_384) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Start the demo site. Returns { url, port, close, logins } where `logins` records every login
 * attempt ({ username, ok, via }) so a test or the walkthrough can ask the server what happened.
 */
export async function startDemoServer({ port = 0, host = '127.0.0.1', log = false } = {}) {
  const accounts = new Map([[DEMO_ACCOUNT.username, DEMO_ACCOUNT.password]]);
  const logins = [];
  const check = (username, password, via) => {
    const ok = accounts.has(username) && safeEqual(accounts.get(username), password);
    logins.push({ username, ok, via });
    if (log) console.log(`[demo] login ${ok ? 'succeeded' : 'failed'} for ${username || '(empty)'} via ${via}`);
    return ok;
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const send = (status, html, type = 'text/html; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(html);
    };
    try {
      if (req.method === 'GET' && url.pathname === '/') {
        return send(200, page('Demo site', `<p>A small site to try SecureVault on. Demo account: <code>${esc(DEMO_ACCOUNT.username)}</code>.</p>
<ul><li><a href="/signup">Create an account</a></li><li><a href="/login">Log in</a></li><li><a href="/react-login">Log in with a React-style form</a></li></ul>`));
      }
      if (req.method === 'GET' && url.pathname === '/login') {
        const note = url.searchParams.get('created') ? '<p class="ok">Account created. Log in now.</p>' : '';
        return send(200, page('Log in', LOGIN_FORM(note)));
      }
      if (req.method === 'POST' && url.pathname === '/login') {
        const form = new URLSearchParams(await readBody(req));
        const username = form.get('email') ?? '';
        if (check(username, form.get('password') ?? '', 'form')) {
          return send(200, page('Welcome', `<p id="result" class="ok" data-result="success">Login succeeded. Welcome, ${esc(username)}.</p>`));
        }
        return send(401, page('Log in', LOGIN_FORM('<p id="result" class="bad" data-result="failure">Wrong email or password.</p>')));
      }
      if (req.method === 'GET' && url.pathname === '/react-login') {
        return send(200, page('Log in (React-style)', REACT_LOGIN));
      }
      if (req.method === 'POST' && url.pathname === '/api/login') {
        const body = JSON.parse(await readBody(req));
        const ok = check(body.username ?? '', body.password ?? '', 'react');
        return send(ok ? 200 : 401, JSON.stringify({ ok, message: ok ? `Login succeeded. Welcome, ${body.username}.` : 'Wrong username or password.' }), 'application/json');
      }
      if (req.method === 'GET' && url.pathname === '/signup') {
        return send(200, page('Sign up', `<form method="post" action="/signup" id="signup-form">
  <label for="su-email">Email</label><input id="su-email" name="email" type="email" autocomplete="username" required>
  <label for="su-pass">Password</label><input id="su-pass" name="password" type="password" autocomplete="new-password" minlength="8" required>
  <label for="su-confirm">Confirm password</label><input id="su-confirm" name="confirm" type="password" autocomplete="new-password" minlength="8" required>
  <button type="submit">Create account</button></form>`));
      }
      if (req.method === 'POST' && url.pathname === '/signup') {
        const form = new URLSearchParams(await readBody(req));
        const email = form.get('email') ?? '';
        const password = form.get('password') ?? '';
        if (!email || password.length < 8 || password !== form.get('confirm')) {
          return send(400, page('Sign up', '<p class="bad">Email and two matching passwords of at least 8 characters, please. <a href="/signup">Back</a></p>'));
        }
        if (accounts.has(email)) return send(409, page('Sign up', '<p class="bad">That account exists. <a href="/login">Log in</a></p>'));
        accounts.set(email, password);
        res.writeHead(303, { location: '/login?created=1' });
        return res.end();
      }
      send(404, page('Not found', '<p>Nothing here.</p>'));
    } catch {
      send(400, page('Bad request', '<p>That request could not be read.</p>'));
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    logins,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await startDemoServer({ port: Number(process.argv[2] ?? 0), log: true });
  console.log(`Demo site on ${demo.url} — demo account ${DEMO_ACCOUNT.username} / ${DEMO_ACCOUNT.password}`);
}
