/**
 * Is a field really visible to the user? (THREATS.md §A: never fill what the user cannot see —
 * hidden, zero-size, off-screen, clipped, or made transparent by any ancestor.)
 */
const MIN_SIZE = 4;
const MIN_OPACITY = 0.5;

export function isVisibleField(el: HTMLElement): boolean {
  if (!el.isConnected) return false;
  if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) return false;
  const rect = el.getBoundingClientRect();
  if (rect.width < MIN_SIZE || rect.height < MIN_SIZE) return false;
  const view = el.ownerDocument.defaultView;
  if (!view) return false;
  // Off-screen: entirely outside the document's scrollable area.
  const doc = el.ownerDocument.documentElement;
  const left = rect.left + view.scrollX;
  const top = rect.top + view.scrollY;
  if (left + rect.width <= 0 || top + rect.height <= 0) return false;
  if (left >= Math.max(doc.scrollWidth, view.innerWidth) || top >= Math.max(doc.scrollHeight, view.innerHeight)) return false;
  // Opacity multiplies down the tree: 0.1 on a wrapper hides a field even though the field is opaque.
  let opacity = 1;
  for (let node: Element | null = el; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)) {
    const style = view.getComputedStyle(node);
    opacity *= Number.parseFloat(style.opacity) || 0;
    if (opacity < MIN_OPACITY) return false;
    if (style.clipPath !== 'none' && /inset\(50%|circle\(0/.test(style.clipPath)) return false;
    if (style.clip.startsWith('rect(0') || style.clip === 'rect(0px, 0px, 0px, 0px)') return false;
  }
  return true;
}
