/**
 * Results cross contexts, not exceptions. Every failure is a reason code the popup turns into
 * words (src/popup/error-words.ts) and the logs record without any payload.
 */
export const ERROR_CODES = [
  'bad_sender',
  'bad_message',
  'unknown_type',
  'not_allowed',
  'no_vault',
  'vault_exists',
  'locked',
  'wrong_password',
  'throttled',
  'kdf_too_weak',
  'password_too_short',
  'not_found',
  'no_match',
  'no_fields',
  'expired',
  'tab_unavailable',
  'insecure_context',
  'offscreen_unavailable',
  'storage_failed',
  'item_corrupt',
  /** the item has no (usable) TOTP secret: no one-time code to fill or copy */
  'no_totp',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorCode };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: ErrorCode): Result<T> => ({ ok: false, error });

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x);
}

/** Thrown inside a realm to end a handler with a reason code; the router turns it into a Result. */
export class VaultError extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
    this.name = 'VaultError';
  }
}
