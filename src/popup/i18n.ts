/**
 * The popup's words, through chrome.i18n: `_locales/<lang>/messages.json`, picked by the browser's
 * UI language with `default_locale` ("en") for anything missing. `MessageKey` is derived from the
 * English file, so a key that does not exist is a type error, and so is passing substitutions to a
 * message without placeholders (or none to one with them).
 *
 * Outside the extension (unit tests under node) there is no chrome.i18n: the English file answers,
 * with the same placeholder rules (developer.chrome.com/docs/extensions/reference/api/i18n).
 */
import en from '../../_locales/en/messages.json';

type Messages = typeof en;
export type MessageKey = keyof Messages;
type Substitution = string | number;
export type Substitutions<K extends MessageKey> = Messages[K] extends { placeholders: object }
  ? [Substitution, ...Substitution[]]
  : [];

/** Keys that come as `<base>_one` and `<base>_other` (chrome.i18n has no plural rules of its own). */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer B}_one` ? (`${B}_other` extends MessageKey ? B : never) : never;
}[MessageKey];

interface Entry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

/** chrome.i18n's substitution, for the English file: `$name$` → the placeholder's content, `$1`…`$9` → substitutions, `$$` → `$`. */
export function substitute(entry: Entry, subs: readonly string[]): string {
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (whole, name: string | undefined) => {
    if (name === undefined) return '$';
    const content = entry.placeholders?.[name.toLowerCase()]?.content;
    if (content === undefined) return whole;
    return content.replace(/\$\$|\$([1-9])/g, (_, d: string | undefined) => (d === undefined ? '$' : (subs[Number(d) - 1] ?? '')));
  });
}

function lookup(key: MessageKey, subs: readonly Substitution[]): string {
  const strings = subs.map(String);
  const fromBrowser = typeof chrome === 'undefined' ? '' : (chrome.i18n?.getMessage(key, strings) ?? '');
  return fromBrowser || substitute(en[key] as Entry, strings);
}

export function t<K extends MessageKey>(key: K, ...subs: Substitutions<K>): string {
  return lookup(key, subs);
}

/** The language the popup actually speaks (the loaded messages file's own tag), for `<html lang>` and Intl. */
export function uiLanguage(): string {
  return t('locale');
}

/**
 * `<base>_one` or `<base>_other` by the language's plural rule, with `count` as the first
 * substitution. A language needing more forms (few, many) would add keys and a case here.
 */
export function tn(base: PluralBase, count: number, ...more: Substitution[]): string {
  const form = new Intl.PluralRules(uiLanguage()).select(count) === 'one' ? 'one' : 'other';
  return lookup(`${base}_${form}`, [count, ...more]);
}
