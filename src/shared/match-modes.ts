/**
 * Per-URI match modes (no imports, so the message contract can use them without pulling the
 * Public Suffix List into every bundle). `exact` (the default) and `site` compare origins; `host`
 * compares host and port whatever the scheme (never https → http); `startsWith` and `regex` look
 * at the frame's whole URL as the browser reports it; `never` keeps a URI without matching it.
 * The matching rules live in origin-match.ts; the pattern check is here, so the popup's editor can
 * say a pattern is unusable before saving without bundling the Public Suffix List.
 */
export const MATCH_MODES = ['exact', 'site', 'host', 'startsWith', 'regex', 'never'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** Longest pattern a `regex` URI may have (and the longest frame URL it is run on is parseOrigin's 2048). */
export const MAX_PATTERN = 500;
const regexCache = new Map<string, RegExp | null>();

/**
 * A pattern must be anchored at the start of the address with its scheme (`^https://…`,
 * `^http://…`, `^https?://…`): an unanchored one matches wherever its text appears, in any site's
 * path. (Closing the host — `example\.com/` rather than `example\.com` — is the user's part, which
 * the editor's hint says; a pattern open after the host also matches example.com.evil.test.)
 */
const ANCHORED = /^\^(?:https\?|https|http):\/\//i;

export function compiledPattern(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = pattern.length > 0 && pattern.length <= MAX_PATTERN && ANCHORED.test(pattern) ? new RegExp(pattern, 'i') : null;
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Is `pattern` a regular expression SecureVault can use (the editor says so before saving)? */
export function isUsablePattern(pattern: string): boolean {
  return compiledPattern(pattern) !== null;
}
