/**
 * Finds the login fields of this frame: a visible password field and the username field that
 * belongs with it (the nearest visible text-like input before it in the same form, or in the
 * document when there is no <form>). Search boxes and similar are not usernames.
 */
import { isVisibleField } from './field-visibility';

export interface LoginFields {
  username: HTMLInputElement | null;
  password: HTMLInputElement;
}

const USERNAME_TYPES = new Set(['text', 'email', 'tel', '']);
const NOT_USERNAME = /search|query|captcha|coupon|promo|newsletter|subscribe|zip|postal|otp|code/i;
const MAX_INPUTS = 500;

function isUsernameCandidate(input: HTMLInputElement): boolean {
  if (!USERNAME_TYPES.has(input.type) || input.disabled || input.readOnly) return false;
  const hints = `${input.name} ${input.id} ${input.autocomplete} ${input.placeholder} ${input.getAttribute('aria-label') ?? ''}`;
  if (input.type !== 'email' && NOT_USERNAME.test(hints)) return false;
  return isVisibleField(input);
}

export function findLoginFields(root: Document = document): LoginFields | null {
  const inputs = Array.from(root.querySelectorAll('input')).slice(0, MAX_INPUTS);
  const password = inputs.find((i) => i.type === 'password' && !i.disabled && !i.readOnly && isVisibleField(i));
  if (!password) return null;
  const scope = password.form ? inputs.filter((i) => i.form === password.form) : inputs;
  const before = scope.slice(0, scope.indexOf(password)).reverse();
  const username = before.find(isUsernameCandidate) ?? null;
  return { username, password };
}

/** Cheap count for the frame announcement: visible password fields in this document. */
export function countLoginFields(root: Document = document): number {
  return findLoginFields(root) ? 1 : 0;
}
