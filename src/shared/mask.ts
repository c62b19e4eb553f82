/**
 * What in-page UI (save bar, inline menu) may show of a username: "alice@example.com" →
 * "a•••e@example.com". A page's scripts must never learn a saved username before the user picks
 * an item (THREATS.md §D), and our closed shadow root is drawn in the page's renderer.
 */
export function maskUsername(username: string): string {
  const at = username.lastIndexOf('@');
  const local = at > 0 ? username.slice(0, at) : username;
  const domain = at > 0 ? username.slice(at) : '';
  if (local.length === 0) return domain.slice(0, 120);
  const last = local.length > 2 ? local.slice(-1) : '';
  return `${local.slice(0, 1)}\u2022\u2022\u2022${last}${domain}`.slice(0, 120);
}
