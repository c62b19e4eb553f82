/**
 * Words of the in-page UI (save bar, inline menu), through chrome.i18n like the popup's. The key
 * type comes from the English file (type-only: no catalogue is bundled into the page's script);
 * only the in-page keys (`bar_*`, `menu_*`) are allowed here.
 */
type Messages = typeof import('../../_locales/en/messages.json');
export type PageWordKey = Extract<keyof Messages, `bar_${string}` | `menu_${string}`>;

export function pageWord(key: PageWordKey, ...subs: string[]): string {
  // getMessage answers '' only for a key missing from every catalogue: show the key, never nothing.
  return chrome.i18n.getMessage(key, subs) || key;
}
