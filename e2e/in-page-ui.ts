/**
 * Helpers for SecureVault's in-page UI (save bar, inline menu), which lives in a *closed* shadow
 * root: Playwright's selectors cannot see into it (nor can the page). Tests reach it the way the
 * browser's DevTools do — CDP `DOM.getDocument({pierce: true})` includes closed shadow roots — and
 * click with the real mouse (trusted events), as a user would.
 */
import type { Page } from '@playwright/test';

interface DomNode {
  nodeId: number;
  nodeType: number;
  nodeName: string;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  shadowRootType?: string;
  contentDocument?: DomNode;
}

export interface ClosedUi {
  /** number of closed shadow roots that hold SecureVault controls (data-sv) */
  count: number;
  text: string;
  /** data-sv value → nodeId, label */
  controls: { sv: string; nodeId: number; label: string }[];
}

function attr(node: DomNode, name: string): string | undefined {
  const a = node.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
}

function textOf(node: DomNode): string {
  if (node.nodeType === 3) return node.nodeValue ?? '';
  return [...(node.children ?? []), ...(node.shadowRoots ?? [])].map(textOf).join(' ');
}

function collect(node: DomNode, out: ClosedUi): void {
  for (const sr of node.shadowRoots ?? []) {
    if (sr.shadowRootType === 'closed') {
      const controls: ClosedUi['controls'] = [];
      const walk = (n: DomNode) => {
        const sv = attr(n, 'data-sv');
        if (sv) controls.push({ sv, nodeId: n.nodeId, label: textOf(n).trim() });
        for (const c of n.children ?? []) walk(c);
      };
      walk(sr);
      if (controls.length > 0) {
        out.count++;
        out.text += ` ${textOf(sr).replace(/\s+/g, ' ').trim()}`;
        out.controls.push(...controls);
      }
    }
    collect(sr, out);
  }
  for (const c of node.children ?? []) collect(c, out);
}

export async function closedUi(page: Page): Promise<ClosedUi> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    // pierce: false still lists shadow roots (closed ones too) in `shadowRoots`, not iframes.
    const out: ClosedUi = { count: 0, text: '', controls: [] };
    collect(root, out);
    return out;
  } finally {
    await cdp.detach();
  }
}

/** The centre of one control (by data-sv) of our closed UI, in page CSS pixels. */
export async function controlPoint(page: Page, sv: string): Promise<{ x: number; y: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const out: ClosedUi = { count: 0, text: '', controls: [] };
    collect(root, out);
    const c = out.controls.find((x) => x.sv === sv);
    if (!c) throw new Error(`no control ${sv}`);
    const { model } = (await cdp.send('DOM.getBoxModel', { nodeId: c.nodeId })) as { model: { content: number[] } };
    const q = model.content;
    return { x: ((q[0] ?? 0) + (q[4] ?? 0)) / 2, y: ((q[1] ?? 0) + (q[5] ?? 0)) / 2 };
  } finally {
    await cdp.detach();
  }
}

/** Click a control of our closed UI with the real mouse (a trusted event), after `dwellMs`. */
export async function clickControl(page: Page, sv: string, dwellMs = 700): Promise<void> {
  await page.waitForTimeout(dwellMs);
  const p = await controlPoint(page, sv);
  await page.mouse.click(p.x, p.y);
}
