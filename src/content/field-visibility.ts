/**
 * Is a field really visible to the user? (THREATS.md §A: never fill what the user cannot see —
 * hidden, zero-size, off-screen, clipped, or made transparent by *any* ancestor. Ad scripts inject
 * invisible login forms to harvest autofilled emails: Princeton WebTAP, 2017.)
 *
 * Walks from the field up through its ancestors, across open shadow-root hosts and, where the
 * parent document is readable (same-origin frames), across the <iframe> element too. A
 * cross-origin parent cannot be inspected from here (see the report in e2e/autofill.spec.ts).
 */
const MIN_SIZE = 4;
const MIN_OPACITY = 0.5;

function parentAcrossShadow(node: Element): Element | null {
  if (node.parentElement) return node.parentElement;
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

function frameElementOf(view: Window): Element | null {
  try {
    return view.frameElement; // null for a cross-origin parent (and for the top frame)
  } catch {
    return null;
  }
}

/** CSS `filter: opacity(x)` multiplies visibility the same way `opacity` does. */
function filterOpacity(filter: string): number {
  if (filter === 'none') return 1;
  let factor = 1;
  for (const m of filter.matchAll(/opacity\(\s*([\d.]+)(%?)\s*\)/g)) {
    const value = Number.parseFloat(m[1] ?? '1');
    factor *= m[2] === '%' ? value / 100 : value;
  }
  return factor;
}

function isClipped(style: CSSStyleDeclaration): boolean {
  const clipPath = style.clipPath;
  if (clipPath !== 'none' && /inset\((?:[5-9]\d|100)%|circle\(0|polygon\(0px 0px\)|inset\(\s*\d{3,}px/.test(clipPath)) return true;
  const clip = style.clip;
  if (clip.startsWith('rect(')) {
    const nums = clip.match(/-?[\d.]+/g)?.map(Number) ?? [];
    // rect(top, right, bottom, left): a visible box needs right-left and bottom-top of a few px.
    if (nums.length === 4 && ((nums[1] ?? 0) - (nums[3] ?? 0) < MIN_SIZE || (nums[2] ?? 0) - (nums[0] ?? 0) < MIN_SIZE)) return true;
  }
  return false;
}

/** Visible within one document: size, on-screen, every ancestor's opacity, visibility, clip, overflow. */
function visibleInDocument(el: Element, minOpacity: number): { ok: boolean; opacity: number } {
  const view = el.ownerDocument.defaultView;
  if (!view) return { ok: false, opacity: 0 };
  const rect = el.getBoundingClientRect();
  if (rect.width < MIN_SIZE || rect.height < MIN_SIZE) return { ok: false, opacity: 0 };
  // Off-screen: entirely outside the document's scrollable area (left: -9999px and the like).
  const doc = el.ownerDocument.documentElement;
  const left = rect.left + view.scrollX;
  const top = rect.top + view.scrollY;
  if (left + rect.width <= 0 || top + rect.height <= 0) return { ok: false, opacity: 0 };
  if (left >= Math.max(doc.scrollWidth, view.innerWidth) || top >= Math.max(doc.scrollHeight, view.innerHeight)) {
    return { ok: false, opacity: 0 };
  }
  let visibleRect = { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
  let opacity = 1;
  for (let node: Element | null = el; node; node = parentAcrossShadow(node)) {
    const style = view.getComputedStyle(node);
    if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return { ok: false, opacity: 0 };
    // Opacity multiplies down the tree: 0.1 on a wrapper hides a field even though the field is opaque.
    opacity *= (Number.parseFloat(style.opacity) || 0) * filterOpacity(style.filter);
    if (opacity < minOpacity) return { ok: false, opacity };
    if (isClipped(style)) return { ok: false, opacity };
    // An ancestor that clips its overflow hides whatever sticks out of it (a 1×1 px wrapper).
    if (node !== el && style.overflow !== 'visible' && node !== doc && node !== el.ownerDocument.body) {
      const r = node.getBoundingClientRect();
      visibleRect = {
        left: Math.max(visibleRect.left, r.left),
        top: Math.max(visibleRect.top, r.top),
        right: Math.min(visibleRect.right, r.right),
        bottom: Math.min(visibleRect.bottom, r.bottom),
      };
      if (visibleRect.right - visibleRect.left < MIN_SIZE || visibleRect.bottom - visibleRect.top < MIN_SIZE) return { ok: false, opacity };
    }
  }
  return { ok: true, opacity };
}

export function isVisibleField(el: HTMLElement): boolean {
  if (!el.isConnected) return false;
  if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) return false;
  let current: Element = el;
  let minOpacity = MIN_OPACITY;
  // Up through same-origin frames: an <iframe> at opacity 0.01 hides the fields inside it.
  for (let depth = 0; depth < 10; depth++) {
    const res = visibleInDocument(current, minOpacity);
    if (!res.ok) return false;
    minOpacity = MIN_OPACITY / Math.max(res.opacity, MIN_OPACITY);
    const view = current.ownerDocument.defaultView;
    const frame = view ? frameElementOf(view) : null;
    if (!frame) return true;
    current = frame;
  }
  return false;
}
