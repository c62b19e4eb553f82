import { describe, expect, test } from 'vitest';
import { codeTarget, isCodeBox, isSingleCodeField, splitRuns, type CodeFieldFacts } from './one-time-code';

/** A text field with nothing said about it; each case overrides what it is about. */
const field = (patch: Partial<CodeFieldFacts> = {}): CodeFieldFacts => ({
  type: 'text',
  tokens: [],
  hints: '',
  inputMode: '',
  maxLength: -1,
  editable: true,
  ...patch,
});
const box = (patch: Partial<CodeFieldFacts> = {}) => field({ maxLength: 1, inputMode: 'numeric', ...patch });
const boxes = (n: number) => Array.from({ length: n }, () => box());

describe('a single one-time-code field', () => {
  // [why, facts, is a code field]
  test.each<[string, Partial<CodeFieldFacts>, boolean]>([
    ['autocomplete one-time-code alone', { tokens: ['one-time-code'] }, true],
    ['autocomplete one-time-code on a type=password box', { type: 'password', tokens: ['one-time-code'] }, true],
    ['autocomplete one-time-code on type=number', { type: 'number', tokens: ['one-time-code'] }, true],
    ['name otp + inputmode numeric', { hints: 'otp  Enter code', inputMode: 'numeric' }, true],
    ['label "Verification code" + maxlength 6', { hints: 'code  Verification code', maxLength: 6 }, true],
    ['id totp + type tel', { type: 'tel', hints: 'totp' }, true],
    ['"2FA code" + maxlength 8', { hints: 'twofa 2FA code', maxLength: 8 }, true],
    ['"Authenticator app code" + inputmode numeric', { hints: 'mfa Authenticator app code', inputMode: 'numeric' }, true],
    ['"Security code" + maxlength 6', { hints: 'Security code', maxLength: 6 }, true],
    ['German "Bestätigungscode" + inputmode numeric', { hints: 'Bestätigungscode', inputMode: 'numeric' }, true],
    // Words without a code's shape, or a shape without words: not enough.
    ['"otp" in the name but free text', { hints: 'otp' }, false],
    ['"verification code" with maxlength 20', { hints: 'verification code', maxLength: 20 }, false],
    ['numeric but no code words (a phone number)', { type: 'tel', hints: 'phone Mobile number', inputMode: 'numeric' }, false],
    ['maxlength 6 but no code words (a postcode)', { hints: 'zip ZIP', maxLength: 6 }, false],
    // Look-alikes.
    ['card security code (CVC)', { hints: 'cc-csc Card security code', inputMode: 'numeric', maxLength: 4 }, false],
    ['promo code', { hints: 'promo Promo code', maxLength: 8 }, false],
    ['a username that says so', { tokens: ['username'], hints: 'otp-user', inputMode: 'numeric' }, false],
    ['a current password that says so', { type: 'password', tokens: ['current-password'], hints: 'passcode', maxLength: 6 }, false],
    ['an email field', { type: 'email', tokens: ['one-time-code'] }, false],
    ['read-only', { tokens: ['one-time-code'], editable: false }, false],
    ['one box of a split code is not a whole code field', { tokens: ['one-time-code'], maxLength: 1 }, false],
  ])('%s', (_, facts, expected) => {
    expect(isSingleCodeField(field(facts))).toBe(expected);
  });
});

describe('split codes: 4 to 8 adjacent single-character boxes', () => {
  test.each([3, 4, 6, 8, 9])('%i boxes in a row', (n) => {
    const fields = [field({ type: 'email', hints: 'email' }), ...boxes(n), field({ type: 'checkbox' })];
    expect(splitRuns(fields)).toEqual(n >= 4 && n <= 8 ? [[1, 1 + n]] : []);
  });

  test('a field in between breaks the run', () => {
    expect(splitRuns([...boxes(3), field(), ...boxes(3)])).toEqual([]);
    expect(splitRuns([...boxes(4), field(), ...boxes(6)])).toEqual([[0, 4], [5, 11]]);
  });

  test('boxes that are not together in the page (another group) break the run', () => {
    // Boxes 0–2 and 3–5 sit in different places: two runs of three, neither a code.
    expect(splitRuns(boxes(6), (a, b) => !(a === 2 && b === 3))).toEqual([]);
    expect(splitRuns(boxes(8), (a, b) => !(a === 3 && b === 4))).toEqual([[0, 4], [4, 8]]);
  });

  test.each<[string, Partial<CodeFieldFacts>, boolean]>([
    ['a numeric box', {}, true],
    ['a password-type box', { type: 'password' }, true],
    ['a disabled box', { editable: false }, false],
    ['a card-number box', { hints: 'card digit' }, false],
    ['a two-character box', { maxLength: 2 }, false],
  ])('box: %s', (_, facts, expected) => {
    expect(isCodeBox(box(facts))).toBe(expected);
  });
});

describe('where the code goes', () => {
  test('a declared one-time-code field wins over boxes and hints', () => {
    const fields = [field({ hints: 'otp', inputMode: 'numeric' }), ...boxes(6), field({ tokens: ['one-time-code'] })];
    expect(codeTarget(fields)).toEqual([7]);
  });

  test('split boxes before a hinted field', () => {
    expect(codeTarget([field({ hints: 'otp', inputMode: 'numeric' }), ...boxes(6)])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('a hinted field', () => {
    expect(codeTarget([field({ hints: 'user' }), field({ hints: 'Verification code', maxLength: 6 })])).toEqual([1]);
  });

  test('a login form has none', () => {
    expect(codeTarget([field({ type: 'email', tokens: ['username'] }), field({ type: 'password', tokens: ['current-password'] })])).toBeNull();
  });
});
