/**
 * TOTP (RFC 6238) for vault items: turn what a user pastes — a bare base32 secret or an
 * otpauth:// key URI from a QR code — into a normalized spec, and compute the current code.
 * Codes and URI label/issuer parsing come from the otpauth library; this module decides what
 * we accept and names every refusal with a reason code the UI can put into words.
 */
import { Secret, TOTP, URI } from 'otpauth';

export const TOTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number];
export type TotpDigits = 6 | 7 | 8;

export interface TotpSpec {
  /** RFC 4648 base32: upper case, no spaces, no '=' padding. */
  readonly secret: string;
  readonly algorithm: TotpAlgorithm;
  readonly digits: TotpDigits;
  /** Time step in seconds (RFC 6238 §4.1 "X"). */
  readonly period: number;
  readonly issuer?: string;
  readonly label?: string;
}

export const TOTP_PARSE_ERRORS = [
  'empty',
  'too_long',
  /** Not base32 (RFC 4648 §6): a character outside A–Z/2–7, or a length no byte string encodes to. */
  'not_base32',
  /** Fewer than 80 bits; see MIN_SECRET_CHARS. */
  'secret_too_short',
  /** Looks like a URI but is not a well-formed otpauth://totp/LABEL?secret=… key URI. */
  'not_totp_uri',
  /** A well-formed key URI for something other than TOTP: hotp:// counters, Steam's encoder. */
  'unsupported_type',
  'unsupported_algorithm',
  'unsupported_digits',
  'unsupported_period',
] as const;
export type TotpParseError = (typeof TOTP_PARSE_ERRORS)[number];
export type TotpParseResult = { ok: true; value: TotpSpec } | { ok: false; error: TotpParseError };

/**
 * RFC 4226 §4 (R6) asks for at least 128 bits, but issuers in the wild still hand out 80-bit
 * secrets (16 base32 characters, the old Google Authenticator size) and the user cannot change
 * what a site gave them. 80 bits is the floor: below it a stray word that happens to be
 * base32 ("DEADBEEF") would be taken for a secret.
 */
const MIN_SECRET_CHARS = 16;
/** Far above any real key URI; bounds the work done on a paste. */
const MAX_INPUT_LENGTH = 4096;
/** RFC 4226 §5.3 sets 6 as the minimum; RFC 6238's reference code goes up to 8. */
const DIGITS: readonly number[] = [6, 7, 8];
/** RFC 6238 §5.2 recommends 30 s; anything from 1 s to an hour is a period we can count down. */
const PERIOD = Object.freeze({ min: 1, max: 3600, default: 30 });

const fail = (error: TotpParseError): TotpParseResult => ({ ok: false, error });

/**
 * The canonical form of a base32 secret, or an error code. Spaces and lower case are tolerated
 * only when `lenient` (bare pastes: issuers print secrets in groups of four); trailing '='
 * padding is dropped either way (the key URI format says to omit it, some issuers keep it).
 * RFC 4648 §6: a final quantum encodes to 2, 4, 5, 7 or 8 characters, so a length ≡ 1, 3 or 6
 * (mod 8) is no byte string at all.
 */
function canonicalBase32(raw: string, lenient: boolean): { ok: true; value: string } | { ok: false; error: TotpParseError } {
  const compact = (lenient ? raw.replace(/\s+/g, '').toUpperCase() : raw.toUpperCase()).replace(/=+$/, '');
  if (!/^[A-Z2-7]+$/.test(compact) || [1, 3, 6].includes(compact.length % 8)) return { ok: false, error: 'not_base32' };
  if (compact.length < MIN_SECRET_CHARS) return { ok: false, error: 'secret_too_short' };
  return { ok: true, value: compact };
}

/** Query parameters with lower-cased names; null when malformed or when a name repeats. */
function queryParams(query: string): Map<string, string> | null {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return null;
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(pair.slice(0, eq)).toLowerCase();
      value = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      return null; // URIError: a stray '%'
    }
    // A repeated name is refused rather than resolved: the library keeps the last `secret=`, a
    // viewer might show the first, and a crafted QR code could exploit the difference.
    if (params.has(name)) return null;
    params.set(name, value);
  }
  return params;
}

/**
 * Key URI format: otpauth://TYPE/LABEL?PARAMETERS
 * (https://github.com/google/google-authenticator/wiki/Key-Uri-Format). Parameters are checked
 * here so each refusal has its own code; the label and issuer rules (issuer parameter first,
 * then the "Issuer:" label prefix) are left to otpauth's URI.parse.
 */
function parseKeyUri(uri: string): TotpParseResult {
  const parts = /^otpauth:\/\/([^/?#]*)\/([^?#]+)\?([^?#]+)$/i.exec(uri);
  if (!parts) return fail('not_totp_uri');
  const type = (parts[1] ?? '').toLowerCase();
  if (type !== 'totp') return fail(/^[a-z]+$/.test(type) ? 'unsupported_type' : 'not_totp_uri');
  const params = queryParams(parts[3] ?? '');
  if (!params) return fail('not_totp_uri');

  const rawSecret = params.get('secret');
  if (rawSecret === undefined) return fail('not_totp_uri');
  const secret = canonicalBase32(rawSecret, false);
  if (!secret.ok) return fail(secret.error);
  // Steam Guard URIs are TOTP with a 5-character alphanumeric alphabet (Aegis/KeePassXC write
  // `encoder=steam`); showing RFC digits for them would give a code that never works.
  if (params.has('encoder')) return fail('unsupported_type');

  const algorithm = (params.get('algorithm') ?? 'SHA1').toUpperCase();
  if (!(TOTP_ALGORITHMS as readonly string[]).includes(algorithm)) return fail('unsupported_algorithm');
  const digits = params.get('digits') ?? '6';
  if (!/^[0-9]$/.test(digits) || !DIGITS.includes(Number(digits))) return fail('unsupported_digits');
  const period = params.get('period') ?? String(PERIOD.default);
  if (!/^[1-9][0-9]{0,3}$/.test(period) || Number(period) > PERIOD.max) return fail('unsupported_period');

  let otp: ReturnType<typeof URI.parse>;
  try {
    otp = URI.parse(uri);
  } catch {
    return fail('not_totp_uri');
  }
  if (!(otp instanceof TOTP)) return fail('unsupported_type');
  // Belt and braces: what the library parsed must be what we checked.
  if (otp.algorithm !== algorithm || otp.digits !== Number(digits) || otp.period !== Number(period)) return fail('not_totp_uri');

  // The format allows spaces after the "Issuer:" prefix ("Issuer:%20alice"); the library keeps them.
  const issuer = otp.issuer.trim();
  const label = otp.label.trim();
  const spec: TotpSpec = {
    secret: secret.value,
    algorithm: algorithm as TotpAlgorithm,
    digits: Number(digits) as TotpDigits,
    period: Number(period),
    ...(issuer ? { issuer } : {}),
    ...(label ? { label } : {}),
  };
  return { ok: true, value: spec };
}

/**
 * A pasted TOTP setup, either a bare base32 secret (RFC 6238 defaults: SHA1, 6 digits, 30 s) or
 * an otpauth://totp/ key URI. Never throws on user input; a non-string is a programming error.
 */
export function parseTotpInput(input: string): TotpParseResult {
  if (typeof input !== 'string') throw new TypeError('parseTotpInput: input must be a string');
  const trimmed = input.trim();
  if (trimmed.length === 0) return fail('empty');
  if (trimmed.length > MAX_INPUT_LENGTH) return fail('too_long');
  // Base32 has no ':', so anything with one is meant as a URI (otpauth-migration:// exports too).
  if (trimmed.includes(':')) return /^otpauth:/i.test(trimmed) ? parseKeyUri(trimmed) : fail('not_totp_uri');
  const secret = canonicalBase32(trimmed, true);
  if (!secret.ok) return fail(secret.error);
  return { ok: true, value: { secret: secret.value, algorithm: 'SHA1', digits: 6, period: PERIOD.default } };
}

export interface TotpCode {
  readonly code: string;
  /** Whole seconds until this code is replaced, 1…period (ceil of the time left). */
  readonly remainingSeconds: number;
}

function checkSpec(spec: TotpSpec): void {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('totpCode: spec must be an object');
  if (typeof spec.secret !== 'string') throw new TypeError('totpCode: secret must be a string');
  const secret = canonicalBase32(spec.secret, false);
  if (!secret.ok || secret.value !== spec.secret) throw new RangeError('totpCode: secret must be canonical base32 of at least 80 bits');
  if (!(TOTP_ALGORITHMS as readonly string[]).includes(spec.algorithm)) throw new RangeError('totpCode: unsupported algorithm');
  if (!DIGITS.includes(spec.digits)) throw new RangeError('totpCode: digits must be 6, 7 or 8');
  if (!Number.isInteger(spec.period) || spec.period < PERIOD.min || spec.period > PERIOD.max) {
    throw new RangeError(`totpCode: period must be an integer from ${PERIOD.min} to ${PERIOD.max}`);
  }
}

/** The code for the time step holding `nowMs` (Unix time in milliseconds, RFC 6238 §4.2). */
export function totpCode(spec: TotpSpec, nowMs: number): TotpCode {
  checkSpec(spec);
  if (typeof nowMs !== 'number') throw new TypeError('totpCode: nowMs must be a number');
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError('totpCode: nowMs must be a finite, non-negative number');
  const secret = Secret.fromBase32(spec.secret);
  try {
    const code = TOTP.generate({ secret, algorithm: spec.algorithm, digits: spec.digits, period: spec.period, timestamp: nowMs });
    const remainingMs = TOTP.remaining({ period: spec.period, timestamp: nowMs });
    return { code, remainingSeconds: Math.ceil(remainingMs / 1000) };
  } finally {
    // The key bytes are ours (decoded just above); the base32 string cannot be wiped (SECURITY.md).
    secret.bytes.fill(0);
  }
}
