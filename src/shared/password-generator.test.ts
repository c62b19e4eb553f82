import { createHash } from 'node:crypto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  EFF_WORDLIST_SIZE,
  LOOK_ALIKES,
  entropyBits,
  generatePassphrase,
  generatePassword,
  loadEffWordlist,
  passwordAlphabet,
  randomInt,
  wordsFromDiceTable,
  type PassphraseOptions,
  type PasswordOptions,
  type Uint32Source,
} from './password-generator';

afterEach(() => {
  vi.restoreAllMocks();
});

const TWO_POW_32 = 2 ** 32;

/** A source that hands out `draws` in order and fails the test if asked for more. */
function scripted(draws: number[]): Uint32Source & { used: () => number } {
  let next = 0;
  const source = () => {
    const draw = draws[next++];
    if (draw === undefined) throw new Error('scripted source ran out of draws');
    return draw;
  };
  return Object.assign(source, { used: () => next });
}

/**
 * Pearson's statistic for counts that should all be equal. Under uniformity it is close to
 * chi-square with d = k - 1 degrees of freedom (every test below expects hundreds per cell, where
 * the approximation is excellent). Laurent & Massart (2000, Ann. Statist. 28(5), Lemma 1) give
 * P(X ≥ d + 2√(d·x) + 2x) ≤ e^(−x); with x = 30 a correct generator fails a check with
 * probability below 1e-13, i.e. never, while a missing or doubled character (tens of standard
 * deviations) still fails it. Modulo bias is far too small to see this way (≈ 1e-8 per draw);
 * the scripted-source tests of randomInt are what rule it out.
 */
function pearson(counts: readonly number[]): number {
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  return counts.reduce((sum, c) => sum + (c - mean) ** 2 / mean, 0);
}
const chiSquareBound = (d: number, x = 30) => d + 2 * Math.sqrt(d * x) + 2 * x;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const SYMBOLS = '!#$%&()*+,-./:;<=>?@[]^_{|}~';
// The same four with LOOK_ALIKES ('Il1|O0o') taken out, written out so the test does not reuse the filter.
const LOWER_CLEAR = 'abcdefghijkmnpqrstuvwxyz';
const UPPER_CLEAR = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS_CLEAR = '23456789';
const SYMBOLS_CLEAR = '!#$%&()*+,-./:;<=>?@[]^_{}~';

describe('randomInt', () => {
  // [maxExclusive, limit]: draws below `limit` are used, draws at or above it are discarded.
  // limit = 2^32 − (2^32 mod max) is the largest multiple of max that fits, so every residue has
  // exactly limit / max preimages: the last column is that count, which must be a whole number.
  const LIMITS: [number, number, number][] = [
    [1, 4294967296, 4294967296],
    [2, 4294967296, 2147483648],
    [3, 4294967295, 1431655765],
    [6, 4294967292, 715827882],
    [10, 4294967290, 429496729],
    [90, 4294967220, 47721858],
    [7776, 4294964736, 552336],
    [2 ** 31 + 1, 2147483649, 1],
    [TWO_POW_32, 4294967296, 1],
  ];

  test.each(LIMITS)('max %d: accepts below %d, each residue %d times', (max, limit, perResidue) => {
    expect(limit / max).toBe(perResidue);
    const last = scripted([limit - 1]);
    expect(randomInt(max, last)).toBe((limit - 1) % max);
    expect(last.used()).toBe(1);
    if (limit < TWO_POW_32) {
      // Both ends of the discarded band are thrown away; the next draw is used.
      const rejected = scripted([limit, TWO_POW_32 - 1, 5]);
      expect(randomInt(max, rejected)).toBe(5 % max);
      expect(rejected.used()).toBe(3);
    }
  });

  test.each([3, 6, 10, 90, 7776])('max %d: every draw in the discarded band is discarded, the window below it maps evenly', (max) => {
    const limit = TWO_POW_32 - (TWO_POW_32 % max);
    for (let draw = limit; draw < TWO_POW_32; draw++) {
      const source = scripted([draw, 0]);
      expect(randomInt(max, source)).toBe(0);
      expect(source.used()).toBe(2);
    }
    // The top two full periods of accepted draws hit every residue exactly twice.
    const counts = new Array<number>(max).fill(0);
    for (let draw = limit - 2 * max; draw < limit; draw++) {
      const value = randomInt(max, scripted([draw]));
      counts[value] = (counts[value] ?? 0) + 1;
    }
    expect(counts.every((c) => c === 2)).toBe(true);
  });

  test('the naive `draw % max` would be biased: the band it keeps is why we discard', () => {
    // For max = 3 the single draw 2^32 − 1 is the extra preimage of residue 0.
    expect((TWO_POW_32 - 1) % 3).toBe(0);
    expect(randomInt(3, scripted([TWO_POW_32 - 1, 1]))).toBe(1);
  });

  test.each<[string, unknown, typeof RangeError | typeof TypeError]>([
    ['zero', 0, RangeError],
    ['negative', -1, RangeError],
    ['fraction', 1.5, RangeError],
    ['NaN', Number.NaN, RangeError],
    ['infinity', Number.POSITIVE_INFINITY, RangeError],
    ['above 2^32', TWO_POW_32 + 1, RangeError],
    ['string', '3', TypeError],
    ['bigint', 3n, TypeError],
  ])('refuses maxExclusive %s', (_why, max, error) => {
    expect(() => randomInt(max as number)).toThrow(error);
  });

  test.each<[string, number]>([
    ['negative', -1],
    ['2^32', TWO_POW_32],
    ['fraction', 0.5],
    ['NaN', Number.NaN],
  ])('refuses a source that returns %s', (_why, draw) => {
    expect(() => randomInt(10, () => draw)).toThrow(RangeError);
  });

  test('the default source is crypto.getRandomValues, never Math.random', () => {
    const getRandomValues = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const mathRandom = vi.spyOn(Math, 'random');
    for (let i = 0; i < 100; i++) expect(randomInt(7)).toBeLessThan(7);
    expect(generatePassword()).toHaveLength(20);
    expect(generatePassphrase({}, ['alpha', 'bravo', 'charlie'])).toMatch(/^[a-z]+(-[a-z]+){4}$/);
    expect(getRandomValues).toHaveBeenCalled();
    expect(mathRandom).not.toHaveBeenCalled();
  });
});

describe('generatePassword', () => {
  // [why, options, length, alphabet]: every password has that length, draws only from that
  // alphabet, and holds at least one character of every class named in the options.
  const RULES: [string, PasswordOptions, number, string][] = [
    ['defaults: 20 characters, all four classes', {}, 20, LOWER + UPPER + DIGITS + SYMBOLS],
    ['shortest allowed', { length: 8 }, 8, LOWER + UPPER + DIGITS + SYMBOLS],
    ['longest allowed', { length: 128 }, 128, LOWER + UPPER + DIGITS + SYMBOLS],
    ['no symbols', { symbols: false }, 20, LOWER + UPPER + DIGITS],
    ['digits only (a PIN-like code)', { length: 8, lowercase: false, uppercase: false, symbols: false }, 8, DIGITS],
    ['lowercase only', { uppercase: false, digits: false, symbols: false }, 20, LOWER],
    ['letters only', { digits: false, symbols: false, length: 32 }, 32, LOWER + UPPER],
    ['symbols and digits', { lowercase: false, uppercase: false }, 20, DIGITS + SYMBOLS],
    ['look-alikes out, all classes', { excludeLookAlikes: true }, 20, LOWER_CLEAR + UPPER_CLEAR + DIGITS_CLEAR + SYMBOLS_CLEAR],
    ['look-alikes out, shortest', { excludeLookAlikes: true, length: 8 }, 8, LOWER_CLEAR + UPPER_CLEAR + DIGITS_CLEAR + SYMBOLS_CLEAR],
    ['look-alikes out, digits only', { excludeLookAlikes: true, lowercase: false, uppercase: false, symbols: false }, 20, DIGITS_CLEAR],
    ['explicit undefined means default', { length: undefined, symbols: undefined }, 20, LOWER + UPPER + DIGITS + SYMBOLS],
  ];

  const CLASSES = [LOWER, UPPER, DIGITS, SYMBOLS];

  test.each(RULES)('%s: alphabet', (_why, options, _length, alphabet) => {
    expect(passwordAlphabet(options)).toBe(alphabet);
  });

  test.each(RULES)('%s: 2000 passwords keep every rule', (_why, options, length, alphabet) => {
    const required = CLASSES.map((set) => [...set].filter((c) => alphabet.includes(c))).filter((set) => set.length > 0);
    for (let i = 0; i < 2000; i++) {
      const password = generatePassword(options);
      expect(password).toHaveLength(length);
      for (const c of password) if (!alphabet.includes(c)) expect.fail(`${JSON.stringify(c)} is outside the alphabet`);
      for (const set of required) if (!set.some((c) => password.includes(c))) expect.fail(`${password} misses a class`);
    }
  });

  test('look-alikes never appear when excluded', () => {
    expect(LOOK_ALIKES).toBe('Il1|O0o');
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) for (const c of generatePassword({ excludeLookAlikes: true, length: 40 })) seen.add(c);
    for (const c of LOOK_ALIKES) expect(seen.has(c)).toBe(false);
    // …and everything else still shows up.
    expect(seen.size).toBe((LOWER_CLEAR + UPPER_CLEAR + DIGITS_CLEAR + SYMBOLS_CLEAR).length);
  });

  test('every allowed character appears, evenly within its class (chi-square, bound explained at pearson)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of generatePassword()) counts.set(c, (counts.get(c) ?? 0) + 1);
    // Classes are compared only within themselves: requiring every class makes small classes
    // (digits) a little more frequent overall, but inside a class all characters are symmetric.
    for (const set of CLASSES) {
      const classCounts = [...set].map((c) => counts.get(c) ?? 0);
      expect(Math.min(...classCounts)).toBeGreaterThan(0);
      expect(pearson(classCounts)).toBeLessThan(chiSquareBound(set.length - 1));
    }
    expect([...counts.keys()].sort()).toEqual([...(LOWER + UPPER + DIGITS + SYMBOLS)].sort());
  });

  test('the required classes are not at predictable positions', () => {
    // Lowercase + digits, 8 characters. Uniform over passwords that hold both classes, position i
    // is a digit with probability 10·(36^7 − 10^7) / (36^8 − 26^8 − 10^8) ≈ 0.2999 for every i.
    // A "put one digit first, then fill" generator would make position 0 a digit half the time.
    const samples = 4000;
    const p = (10 * (36 ** 7 - 10 ** 7)) / (36 ** 8 - 26 ** 8 - 10 ** 8);
    const sd = Math.sqrt(samples * p * (1 - p));
    const digitsAt = new Array<number>(8).fill(0);
    for (let i = 0; i < samples; i++) {
      const password = generatePassword({ length: 8, uppercase: false, symbols: false });
      [...password].forEach((c, at) => {
        if (DIGITS.includes(c)) digitsAt[at] = (digitsAt[at] ?? 0) + 1;
      });
    }
    // 7 standard deviations: P(|Z| > 7) ≈ 2.6e-12 per position.
    for (const count of digitsAt) expect(Math.abs(count - samples * p)).toBeLessThan(7 * sd);
  });

  test.each<[string, unknown, typeof RangeError | typeof TypeError]>([
    ['length 7', { length: 7 }, RangeError],
    ['length 129', { length: 129 }, RangeError],
    ['length 0', { length: 0 }, RangeError],
    ['fractional length', { length: 20.5 }, RangeError],
    ['NaN length', { length: Number.NaN }, RangeError],
    ['length as a string', { length: '20' }, TypeError],
    ['no class chosen', { lowercase: false, uppercase: false, digits: false, symbols: false }, RangeError],
    ['class flag as a string', { symbols: 'false' }, TypeError],
    ['class flag as a number', { digits: 0 }, TypeError],
    ['excludeLookAlikes as a string', { excludeLookAlikes: 'yes' }, TypeError],
    ['misspelt option', { symbol: false }, TypeError],
    ['null options', null, TypeError],
    ['array options', [], TypeError],
    ['number options', 20, TypeError],
  ])('refuses %s', (_why, options, error) => {
    expect(() => generatePassword(options as PasswordOptions)).toThrow(error);
    expect(() => entropyBits({ kind: 'password', options: options as PasswordOptions })).toThrow(error);
  });
});

/**
 * Passwords that use every class, counted by dynamic programming over "classes seen so far" —
 * a different method from the inclusion–exclusion inside entropyBits, in exact BigInt.
 */
function countPasswordsWithEveryClass(classSizes: readonly number[], length: number): bigint {
  const full = (1 << classSizes.length) - 1;
  let ways = new Array<bigint>(full + 1).fill(0n);
  ways[0] = 1n;
  for (let i = 0; i < length; i++) {
    const next = new Array<bigint>(full + 1).fill(0n);
    ways.forEach((count, seen) => {
      classSizes.forEach((size, c) => {
        const to = seen | (1 << c);
        next[to] = (next[to] ?? 0n) + count * BigInt(size);
      });
    });
    ways = next;
  }
  return ways[full] ?? 0n;
}

describe('entropyBits', () => {
  // [why, options, class sizes, bits rounded to 0.1 for a reader]
  const PASSWORDS: [string, PasswordOptions, number[], number][] = [
    ['defaults (20, all classes)', {}, [26, 26, 10, 28], 129.7],
    ['8 digits', { length: 8, lowercase: false, uppercase: false, symbols: false }, [10], 26.6],
    ['20 lowercase', { uppercase: false, digits: false, symbols: false }, [26], 94.0],
    ['8 lowercase + digits', { length: 8, uppercase: false, symbols: false }, [26, 10], 41.2],
    ['8, all classes', { length: 8 }, [26, 26, 10, 28], 50.9],
    ['20, look-alikes out', { excludeLookAlikes: true }, [24, 24, 8, 27], 127.3],
    ['128, all classes', { length: 128 }, [26, 26, 10, 28], 831.0],
    ['128, look-alikes out', { length: 128, excludeLookAlikes: true }, [24, 24, 8, 27], 816.0],
  ];

  test.each(PASSWORDS)('password, %s', (_why, options, classSizes, rounded) => {
    const bits = entropyBits({ kind: 'password', options });
    const exact = Math.log2(Number(countPasswordsWithEveryClass(classSizes, options.length ?? 20)));
    expect(bits).toBeCloseTo(exact, 9);
    expect(bits).toBeCloseTo(rounded, 1);
    // Requiring every class can only remove passwords.
    const naive = (options.length ?? 20) * Math.log2(classSizes.reduce((a, b) => a + b, 0));
    expect(bits).toBeLessThanOrEqual(naive + 1e-9);
  });

  // [why, options, list size, bits]
  const PASSPHRASES: [string, PassphraseOptions, number, number][] = [
    ['EFF, defaults (5 words)', {}, 7776, 5 * Math.log2(7776)],
    ['EFF, 3 words', { words: 3 }, 7776, 3 * Math.log2(7776)],
    ['EFF, 20 words', { words: 20 }, 7776, 20 * Math.log2(7776)],
    ['EFF, 5 words, number: which word × which digit', { addNumber: true }, 7776, 5 * Math.log2(7776) + Math.log2(50)],
    ['capitals add nothing', { capitalise: true, separator: ' ' }, 7776, 5 * Math.log2(7776)],
    ['small list', { words: 4 }, 8, 12],
  ];

  test.each(PASSPHRASES)('passphrase, %s', (_why, options, wordlistSize, expected) => {
    expect(entropyBits({ kind: 'passphrase', options, wordlistSize })).toBeCloseTo(expected, 9);
  });

  test('reader-facing figures: 5 EFF words ≈ 64.6 bits, with a number ≈ 70.3', () => {
    expect(entropyBits({ kind: 'passphrase', wordlistSize: 7776 })).toBeCloseTo(64.6, 1);
    expect(entropyBits({ kind: 'passphrase', options: { addNumber: true }, wordlistSize: 7776 })).toBeCloseTo(70.3, 1);
  });

  test.each<[string, unknown, typeof RangeError | typeof TypeError]>([
    ['no request', undefined, TypeError],
    ['unknown kind', { kind: 'pin' }, TypeError],
    ['passphrase without a list size', { kind: 'passphrase' }, TypeError],
    ['list of one word', { kind: 'passphrase', wordlistSize: 1 }, RangeError],
    ['fractional list size', { kind: 'passphrase', wordlistSize: 7776.5 }, RangeError],
    ['too many words', { kind: 'passphrase', wordlistSize: 7776, options: { words: 21 } }, RangeError],
  ])('refuses %s', (_why, request, error) => {
    expect(() => entropyBits(request as Parameters<typeof entropyBits>[0])).toThrow(error);
  });
});

describe('generatePassphrase', () => {
  const LIST = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'] as const;
  const capitalised = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

  // [why, options, words, separator, capitalised, has a number]
  const RULES: [string, PassphraseOptions, number, string, boolean, boolean][] = [
    ['defaults', {}, 5, '-', false, false],
    ['fewest words', { words: 3 }, 3, '-', false, false],
    ['most words', { words: 20 }, 20, '-', false, false],
    ['space separator', { separator: ' ' }, 5, ' ', false, false],
    ['multi-character separator', { separator: ' / ' }, 5, ' / ', false, false],
    ['no separator, capitals mark the words', { separator: '', capitalise: true }, 5, '', true, false],
    ['capitalised', { capitalise: true }, 5, '-', true, false],
    ['with a number', { addNumber: true }, 5, '-', false, true],
    ['everything', { words: 6, separator: '.', capitalise: true, addNumber: true }, 6, '.', true, true],
  ];

  test.each(RULES)('%s', (_why, options, wordCount, separator, caps, number) => {
    const allowed = new Set<string>(LIST.map((w) => (caps ? capitalised(w) : w)));
    for (let i = 0; i < 500; i++) {
      const phrase = generatePassphrase(options, LIST);
      const words = separator === '' ? (phrase.match(/[A-Z][a-z]*\d?/g) ?? []) : phrase.split(separator);
      expect(words).toHaveLength(wordCount);
      const withDigit = words.filter((w) => /\d$/.test(w));
      expect(withDigit).toHaveLength(number ? 1 : 0);
      expect(phrase.replace(/\D/g, '')).toHaveLength(number ? 1 : 0);
      for (const word of words) expect(allowed.has(word.replace(/\d$/, ''))).toBe(true);
    }
  });

  test('words, the numbered word and the digit are all uniform (chi-square, bound explained at pearson)', () => {
    const wordCounts = new Map<string, number>();
    const positionCounts = new Array<number>(5).fill(0);
    const digitCounts = new Array<number>(10).fill(0);
    for (let i = 0; i < 4000; i++) {
      const words = generatePassphrase({ addNumber: true }, LIST).split('-');
      words.forEach((word, at) => {
        const digit = /\d$/.exec(word);
        if (digit) {
          positionCounts[at] = (positionCounts[at] ?? 0) + 1;
          const d = Number(digit[0]);
          digitCounts[d] = (digitCounts[d] ?? 0) + 1;
        }
        const bare = word.replace(/\d$/, '');
        wordCounts.set(bare, (wordCounts.get(bare) ?? 0) + 1);
      });
    }
    const words = LIST.map((w) => wordCounts.get(w) ?? 0);
    expect(Math.min(...words)).toBeGreaterThan(0);
    expect(pearson(words)).toBeLessThan(chiSquareBound(LIST.length - 1));
    expect(pearson(positionCounts)).toBeLessThan(chiSquareBound(4));
    expect(pearson(digitCounts)).toBeLessThan(chiSquareBound(9));
  });

  test.each<[string, unknown, unknown, typeof RangeError | typeof TypeError]>([
    ['2 words', { words: 2 }, LIST, RangeError],
    ['21 words', { words: 21 }, LIST, RangeError],
    ['fractional words', { words: 4.5 }, LIST, RangeError],
    ['words as a string', { words: '5' }, LIST, TypeError],
    ['separator with a letter', { separator: 'x' }, LIST, RangeError],
    ['separator with a digit', { separator: '1' }, LIST, RangeError],
    ['separator of 9 characters', { separator: '---------' }, LIST, RangeError],
    ['separator as a number', { separator: 0 }, LIST, TypeError],
    ['capitalise as a string', { capitalise: 'true' }, LIST, TypeError],
    ['addNumber as a number', { addNumber: 1 }, LIST, TypeError],
    ['misspelt option', { capitalize: true }, LIST, TypeError],
    ['null options', null, LIST, TypeError],
    ['no wordlist', {}, undefined, TypeError],
    ['wordlist as a string', {}, 'alpha bravo', TypeError],
    ['empty wordlist', {}, [], RangeError],
    ['one-word list', {}, ['alpha'], RangeError],
    ['repeated word', {}, ['alpha', 'bravo', 'alpha'], RangeError],
    ['empty word', {}, ['alpha', ''], RangeError],
    ['word with a digit', {}, ['alpha', 'bravo1'], RangeError],
    ['word with a space', {}, ['alpha', 'bra vo'], RangeError],
    ['non-string word', {}, ['alpha', 7], TypeError],
  ])('refuses %s', (_why, options, wordlist, error) => {
    expect(() => generatePassphrase(options as PassphraseOptions, wordlist as string[])).toThrow(error);
  });
});

describe('EFF long wordlist', () => {
  /** SHA-256 of https://www.eff.org/files/2016/07/18/eff_large_wordlist.txt as EFF serves it. */
  const EFF_LARGE_WORDLIST_SHA256 = 'addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e';

  const rolls = () => {
    const all: string[] = [];
    for (const a of '123456') for (const b of '123456') for (const c of '123456') for (const d of '123456') for (const e of '123456') all.push(a + b + c + d + e);
    return all;
  };

  test('has 7776 unique lowercase words, abacus … zoom, frozen', async () => {
    const words = await loadEffWordlist();
    expect(words).toHaveLength(7776);
    expect(EFF_WORDLIST_SIZE).toBe(7776);
    expect(new Set(words).size).toBe(7776);
    for (const word of words) expect(word).toMatch(/^[a-z]+(?:-[a-z]+)?$/);
    expect(words.filter((w) => w.includes('-'))).toEqual(['drop-down', 'felt-tip', 't-shirt', 'yo-yo']);
    expect(words[0]).toBe('abacus');
    expect(words.at(-1)).toBe('zoom');
    expect(Object.isFrozen(words)).toBe(true);
    expect(await loadEffWordlist()).toBe(words);
  });

  test("is byte for byte EFF's published list (dice roll, tab, word per line)", async () => {
    const words = await loadEffWordlist();
    const rebuilt = rolls()
      .map((roll, i) => `${roll}\t${words[i]}\n`)
      .join('');
    expect(createHash('sha256').update(rebuilt).digest('hex')).toBe(EFF_LARGE_WORDLIST_SHA256);
  });

  test('works as a passphrase source', async () => {
    const words = await loadEffWordlist();
    const phrase = generatePassphrase({ capitalise: true, addNumber: true }, words);
    expect(phrase.split('-').length).toBeGreaterThanOrEqual(5);
    expect(entropyBits({ kind: 'passphrase', wordlistSize: words.length })).toBeCloseTo(64.6, 1);
  });

  /** A valid made-up table: roll → a distinct lowercase word. */
  const table = (): Record<string, unknown> =>
    Object.fromEntries(rolls().map((roll) => [roll, [...roll].map((d) => 'abcdef'.charAt(Number(d) - 1)).join('')]));

  test('wordsFromDiceTable reads a table in roll order', () => {
    const words = wordsFromDiceTable(table());
    expect(words).toHaveLength(7776);
    expect(words[0]).toBe('aaaaa');
    expect(words[1]).toBe('aaaab');
    expect(words.at(-1)).toBe('fffff');
  });

  test.each<[string, (t: Record<string, unknown>) => unknown, typeof RangeError | typeof TypeError]>([
    ['not an object', () => 'abacus', TypeError],
    ['an array', (t) => Object.values(t), TypeError],
    ['a roll missing', (t) => ((t['34512'] = undefined), delete t['34512'], t), RangeError],
    ['a roll replaced by another key', (t) => (delete t['34512'], (t['70000'] = 'zzz'), t), RangeError],
    ['an extra key', (t) => ((t['extra'] = 'zzz'), t), RangeError],
    ['a repeated word', (t) => ((t['66666'] = t['11111']), t), RangeError],
    ['an upper-case word', (t) => ((t['12345'] = 'Abacus'), t), TypeError],
    ['a word with a digit', (t) => ((t['12345'] = 'abacus1'), t), TypeError],
    ['a non-string word', (t) => ((t['12345'] = 12345), t), TypeError],
  ])('wordsFromDiceTable refuses %s', (_why, corrupt, error) => {
    expect(() => wordsFromDiceTable(corrupt(table()))).toThrow(error);
  });
});
