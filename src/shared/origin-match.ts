/**
 * Which saved item may be offered to which frame (DESIGN.md §5, THREATS.md §C).
 *
 * The frame's origin always comes from the browser (`sender.origin` of a content script), never
 * from a page's claim. Default is the exact origin (scheme, host, port). "Same site" is an explicit
 * per-item choice and uses the Public Suffix List *with private suffixes* (tldts), so
 * alice.github.io never matches bob.github.io and a.co.uk never matches b.co.uk. IP hosts are
 * compared whole, never through PSL logic. Opaque origins ("null", data:, blob:, about:) never match.
 */
import { getDomain, parse } from 'tldts';

export type MatchMode = 'exact' | 'site';
export type MatchKind = 'exact' | 'site';

export interface ParsedOrigin {
  scheme: 'http:' | 'https:';
  host: string;
  port: string;
  origin: string;
}

/** Parse a saved URL or a frame origin into a web origin; null for anything that is not http(s). */
export function parseOrigin(input: string): ParsedOrigin | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '') return null;
  return { scheme: url.protocol, host: url.hostname, port: url.port, origin: url.origin };
}

/** A user may type "example.com/login": make it a URL the way a browser's address bar would. */
export function normalizeSavedUrl(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  // "example.com:8443/login" has no scheme (a host and a port); "https://…" and "data:…" do.
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /^(data|javascript|about|blob|file|mailto|chrome|chrome-extension):/i.test(trimmed);
  const withScheme = hasScheme ? trimmed : `https://${trimmed}`;
  const parsed = parseOrigin(withScheme);
  return parsed ? new URL(withScheme).href : null;
}

function isIpHost(host: string): boolean {
  return host.startsWith('[') || parse(host).isIp === true;
}

/** The registrable domain with private suffixes (github.io, blogspot.com, …) honoured. */
export function registrableDomain(host: string): string | null {
  if (isIpHost(host)) return null;
  return getDomain(host, { allowPrivateDomains: true });
}

/**
 * Does an item saved for `savedUrl` with `mode` match a frame of origin `frameOrigin`?
 * Returns how it matched, or null.
 */
export function matchOrigin(savedUrl: string, mode: MatchMode, frameOrigin: string): MatchKind | null {
  const saved = parseOrigin(savedUrl);
  const frame = parseOrigin(frameOrigin);
  if (!saved || !frame) return null;
  if (saved.origin === frame.origin) return 'exact';
  if (mode !== 'site') return null;
  // Never offer an https credential to an http page (it would travel in clear).
  if (saved.scheme === 'https:' && frame.scheme === 'http:') return null;
  if (isIpHost(saved.host) || isIpHost(frame.host)) {
    return saved.host === frame.host ? 'site' : null;
  }
  const a = registrableDomain(saved.host);
  const b = registrableDomain(frame.host);
  return a !== null && a === b ? 'site' : null;
}
