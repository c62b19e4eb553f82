/** The chosen theme as `<html data-theme>`; popup.css lets it override prefers-color-scheme. */
import type { Settings } from '../shared/messages';

export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
