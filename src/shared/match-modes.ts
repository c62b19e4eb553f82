/**
 * Per-URI match modes (no imports, so the message contract can use them without pulling the
 * Public Suffix List into every bundle). `exact` (the default) and `site` compare origins; `host`
 * compares host and port whatever the scheme (never https → http); `startsWith` and `regex` look
 * at the frame's whole URL as the browser reports it; `never` keeps a URI without matching it.
 * The rules live in origin-match.ts.
 */
export const MATCH_MODES = ['exact', 'site', 'host', 'startsWith', 'regex', 'never'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];
