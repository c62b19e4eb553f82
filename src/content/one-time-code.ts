/**
 * One-time-code fields (the second factor a site asks for after, or instead of, a password).
 * A field is one when:
 *  - it says so: `autocomplete="one-time-code"` (WHATWG HTML §4.10.18.7.1); or
 *  - its name, id, label, placeholder, aria-label or title speaks of a code (otp, one-time,
 *    verification code, 2fa, totp, security code, authenticator…) *and* its shape is a code's:
 *    `inputmode="numeric"`, `type="tel"`/`"number"`, or a maxlength of 6 to 8; or
 *  - it is one box of a "split" code: 4 to 8 adjacent single-character inputs (maxlength=1).
 * Such a field is never a username and never a password (form-model.ts asks here).
 *
 * The decisions are pure functions over `CodeFieldFacts` so they are unit-tested without a DOM
 * (one-time-code.test.ts); `factsOf` reads the facts from a live input.
 */
import { labelText } from './field-labels';
export interface CodeFieldFacts {
  type: string;
  /** autocomplete tokens, lower case */
  tokens: string[];
  /** name, id, placeholder, aria-label, title and label text, joined */
  hints: string;
  inputMode: string;
  /** -1 when not set (the DOM's default) */
  maxLength: number;
  editable: boolean;
}

const CODE_TYPES = new Set(['text', 'tel', 'number', 'password', '']);
const CODE_WORDS =
  /otp|one.?time|verification.?code|verify.?code|confirmation.?code|2fa|two.?factor|\bmfa\b|totp|security.?code|authenticat|auth.?code|passcode|sms.?code|\btoken\b|bestätigungscode|einmal|sicherheitscode/i;
/** A card's CVC is a "security code" too, and a postcode is a code: never one-time codes. */
const NOT_CODE_WORDS = /card|cvc|cvv|csc|postal|zip|post.?code|promo|coupon|voucher|gift|captcha|referr|invite/i;
export const SPLIT_MIN = 4;
export const SPLIT_MAX = 8;

export function isSingleCodeField(f: CodeFieldFacts): boolean {
  if (!f.editable || !CODE_TYPES.has(f.type) || f.maxLength === 1) return false;
  if (f.tokens.includes('one-time-code')) return true;
  if (f.tokens.includes('username') || f.tokens.includes('current-password') || f.tokens.includes('new-password')) return false;
  if (!CODE_WORDS.test(f.hints) || NOT_CODE_WORDS.test(f.hints)) return false;
  const codeShape = f.inputMode === 'numeric' || f.type === 'tel' || f.type === 'number' || (f.maxLength >= 6 && f.maxLength <= 8);
  return codeShape;
}

/** One box of a split code (it only counts as part of a run of SPLIT_MIN…SPLIT_MAX such boxes). */
export function isCodeBox(f: CodeFieldFacts): boolean {
  return f.editable && CODE_TYPES.has(f.type) && f.maxLength === 1 && !NOT_CODE_WORDS.test(f.hints);
}

/**
 * The runs of adjacent code boxes in `fields` (in tree order) that are SPLIT_MIN…SPLIT_MAX long,
 * as index ranges [start, end). Adjacent means nothing else fillable between them; `sameGroup`
 * says whether two neighbours sit together (same form and near in the tree).
 */
export function splitRuns(fields: readonly CodeFieldFacts[], sameGroup: (a: number, b: number) => boolean = () => true): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  const close = (end: number) => {
    if (start >= 0 && end - start >= SPLIT_MIN && end - start <= SPLIT_MAX) runs.push([start, end]);
    start = -1;
  };
  for (let i = 0; i < fields.length; i++) {
    if (!isCodeBox(fields[i] as CodeFieldFacts)) {
      close(i);
      continue;
    }
    if (start >= 0 && !sameGroup(i - 1, i)) close(i);
    if (start < 0) start = i;
  }
  close(fields.length);
  return runs;
}

/**
 * Where a code goes in a list of fields: the first field that declares `one-time-code`, else the
 * first split run, else the first field whose words and shape say code. Indexes into `fields`.
 */
export function codeTarget(fields: readonly CodeFieldFacts[], sameGroup?: (a: number, b: number) => boolean): number[] | null {
  const declared = fields.findIndex((f) => f.tokens.includes('one-time-code') && isSingleCodeField(f));
  if (declared >= 0) return [declared];
  const [run] = splitRuns(fields, sameGroup);
  if (run) return Array.from({ length: run[1] - run[0] }, (_, k) => run[0] + k);
  const hinted = fields.findIndex(isSingleCodeField);
  return hinted >= 0 ? [hinted] : null;
}

// ── the DOM side ───────────────────────────────────────────────────────────────────────────────

export function factsOf(input: HTMLInputElement): CodeFieldFacts {
  return {
    type: input.type,
    tokens: (input.getAttribute('autocomplete') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    hints: `${input.name} ${input.id} ${input.placeholder} ${input.getAttribute('aria-label') ?? ''} ${input.title} ${labelText(input)}`,
    inputMode: (input.getAttribute('inputmode') ?? '').toLowerCase(),
    maxLength: input.maxLength,
    editable: !input.disabled && !input.readOnly,
  };
}

/** Boxes of one split code share a form (or none) and an ancestor at most three levels up. */
function sameGroup(a: HTMLInputElement, b: HTMLInputElement): boolean {
  if (a.form !== b.form) return false;
  let node: Element | null = a.parentElement;
  for (let depth = 0; node && depth < 3; depth++, node = node.parentElement) if (node.contains(b)) return true;
  return false;
}

/** Is this input a one-time-code field or a box of a split one (never a username or password)? */
export function looksLikeCodeField(input: HTMLInputElement): boolean {
  const f = factsOf(input);
  return isSingleCodeField(f) || isCodeBox(f);
}

/** The code field(s) among `inputs` (visible, in tree order): one field, or the boxes of a split code. */
export function findCodeFields(inputs: readonly HTMLInputElement[]): HTMLInputElement[] | null {
  const candidates = inputs.filter((i) => i.type !== 'hidden' && i.type !== 'checkbox' && i.type !== 'radio' && i.type !== 'submit' && i.type !== 'button');
  const at = codeTarget(candidates.map(factsOf), (x, y) => sameGroup(candidates[x] as HTMLInputElement, candidates[y] as HTMLInputElement));
  return at ? at.map((k) => candidates[k] as HTMLInputElement) : null;
}
