import { describe, expect, test } from 'vitest';
import { MATCH_MODES, MAX_PATTERN, isUsablePattern, matchAnyUri, matchOrigin, matchUri, normalizeSavedUrl, originMatcher, parseOrigin, registrableDomain, type MatchKind, type MatchMode } from './origin-match';

/** A URL of exactly `length` characters on example.com (parseOrigin refuses more than 2048). */
const urlOfLength = (length: number) => {
  const head = 'https://example.com/';
  return head + 'a'.repeat(length - head.length);
};

// [why, saved URL, mode, frame origin, expected]
type MatchCase = [string, string, MatchMode, string, MatchKind | null];

const MATCH_CASES: MatchCase[] = [
  // Exact origin: scheme, host and port must all agree.
  ['same origin, path ignored', 'https://example.com/login?next=1#top', 'exact', 'https://example.com', 'exact'],
  ['same origin in site mode is still exact', 'https://example.com/login', 'site', 'https://example.com', 'exact'],
  ['explicit default port is the same origin', 'https://example.com:443/', 'exact', 'https://example.com', 'exact'],
  ['host compared case-insensitively', 'https://EXAMPLE.com/', 'exact', 'https://example.com', 'exact'],
  ['same non-default port', 'https://example.com:8443/', 'exact', 'https://example.com:8443', 'exact'],
  ['different port', 'https://example.com:8443/', 'exact', 'https://example.com', null],
  ['different port, other way round', 'https://example.com/', 'exact', 'https://example.com:8443', null],
  ['different port in site mode is same-site', 'https://example.com:8443/', 'site', 'https://example.com', 'site'],
  ['subdomain refused in exact mode', 'https://www.example.com/login', 'exact', 'https://login.example.com', null],
  ['parent domain refused in exact mode', 'https://www.example.com/', 'exact', 'https://example.com', null],

  // Scheme: an https credential never goes to an http page.
  ['https item, http page', 'https://example.com/', 'exact', 'http://example.com', null],
  ['https item, http page, site mode', 'https://example.com/', 'site', 'http://example.com', null],
  ['https item, http subdomain page, site mode', 'https://www.example.com/', 'site', 'http://login.example.com', null],
  ['http item, https page, exact mode', 'http://example.com/', 'exact', 'https://example.com', null],
  ['http item, https page, site mode (upgrade is fine)', 'http://example.com/', 'site', 'https://example.com', 'site'],
  ['http item, http page', 'http://example.com/', 'exact', 'http://example.com', 'exact'],

  // Same site through the Public Suffix List.
  ['sibling subdomains, site mode', 'https://www.example.com/login', 'site', 'https://login.example.com', 'site'],
  ['parent and child, site mode', 'https://example.com/', 'site', 'https://a.b.example.com', 'site'],
  ['multi-label ICANN suffix', 'https://www.example.co.uk/', 'site', 'https://login.example.co.uk', 'site'],
  ['different registrable domain', 'https://example.com/', 'site', 'https://example.org', null],
  ['suffix lookalike', 'https://example.com/', 'site', 'https://notexample.com', null],
  ['saved domain used as a subdomain elsewhere', 'https://example.com/', 'site', 'https://example.com.evil.com', null],
  ['co.uk siblings', 'https://a.co.uk/', 'site', 'https://b.co.uk', null],
  ['private suffix github.io', 'https://alice.github.io/', 'site', 'https://bob.github.io', null],
  ['private suffix blogspot.com', 'https://alice.blogspot.com/', 'site', 'https://bob.blogspot.com', null],
  ['inside one github.io site', 'https://alice.github.io/', 'site', 'https://www.alice.github.io', 'site'],
  ['a public suffix itself has no site', 'https://github.io/', 'site', 'https://alice.github.io', null],
  ['localhost has no registrable domain', 'http://localhost:3000/', 'site', 'http://localhost:4000', null],
  ['localhost, same origin', 'http://localhost:3000/', 'exact', 'http://localhost:3000', 'exact'],

  // IP hosts are compared whole, never through PSL logic.
  ['IPv4 neighbours', 'https://127.0.0.1/', 'site', 'https://127.0.0.2', null],
  ['IPv4 neighbours, exact', 'https://127.0.0.1/', 'exact', 'https://127.0.0.2', null],
  ['unrelated IPv4 sharing the last octets', 'https://203.0.113.5/', 'site', 'https://198.51.113.5', null],
  ['same IPv4, different port, site mode', 'https://127.0.0.1:8443/', 'site', 'https://127.0.0.1', 'site'],
  ['same IPv4, different port, exact mode', 'https://127.0.0.1:8443/', 'exact', 'https://127.0.0.1', null],
  ['same IPv4, https item, http page', 'https://127.0.0.1/', 'site', 'http://127.0.0.1', null],
  ['IPv4 in another notation is the same host', 'https://0x7f.0.0.1/', 'exact', 'https://127.0.0.1', 'exact'],
  ['IPv6 loopback, same origin', 'https://[::1]/', 'exact', 'https://[::1]', 'exact'],
  ['IPv6 long and short form', 'https://[0:0:0:0:0:0:0:1]/', 'exact', 'https://[::1]', 'exact'],
  ['IPv6, different port, site mode', 'https://[::1]:8443/', 'site', 'https://[::1]', 'site'],
  ['IPv6 neighbours', 'https://[::1]/', 'site', 'https://[::2]', null],
  ['IPv6 and IPv4 loopback', 'https://[::1]/', 'site', 'https://127.0.0.1', null],
  ['IP item, domain page', 'https://127.0.0.1/', 'site', 'https://localhost', null],

  // Opaque origins never match, in either direction.
  ['frame origin "null"', 'https://example.com/', 'site', 'null', null],
  ['data: frame', 'https://example.com/', 'site', 'data:text/html,x', null],
  ['about:blank frame', 'https://example.com/', 'site', 'about:blank', null],
  ['blob: frame', 'https://example.com/', 'site', 'blob:https://example.com/0d6f5c1e-8d0e-4c1a-9b4e-2f3a4b5c6d7e', null],
  ['javascript: frame', 'https://example.com/', 'site', 'javascript:alert(1)', null],
  ['file: frame', 'https://example.com/', 'site', 'file:///etc/passwd', null],
  ['extension frame', 'https://example.com/', 'site', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop', null],
  ['both "null"', 'null', 'exact', 'null', null],
  ['data: item against itself', 'data:text/html,x', 'exact', 'data:text/html,x', null],
  ['blob: item against its inner origin', 'blob:https://example.com/0d6f5c1e', 'site', 'https://example.com', null],

  // user@host: the host is what follows the @.
  ['userinfo item does not match the userinfo host', 'https://bank.com@evil.com/', 'site', 'https://bank.com', null],
  ['userinfo item matches the real host', 'https://bank.com@evil.com/', 'exact', 'https://evil.com', 'exact'],
  ['userinfo frame string does not match the userinfo host', 'https://bank.com/', 'site', 'https://bank.com@evil.com', null],
  ['user:password@host', 'https://bank.com:443@evil.com/', 'site', 'https://bank.com', null],

  // IDN: URL turns Unicode hosts into punycode.
  ['Unicode item, punycode frame', 'https://bücher.de/', 'exact', 'https://xn--bcher-kva.de', 'exact'],
  ['Unicode subdomain, site mode', 'https://www.bücher.de/', 'site', 'https://login.xn--bcher-kva.de', 'site'],
  ['homograph (Cyrillic а) is another host', 'https://аpple.com/', 'site', 'https://apple.com', null],

  // Empty and oversize input.
  ['empty saved URL', '', 'site', 'https://example.com', null],
  ['empty frame origin', 'https://example.com/', 'site', '', null],
  ['both empty', '', 'exact', '', null],
  ['saved URL at the 2048 limit', urlOfLength(2048), 'exact', 'https://example.com', 'exact'],
  ['saved URL over the 2048 limit', urlOfLength(2049), 'exact', 'https://example.com', null],
  ['frame string over the 2048 limit', 'https://example.com/', 'exact', urlOfLength(4096), null],
];

describe('matchOrigin', () => {
  test.each(MATCH_CASES)('%s: %s [%s] vs %s', (_why, saved, mode, frame, expected) => {
    expect(matchOrigin(saved, mode, frame)).toBe(expected);
  });
});

describe('originMatcher (memoised)', () => {
  test('answers exactly like matchOrigin, first from parsing and then from its memo, and after clear()', () => {
    const m = originMatcher();
    for (let round = 0; round < 3; round++) {
      if (round === 2) m.clear();
      // Cases in a different order each round, so memo hits cross cases (same URL, other frame).
      const cases = round === 1 ? [...MATCH_CASES].reverse() : MATCH_CASES;
      for (const [why, saved, mode, frame, expected] of cases) {
        expect(m.match(saved, mode, frame), `${why} (round ${round})`).toBe(expected);
      }
    }
  });

  test('parse gives what parseOrigin gives', () => {
    const m = originMatcher();
    for (const url of ['https://EXAMPLE.com:443/x', 'http://127.0.0.1:8080', 'data:text/html,x', '', 'https://bücher.de/']) {
      expect(m.parse(url)).toEqual(parseOrigin(url));
      expect(m.parse(url)).toEqual(parseOrigin(url));
    }
  });
});

const origin = (scheme: 'http:' | 'https:', host: string, port = '') => ({
  scheme,
  host,
  port,
  origin: `${scheme}//${host}${port ? `:${port}` : ''}`,
});

const PARSE_CASES: [string, ReturnType<typeof parseOrigin>][] = [
  ['https://example.com/path?q=1#h', origin('https:', 'example.com')],
  ['http://example.com:8080/', origin('http:', 'example.com', '8080')],
  ['https://example.com:443/', origin('https:', 'example.com')],
  ['http://example.com:80/', origin('http:', 'example.com')],
  ['HTTPS://EXAMPLE.COM', origin('https:', 'example.com')],
  ['https://bank.com@evil.com/', origin('https:', 'evil.com')],
  ['https://user:pw@example.com/', origin('https:', 'example.com')],
  ['https://[::1]:8080/', origin('https:', '[::1]', '8080')],
  ['https://127.0.0.1/', origin('https:', '127.0.0.1')],
  ['https://bücher.de/', origin('https:', 'xn--bcher-kva.de')],
  [urlOfLength(2048), origin('https:', 'example.com')],
  [urlOfLength(2049), null],
  ['', null],
  ['null', null],
  ['example.com', null],
  ['//example.com', null],
  ['https://', null],
  ['ftp://example.com/', null],
  ['ws://example.com/', null],
  ['file:///etc/passwd', null],
  ['data:text/html,x', null],
  ['about:blank', null],
  ['blob:https://example.com/0d6f5c1e', null],
  ['javascript:alert(1)', null],
  ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/', null],
];

describe('parseOrigin', () => {
  test.each(PARSE_CASES)('%s', (input, expected) => {
    expect(parseOrigin(input)).toEqual(expected);
  });

  test.each([undefined, null, 42, {}])('non-string input %s is null', (input) => {
    expect(parseOrigin(input as unknown as string)).toBeNull();
  });
});

describe('normalizeSavedUrl', () => {
  test.each<[string, string | null]>([
    ['example.com/login', 'https://example.com/login'],
    ['www.example.com', 'https://www.example.com/'],
    ['  https://example.com  ', 'https://example.com/'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://Example.COM/Path', 'https://example.com/Path'],
    ['bücher.de', 'https://xn--bcher-kva.de/'],
    ['https://[::1]:8443/login', 'https://[::1]:8443/login'],
    ['', null],
    ['   ', null],
    ['javascript:alert(1)', null],
    ['JavaScript:alert(1)', null],
    ['data:text/html,x', null],
    ['ftp://example.com', null],
    ['file:///etc/passwd', null],
    ['about:blank', null],
    ['https://', null],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSavedUrl(input)).toBe(expected);
  });

  // Regression: "host:port" without a scheme was read as the scheme "host:", so the item could not be saved.
  test.each<[string, string]>([
    ['example.com:8443/login', 'https://example.com:8443/login'],
    ['localhost:3000', 'https://localhost:3000/'],
  ])('host:port without a scheme: %s → %s', (input, expected) => {
    expect(normalizeSavedUrl(input)).toBe(expected);
  });
});

describe('registrableDomain', () => {
  test.each<[string, string | null]>([
    ['example.com', 'example.com'],
    ['www.example.com', 'example.com'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['co.uk', null],
    ['com', null],
    ['alice.github.io', 'alice.github.io'],
    ['www.alice.github.io', 'alice.github.io'],
    ['github.io', null],
    ['alice.blogspot.com', 'alice.blogspot.com'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['localhost', null],
    ['127.0.0.1', null],
    ['[::1]', null],
    ['[2001:db8::1]', null],
  ])('%s → %s', (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });
});

// [why, saved, mode, frame origin, frame URL, expected]
type UriCase = [string, string, MatchMode, string, string | undefined, MatchKind | null];

const URI_CASES: UriCase[] = [
  // exact and site behave as matchOrigin
  ['exact, same origin', 'https://example.com/a', 'exact', 'https://example.com', 'https://example.com/b', 'exact'],
  ['site, sibling subdomain', 'https://www.example.com/', 'site', 'https://login.example.com', undefined, 'site'],
  ['site, github.io neighbours never', 'https://alice.github.io/', 'site', 'https://bob.github.io', undefined, null],
  // host: host and port, scheme upgrade only
  ['host, same host and port', 'https://example.com/x', 'host', 'https://example.com', undefined, 'exact'],
  ['host, other port', 'https://example.com:8443/', 'host', 'https://example.com', undefined, null],
  ['host, subdomain refused', 'https://example.com/', 'host', 'https://www.example.com', undefined, null],
  ['host, http item on https page (upgrade)', 'http://example.com/', 'host', 'https://example.com', undefined, 'site'],
  ['host, https item never on http page', 'https://example.com/', 'host', 'http://example.com', undefined, null],
  // startsWith: the frame's whole URL
  ['startsWith, path prefix', 'https://example.com/app/', 'startsWith', 'https://example.com', 'https://example.com/app/login', 'exact'],
  ['startsWith, other path', 'https://example.com/app/', 'startsWith', 'https://example.com', 'https://example.com/other', null],
  ['startsWith, host prefix is not a host match', 'https://example.com', 'startsWith', 'https://example.com.evil.test', 'https://example.com.evil.test/', null],
  ['startsWith, no frame URL known', 'https://example.com/', 'startsWith', 'https://example.com', undefined, null],
  ['startsWith, URL of another origin than the frame', 'https://example.com/', 'startsWith', 'https://evil.test', 'https://example.com/', null],
  ['startsWith, https item on http page', 'https://example.com/', 'startsWith', 'http://example.com', 'http://example.com/', null],
  // regex: on the whole URL, case-insensitive
  ['regex, matches', '^https://(www|login)\\.example\\.com/', 'regex', 'https://login.example.com', 'https://login.example.com/x', 'site'],
  ['regex, does not match', '^https://(www|login)\\.example\\.com/', 'regex', 'https://evil.test', 'https://evil.test/?https://www.example.com/', null],
  ['regex, loose pattern never on http', 'example\\.com', 'regex', 'http://example.com', 'http://example.com/', null],
  ['regex, pattern written for http', '^http://127\\.0\\.0\\.1:\\d+/', 'regex', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080/login', 'site'],
  ['regex, broken pattern never matches', '([a-z', 'regex', 'https://example.com', 'https://example.com/', null],
  ['regex, a pattern not anchored with its scheme never matches', 'example\\.com/', 'regex', 'https://example.com', 'https://example.com/', null],
  ['regex, the query is not tested', '^https://evil\\.test/.*example\\.com', 'regex', 'https://evil.test', 'https://evil.test/?next=example.com', null],
  ['regex, the fragment is not tested', '^https://evil\\.test/.*example\\.com', 'regex', 'https://evil.test', 'https://evil.test/#example.com', null],
  ['regex, the path is', '^https://evil\\.test/.*example\\.com', 'regex', 'https://evil.test', 'https://evil.test/example.com', 'site'],
  ['regex, user@ in the URL is not the host', '^https://example\\.com', 'regex', 'https://evil.test', 'https://example.com@evil.test/', null],
  ['regex, ^https?:// anchoring', '^https?://example\\.com/', 'regex', 'https://example.com', 'https://example.com/a', 'site'],
  ['regex, no frame URL known', '^https://.*', 'regex', 'https://example.com', undefined, null],
  // never
  ['never, same origin', 'https://example.com/', 'never', 'https://example.com', 'https://example.com/', null],
  // frames that never match
  ['opaque frame origin', 'https://example.com/', 'host', 'null', undefined, null],
  ['data: frame, regex ^https?://.*', '^https?://.*', 'regex', 'data:text/html,x', 'data:text/html,x', null],
];

describe('matchUri', () => {
  test.each(URI_CASES)('%s', (_why, saved, mode, origin, url, expected) => {
    expect(matchUri(saved, mode, url === undefined ? { origin } : { origin, url })).toBe(expected);
  });

  test('every match mode is covered by the table', () => {
    expect(new Set(URI_CASES.map((c) => c[2]))).toEqual(new Set(MATCH_MODES));
  });

  test('several URIs: an exact match anywhere wins, else the first wider one, else none', () => {
    const frame = { origin: 'https://login.example.com', url: 'https://login.example.com/' };
    expect(matchAnyUri([{ url: 'https://www.example.com/', match: 'site' }, { url: 'https://login.example.com/', match: 'exact' }], frame)).toBe('exact');
    expect(matchAnyUri([{ url: 'https://other.test/', match: 'exact' }, { url: 'https://www.example.com/', match: 'site' }], frame)).toBe('site');
    expect(matchAnyUri([{ url: 'https://login.example.com/', match: 'never' }], frame)).toBeNull();
    expect(matchAnyUri([], frame)).toBeNull();
  });

  test('isUsablePattern refuses broken and over-long patterns', () => {
    expect(isUsablePattern('^https://example\\.com/')).toBe(true);
    expect(isUsablePattern('([a-z')).toBe(false);
    expect(isUsablePattern('example\\.com')).toBe(false); // not anchored
    expect(isUsablePattern('.*')).toBe(false);
    expect(isUsablePattern('a'.repeat(MAX_PATTERN + 1))).toBe(false);
    expect(isUsablePattern('')).toBe(false);
  });
});
