import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import en from '../../_locales/en/messages.json';
import de from '../../_locales/de/messages.json';
import { substitute, t, tn } from './i18n';

const POPUP = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(POPUP, '../..');

interface Entry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Catalogue = Record<string, Entry>;
const LOCALES: Record<string, Catalogue> = { en, de };

/** `$name$` references in a message, lower-cased (chrome.i18n matches them case-insensitively). */
const referenced = (message: string) =>
  [...message.replaceAll('$$', '').matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();

describe('messages.json', () => {
  test('de has exactly the keys of en', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  test.each(Object.entries(LOCALES))('%s: keys are valid and unique ignoring case (chrome.i18n ignores case)', (_, messages) => {
    const keys = Object.keys(messages);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_]+$/);
    expect(new Set(keys.map((k) => k.toLowerCase())).size).toBe(keys.length);
  });

  test.each(Object.entries(LOCALES))('%s: every message is non-empty, every $name$ is declared, no stray $', (_, messages) => {
    for (const [key, entry] of Object.entries(messages)) {
      expect(entry.message.trim(), key).not.toBe('');
      const declared = Object.keys(entry.placeholders ?? {}).map((n) => n.toLowerCase());
      for (const name of referenced(entry.message)) expect(declared, `${key}: $${name}$`).toContain(name);
      // After $$ and $name$ are taken out, a lone $ would be shown literally or eat a character.
      expect(entry.message.replaceAll('$$', '').replace(/\$[A-Za-z0-9_@]+\$/g, ''), key).not.toContain('$');
    }
  });

  test('de uses the same placeholders as en, bound to the same substitutions', () => {
    for (const [key, entry] of Object.entries(en as Catalogue)) {
      const other = (de as Catalogue)[key]!;
      expect(referenced(other.message), key).toEqual(referenced(entry.message));
      const contents = (e: Entry) => Object.fromEntries(Object.entries(e.placeholders ?? {}).map(([n, p]) => [n, p.content]));
      expect(contents(other), key).toEqual(contents(entry));
    }
  });

  test('every en key is used by the popup, the in-page UI, the worker or the manifest (no dead keys)', () => {
    const sources = [POPUP, path.join(ROOT, 'src/content'), path.join(ROOT, 'src/background')]
      .flatMap((dir) => popupFiles(/\.(svelte|ts)$/, dir))
      .filter((f) => !f.endsWith('.test.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const manifest = readFileSync(path.join(ROOT, 'manifest.json'), 'utf8');
    const unused = Object.keys(en).filter((key) => {
      const base = /^(.*)_(one|other)$/.exec(key)?.[1];
      return !(
        sources.includes(`'${key}'`) ||
        (base !== undefined && sources.includes(`'${base}'`)) ||
        manifest.includes(`__MSG_${key}__`)
      );
    });
    expect(unused).toEqual([]);
  });
});

describe('t() outside the extension (English file)', () => {
  test('plain, with placeholders, and plural forms', () => {
    expect(t('action_back')).toBe('Back');
    expect(t('list_all_items', 10001)).toBe('All items (10001)');
    expect(t('list_fill_label', 'Demo site')).toBe('Fill Demo site');
    expect(tn('list_filled', 1)).toBe('Filled 1 field.');
    expect(tn('list_filled', 2)).toBe('Filled 2 fields.');
    expect(tn('list_filled', 0)).toBe('Filled 0 fields.');
    expect(t('health_summary', tn('health_items', 4), 2, tn('health_reused_groups', 1), 1)).toBe(
      'Checked 4 items: 2 weak, 1 reused group, 1 without a website.',
    );
  });

  test.each<[string, Entry, string[], string]>([
    ['two placeholders', { message: '$b$ then $a$', placeholders: { a: { content: '$1' }, b: { content: '$2' } } }, ['x', 'y'], 'y then x'],
    ['case-insensitive names', { message: '$Count$!', placeholders: { count: { content: '$1' } } }, ['3'], '3!'],
    ['$$ is a dollar', { message: 'US$$ $n$', placeholders: { n: { content: '$1' } } }, ['5'], 'US$ 5'],
    ['fixed content', { message: '$brand$', placeholders: { brand: { content: 'SecureVault' } } }, [], 'SecureVault'],
    ['a substitution is not expanded again', { message: '$t$', placeholders: { t: { content: '$1' } } }, ['$1 $t$'], '$1 $t$'],
    ['missing substitution', { message: '[$a$]', placeholders: { a: { content: '$1' } } }, [], '[]'],
  ])('substitute: %s', (_, entry, subs, expected) => {
    expect(substitute(entry, subs)).toBe(expected);
  });
});

// Type tests (checked by tsc, never run): a missing key or a wrong number of substitutions does not compile.
export function _typeTests(): void {
  // @ts-expect-error no such key
  t('no_such_key');
  // @ts-expect-error this message has no placeholders
  t('action_back', 1);
  // @ts-expect-error this message needs a substitution
  t('list_all_items');
  // @ts-expect-error not a plural base (there is no list_lock_one / list_lock_other)
  tn('list_lock', 1);
}

/* ------------------------------------------------------------------------------------------------
 * Convention: no user-visible text hard-coded in a component. Text nodes of the markup, and the
 * attributes people read (aria-label, title, placeholder, alt…), may hold only {expressions},
 * punctuation and symbols — any letter outside {…} fails, except the allow-listed tokens below.
 */

/** Tokens that may appear literally: symbols are not letters anyway; words would be listed here with the reason. */
const ALLOWED = new Set<string>(['⚙', '↑↓', '·', '…']);
const READ_ATTRIBUTES = ['aria-label', 'aria-description', 'aria-roledescription', 'aria-placeholder', 'title', 'placeholder', 'alt'];

/** Index just past the quote that closes the string starting at `start` (template literals may nest `${…}`). */
function skipString(s: string, start: number): number {
  const quote = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (quote === '`' && s[i] === '$' && s[i + 1] === '{') i = skipExpression(s, i + 1) - 1;
    else if (s[i] === quote) return i + 1;
  }
  throw new Error(`unterminated string at ${start}`);
}

/** Index just past the `}` that closes the `{` at `start`, skipping strings inside. */
function skipExpression(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; ) {
    const c = s[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = skipString(s, i);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    i++;
  }
  throw new Error(`unbalanced { at ${start}`);
}

/** Key names compared against KeyboardEvent.key: single capitalised words that are not prose. */
const CODE_WORDS = new Set(['Enter', 'Escape', 'Tab', 'Home', 'End']);

/**
 * Prose in a string literal (script or {expression}): two words, a sentence ending, or one
 * capitalised word ('Never'). Keys ('list_add'), codes ('wrong_password'), CSS and MIME types are not.
 */
const looksLikeProse = (text: string) =>
  /\p{L}/u.test(text) &&
  !CODE_WORDS.has(text) &&
  (/\p{L}[\p{L}’'-]*\s+[\p{L}(]/u.test(text) || /\p{L}[.…!?:]$/u.test(text.trim()) || /^\p{Lu}\p{Ll}+$/u.test(text));

/** String and template literals in TypeScript source (parsed, so comments and regular expressions are no trouble). */
function proseLiterals(code: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (looksLikeProse(node.text)) found.push(`'${node.text}'`);
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
      if (looksLikeProse(parts.join('{}'))) found.push(`\`${parts.join('${}')}\``);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return found;
}

/** Literal text a person would see or hear in a component: markup text, read attributes, prose string literals. */
export function hardCodedText(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) found.push(...proseLiterals(m[1]!));
  const markup = source
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  // Every {…} (expressions, {#if}/{:else}/{/if} blocks, attribute values) becomes an empty {}; the
  // expression itself is checked for prose literals (block syntax stripped: `{#each xs as x (x.id)}` → `xs`).
  let bare = '';
  for (let i = 0; i < markup.length; ) {
    if (markup[i] === '{') {
      const end = skipExpression(markup, i);
      const expression = markup
        .slice(i + 1, end - 1)
        .replace(/^\s*[#:@/](if|else if|else|each|await|then|catch|key|const|html|render|debug)?\b/, '')
        .replace(/\sas\s[\s\S]*$/, '');
      found.push(...proseLiterals(`(${expression});`));
      i = end;
      bare += '{}';
    } else bare += markup[i++];
  }
  const hasWords = (text: string) =>
    text
      .split('{}')
      .map((part) => part.trim())
      .some((part) => /\p{L}/u.test(part) && !ALLOWED.has(part));
  const text = bare.replace(/<[^>]*>/g, (tag) => {
    for (const m of tag.matchAll(/\s([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const [, name, dq, sq] = m;
      if (READ_ATTRIBUTES.includes(name!) && hasWords(dq ?? sq ?? '')) found.push(m[0].trim());
    }
    return '\n';
  });
  for (const line of text.split('\n')) if (hasWords(line)) found.push(line.trim());
  return found;
}

function popupFiles(pattern: RegExp, dir = POPUP): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? popupFiles(pattern, path.join(dir, d.name)) : pattern.test(d.name) ? [path.join(dir, d.name)] : [],
  );
}

describe('no hard-coded user-visible text in src/popup/**/*.svelte', () => {
  test.each<[string, string, string[]]>([
    ['text node', '<p>Hello</p>', ['Hello']],
    ['translated text', "<p>{t('x')}</p>", []],
    ['text beside an expression', '<p>{n}s</p>', ['{}s']],
    ['literal aria-label', "<button aria-label=\"Copy\">{t('a')}</button>", ['aria-label="Copy"']],
    ['placeholder with an expression inside', '<input placeholder="Search {x}" />', ['placeholder="Search {}"']],
    ['arrow function with > in an attribute', "<button aria-label={t('a')} onclick={() => a > b}>⚙</button>", []],
    ['blocks', "{#if a}<p>{t('a')}</p>{:else}<p>x</p>{/if}", ['x']],
    ['script and style ignored', "<script>const a = 'exact';</script><p>{a}</p><style>p { color: red; }</style>", []],
    ['template literal with braces', '<p>{`${a} ${"}"}`}</p>', []],
    ['regular expression with a quantifier', "<p>{c.replace(/^(\\d{3})$/, '$1')}</p>", []],
    ['comment ignored', '<!-- Hello --><p></p>', []],
    ['symbols only', '<p>↑↓ · → ⚙ ( ) …</p>', []],
    ['attributes people do not read', '<input id="item-title" type="password" autocomplete="off" />', []],
    ['prose in an expression', "<button>{busy ? 'Creating…' : t('create_submit')}</button>", ["'Creating…'"]],
    ['prose in a template literal', '<p>{`Filled ${n} fields.`}</p>', ['`Filled ${} fields.`']],
    ['prose in the script', "<script>const a = 'Unknown item'; const b = 'Never'; // don't\n</script>", ["'Unknown item'", "'Never'"]],
    ['codes, keys and symbols in the script', "<script>if (e.key === 'Enter' || k === 'ArrowDown') x = t('list_add', ' · ', 'wrong_password');</script>", []],
    ['each block', "{#each items as item, k (item.id)}<li>{item.title}</li>{/each}", []],
  ])('scanner: %s', (_, source, expected) => {
    expect(hardCodedText(source)).toEqual(expected);
  });

  const components = popupFiles(/\.svelte$/);
  test('finds the components', () => expect(components.length).toBeGreaterThanOrEqual(10));
  test.each(components.map((f) => [path.relative(POPUP, f), f]))('%s', (_, file) => {
    expect(hardCodedText(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
