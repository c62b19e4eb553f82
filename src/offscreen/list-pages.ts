/**
 * The popup's list in pages, so its first screen does not wait for 10 000 overviews (≈ 2 MB of
 * JSON across two message hops) to be sorted, cloned twice and parsed. The first page takes a
 * sorted snapshot of the list and names it; the popup then asks for the rest of *that* snapshot,
 * page by page, so every page comes from one consistent list (an edit in between shows at the
 * next load, as with a single list request). A snapshot holds references to overviews the session
 * already holds, is dropped once its last page was served, and dies with the realm on lock.
 *
 * Order: favourites first, then by title (localeCompare), then id, a total order, so the first page can be *selected*
 * (one pass over the items, about one comparison each) instead of sorting 10 000 items before the
 * first screen; the full sort runs when the second page is asked for, and its head is that page.
 */
import { randomBytes, toBase64Url } from '../shared/buffer-io';
import type { ItemList, ItemOverview, ItemPage } from '../shared/messages';
import { VaultError } from '../shared/result';

interface Snapshot extends ItemList {
  id: string;
  sorted: boolean;
}

export function compareItems(a: ItemOverview, b: ItemOverview): number {
  return Number(b.favorite === true) - Number(a.favorite === true) || a.title.localeCompare(b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The `k` first items in compareItems order, without sorting all of them. */
export function firstInOrder(items: readonly ItemOverview[], k: number): ItemOverview[] {
  const best: ItemOverview[] = [];
  for (const item of items) {
    if (best.length === k && compareItems(item, best[k - 1]!) >= 0) continue;
    let at = best.length;
    while (at > 0 && compareItems(item, best[at - 1]!) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

/** A few popups may stream at once (the toolbar popup and a popup tab); the oldest goes first. */
export const MAX_SNAPSHOTS = 4;
const snapshots = new Map<string, Snapshot>();

/** @param list the vault's overviews, in any order */
export function listPage(list: () => ItemList, request: { snapshot?: string; offset: number; limit: number }): ItemPage {
  let snap: Snapshot | undefined;
  let items: ItemOverview[];
  const end = request.offset + request.limit;
  if (request.snapshot === undefined) {
    if (request.offset !== 0) throw new VaultError('bad_message');
    const all = list();
    snap = { id: toBase64Url(randomBytes(16)), ...all, items: [...all.items], sorted: false };
    snapshots.set(snap.id, snap);
    for (const id of snapshots.keys()) if (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(id);
    items = firstInOrder(snap.items, request.limit);
  } else {
    snap = snapshots.get(request.snapshot);
    if (!snap) throw new VaultError('expired');
    if (!snap.sorted) {
      snap.items.sort(compareItems);
      snap.sorted = true;
    }
    items = snap.items.slice(request.offset, end);
  }
  const page: ItemPage = {
    snapshot: snap.id,
    total: snap.items.length,
    items,
    unreadable: snap.unreadable,
    publicKeyRestored: snap.publicKeyRestored,
  };
  if (end >= snap.items.length) snapshots.delete(snap.id);
  return page;
}

export function dropSnapshots(): void {
  snapshots.clear();
}

export function snapshotCount(): number {
  return snapshots.size;
}
