/** Reason codes from any context, in words a person understands (in the popup's language). */
import type { ErrorCode } from '../shared/result';
import { t, type MessageKey } from './i18n';

const WORDS: Record<ErrorCode, MessageKey & `error_${string}`> = {
  bad_sender: 'error_bad_sender',
  bad_message: 'error_bad_message',
  unknown_type: 'error_bad_message',
  not_allowed: 'error_not_allowed',
  no_vault: 'error_no_vault',
  vault_exists: 'error_vault_exists',
  locked: 'error_locked',
  wrong_password: 'error_wrong_password',
  throttled: 'error_throttled',
  kdf_too_weak: 'error_kdf_too_weak',
  password_too_short: 'error_password_too_short',
  not_found: 'error_not_found',
  no_match: 'error_no_match',
  no_fields: 'error_no_fields',
  expired: 'error_expired',
  tab_unavailable: 'error_tab_unavailable',
  insecure_context: 'error_insecure_context',
  offscreen_unavailable: 'error_offscreen_unavailable',
  storage_failed: 'error_storage_failed',
  item_corrupt: 'error_item_corrupt',
  no_totp: 'error_no_totp',
  internal: 'error_internal',
};

export function errorWords(code: ErrorCode): string {
  return t(Object.hasOwn(WORDS, code) ? WORDS[code] : WORDS.internal);
}
