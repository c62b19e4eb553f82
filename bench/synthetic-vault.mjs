// Seeded synthetic vaults for the benchmarks: realistic titles, URLs, usernames and password
// lengths, the same for the same seed. Output is a Chrome-format CSV, imported like a user would.

/** mulberry32: a small, fast, seeded PRNG (not for secrets — only for reproducible test data). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['acme', 'blue', 'cloud', 'data', 'echo', 'fast', 'green', 'harbor', 'iron', 'jade', 'kite', 'lumen', 'maple', 'nova', 'orbit', 'pixel', 'quartz', 'river', 'solar', 'terra', 'ultra', 'vivid', 'wave', 'xeno', 'yield', 'zen', 'bank', 'shop', 'mail', 'news', 'travel', 'health', 'games', 'music', 'photo', 'books', 'forum', 'wiki', 'learn', 'store'];
const TLDS = ['com', 'org', 'net', 'io', 'co.uk', 'de', 'fr', 'app', 'dev', 'com.au'];
const SUBS = ['', '', '', 'www.', 'login.', 'accounts.', 'app.', 'secure.'];
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter'];
const MAIL = ['gmail.example', 'outlook.example', 'proton.example', 'fastmail.example', 'work.example'];
const CHARS = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$%^&*-_=+';

const pick = (r, list) => list[Math.floor(r() * list.length)];

/** @param {number} count @param {number} [seed] @returns {string} CSV text */
export function syntheticCsv(count, seed = 20261203) {
  const r = prng(seed);
  const rows = ['name,url,username,password,note'];
  for (let i = 0; i < count; i++) {
    const brand = `${pick(r, WORDS)}${pick(r, WORDS)}${i % 97}`;
    const host = `${pick(r, SUBS)}${brand}.${pick(r, TLDS)}`;
    const user = r() < 0.7 ? `${pick(r, NAMES)}${Math.floor(r() * 1000)}@${pick(r, MAIL)}` : `${pick(r, NAMES)}_${Math.floor(r() * 100)}`;
    const length = 8 + Math.floor(r() * 25);
    let pw = '';
    for (let k = 0; k < length; k++) pw += CHARS[Math.floor(r() * CHARS.length)];
    const title = `${brand[0].toUpperCase()}${brand.slice(1)}`;
    rows.push(`${title},https://${host}/login,${user},"${pw.replace(/"/g, '""')}",`);
  }
  return rows.join('\n');
}
