/**
 * All <input> elements of this frame in tree order, including those inside open shadow roots
 * (nested too), each placed at its shadow host's position — so "the field before the password"
 * means what the user sees. Closed shadow roots are unreachable by design. Capped: a page with
 * thousands of inputs gets its first MAX_INPUTS looked at.
 */
export const MAX_INPUTS = 500;
const MAX_DEPTH = 20;

export function collectInputs(root: Document | ShadowRoot = document, limit = MAX_INPUTS): HTMLInputElement[] {
  const out: HTMLInputElement[] = [];
  const walk = (r: Document | ShadowRoot | Element, depth: number): void => {
    for (const el of r.querySelectorAll('*')) {
      if (out.length >= limit) return;
      if (el instanceof HTMLInputElement) out.push(el);
      if (el.shadowRoot && depth < MAX_DEPTH) walk(el.shadowRoot, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}
