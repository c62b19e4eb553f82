/** Reason codes from any context, in words a person understands. */
import type { ErrorCode } from '../shared/result';

const WORDS: Record<ErrorCode, string> = {
  bad_sender: 'That request came from somewhere SecureVault does not trust, so it was refused.',
  bad_message: 'SecureVault could not understand that request.',
  unknown_type: 'SecureVault could not understand that request.',
  not_allowed: 'That action is not allowed from here.',
  no_vault: 'There is no vault yet. Create one first.',
  vault_exists: 'A vault already exists in this browser profile.',
  locked: 'The vault is locked. Unlock it with your master password.',
  wrong_password: 'Wrong master password. Check it and try again.',
  throttled: 'Too many wrong attempts. Wait a little, then try again.',
  kdf_too_weak:
    'The vault’s key-derivation settings are weaker than SecureVault allows, so it may have been tampered with. Nothing was unlocked.',
  password_too_short: 'The master password is too short.',
  not_found: 'That item no longer exists.',
  no_match: 'This item is not saved for this site, so SecureVault will not fill it here.',
  no_fields: 'No login form was found on this page.',
  expired: 'The request took too long and was cancelled. Try again.',
  tab_unavailable: 'The page is not reachable (it may have been closed or reloaded). Try again.',
  insecure_context: 'This page is not a secure context, so SecureVault will not fill it.',
  offscreen_unavailable: 'The vault could not be reached. Try again.',
  storage_failed: 'The vault storage could not be read or written. Nothing was changed.',
  internal: 'Something went wrong inside SecureVault. Nothing was changed.',
};

export function errorWords(code: ErrorCode): string {
  return Object.hasOwn(WORDS, code) ? WORDS[code] : WORDS.internal;
}
