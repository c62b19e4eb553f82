/**
 * What is fillable in this frame right now: one plan naming at most one username field and at
 * most one password field, all visible. Built from the visible inputs of each "scope" (a <form>,
 * or every form-less input of the frame — shadow-DOM inputs have no form outside their tree),
 * using autocomplete tokens first (WHATWG HTML §4.10.18.7.1: username, current-password,
 * new-password, one-time-code), then names, ids, labels, placeholders, types and position.
 *
 * Kinds and what a fill puts where:
 *  - login: username (when one precedes the password) and the password;
 *  - password-step: the second step of a username-first login — the password only;
 *  - username-step: the first step — the username only;
 *  - signup (new password + confirm): the username and the *first* new-password field only. The
 *    "confirm" field stays empty: copying a saved password into a form that creates an account is
 *    a reuse the user did not ask for; the generated-password flow is the way to fill both;
 *  - change-password (current / new / confirm): only "current".
 * Search boxes, newsletter sign-ups, one-time codes and unrelated text fields are never usernames.
 * One-time-code fields (one-time-code.ts) have their own finder, `currentCodeFields`.
 */
import { collectInputs } from './deep-inputs';
import { isVisibleField } from './field-visibility';
import { labelText } from './field-labels';
import { findCodeFields, looksLikeCodeField } from './one-time-code';

export type PlanKind = 'login' | 'password-step' | 'username-step' | 'signup' | 'change-password';

export interface FillPlan {
  kind: PlanKind;
  username: HTMLInputElement | null;
  password: HTMLInputElement | null;
}

type PasswordRole = 'current' | 'new' | 'confirm' | 'unknown';

const TEXT_TYPES = new Set(['text', 'email', 'tel', '']);
const USERNAME_WORDS = /user|login|log-in|sign.?in|ident|account|member|handle|nick|benutzer|utilisateur/i;
const EMAIL_WORDS = /e-?mail|phone|mobile/i;
const NOT_USERNAME =
  /search|query|captcha|coupon|promo|voucher|newsletter|subscri|zip|postal|otp|one-time|verification|\bcode\b|first.?name|last.?name|full.?name|given.?name|family.?name|street|city|company|card|cvc|amount|quantity|comment|message|subject/i;
const CONFIRM_WORDS = /confirm|repeat|retype|re-?type|again|verify|re-?enter|password2|pass2|pwd2|confirmation/i;
const NEW_WORDS = /\bnew|create|choose|set.?password|neu/i;
const CURRENT_WORDS = /current|\bold|existing/i;
const LOGIN_ACTION = /log.?in|sign.?in|next|continue|weiter|suivant|anmelden/i;
const NOT_LOGIN_ACTION = /subscri|newsletter|search|sign.?up|register|join|create account/i;

function tokens(input: HTMLInputElement): string[] {
  return (input.getAttribute('autocomplete') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

function hintsOf(input: HTMLInputElement): string {
  return `${input.name} ${input.id} ${input.getAttribute('autocomplete') ?? ''} ${input.placeholder} ${input.getAttribute('aria-label') ?? ''} ${input.title} ${labelText(input)}`;
}

function passwordRole(input: HTMLInputElement): PasswordRole {
  const t = tokens(input);
  const h = hintsOf(input);
  if (t.includes('current-password')) return 'current';
  if (t.includes('new-password')) return CONFIRM_WORDS.test(h) ? 'confirm' : 'new';
  if (CONFIRM_WORDS.test(h)) return 'confirm';
  if (CURRENT_WORDS.test(h)) return 'current';
  if (NEW_WORDS.test(h)) return 'new';
  return 'unknown';
}

function isEditable(input: HTMLInputElement): boolean {
  return !input.disabled && !input.readOnly;
}

function inSearchLandmark(input: HTMLInputElement): boolean {
  return input.closest('[role="search"], search') !== null;
}

/** May this text-like field be a username? `strong` means it says so on its own. */
function usernameEvidence(input: HTMLInputElement): 'strong' | 'weak' | null {
  if (!TEXT_TYPES.has(input.type) || !isEditable(input) || inSearchLandmark(input)) return null;
  const t = tokens(input);
  if (t.includes('username')) return 'strong';
  if (t.includes('one-time-code') || looksLikeCodeField(input)) return null;
  const h = hintsOf(input);
  if (NOT_USERNAME.test(h)) return null;
  if (USERNAME_WORDS.test(h) || t.includes('email')) return 'strong';
  if (input.type === 'email' || input.type === 'tel' || EMAIL_WORDS.test(h)) return 'weak';
  return 'weak';
}

/** Does the form (or container) around a lone username field look like a sign-in step? */
function looksLikeSignInStep(input: HTMLInputElement): boolean {
  const container = input.form ?? input.parentElement?.parentElement?.parentElement ?? input.parentElement;
  if (!container) return false;
  let text = `${container.id} ${container.getAttribute('name') ?? ''} ${container.className} ${container.getAttribute('aria-label') ?? ''} ${container.getAttribute('action') ?? ''}`;
  const buttons = container.querySelectorAll('button, input[type="submit"], input[type="button"], [role="button"]');
  for (let i = 0; i < buttons.length && i < 10; i++) {
    const b = buttons[i] as HTMLElement;
    text += ` ${b instanceof HTMLInputElement ? b.value : (b.textContent ?? '')}`;
  }
  const heading = (input.getRootNode() as Document | ShadowRoot).querySelector?.('h1, h2');
  text += ` ${heading?.textContent ?? ''}`;
  return LOGIN_ACTION.test(text) && !NOT_LOGIN_ACTION.test(text);
}

function usernameBefore(scope: HTMLInputElement[], password: HTMLInputElement): HTMLInputElement | null {
  const at = scope.indexOf(password);
  for (let i = at - 1; i >= 0; i--) {
    const input = scope[i] as HTMLInputElement;
    if (input.type === 'password') return null; // the previous group's password: stop
    if (usernameEvidence(input)) return input;
  }
  return null;
}

function planForScope(scope: HTMLInputElement[]): FillPlan | null {
  // A one-time code in a type=password box is a code, not the password (one-time-code.ts).
  const passwords = scope.filter((i) => i.type === 'password' && isEditable(i) && !looksLikeCodeField(i));
  if (passwords.length === 0) {
    const strong = scope.filter((i) => usernameEvidence(i) === 'strong');
    const lone = strong.length === 1 ? (strong[0] as HTMLInputElement) : null;
    if (!lone) return null;
    const others = scope.filter((i) => i !== lone && TEXT_TYPES.has(i.type) && isEditable(i));
    // A username step has one field (a "remember me" checkbox is not a text field).
    if (others.length > 0) return null;
    const explicit = tokens(lone).includes('username') || USERNAME_WORDS.test(hintsOf(lone));
    return explicit || looksLikeSignInStep(lone) ? { kind: 'username-step', username: lone, password: null } : null;
  }
  const roles = passwords.map(passwordRole);
  const first = passwords[0] as HTMLInputElement;
  if (passwords.length === 1) {
    const username = usernameBefore(scope, first);
    if (roles[0] === 'new') return { kind: 'signup', username, password: first };
    return { kind: username ? 'login' : 'password-step', username, password: first };
  }
  const currentAt = roles.indexOf('current');
  if (passwords.length >= 3 || (currentAt >= 0 && roles.some((r) => r === 'new' || r === 'confirm'))) {
    return { kind: 'change-password', username: null, password: passwords[Math.max(currentAt, 0)] as HTMLInputElement };
  }
  // Two password fields and no "current": new password + confirm.
  return { kind: 'signup', username: usernameBefore(scope, first), password: first };
}

const PREFERENCE: readonly PlanKind[] = ['login', 'password-step', 'change-password', 'signup', 'username-step'];

function visibleInputs(root: Document): HTMLInputElement[] {
  return collectInputs(root).filter((i) => i.type !== 'hidden' && isVisibleField(i));
}

/**
 * The one-time-code field(s) of this frame now — one field, or the 4–8 boxes of a split code —
 * visible and editable only; null when there is none. A fill of the login never touches them, and
 * a code is filled only into them (fill-engine.ts).
 */
export function currentCodeFields(root: Document = document): HTMLInputElement[] | null {
  return findCodeFields(visibleInputs(root));
}

/** The plan for this frame now: visible, editable fields only; null when there is nothing to fill. */
export function currentPlan(root: Document = document): FillPlan | null {
  const visible = visibleInputs(root);
  const scopes = new Map<HTMLFormElement | null, HTMLInputElement[]>();
  for (const input of visible) {
    const key = input.form;
    const list = scopes.get(key);
    if (list) list.push(input);
    else scopes.set(key, [input]);
  }
  let best: FillPlan | null = null;
  for (const scope of scopes.values()) {
    const plan = planForScope(scope);
    if (plan && (!best || PREFERENCE.indexOf(plan.kind) < PREFERENCE.indexOf(best.kind))) best = plan;
  }
  return best;
}
