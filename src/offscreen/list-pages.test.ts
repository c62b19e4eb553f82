import { beforeEach, describe, expect, test } from 'vitest';
import type { ItemList, ItemOverview } from '../shared/messages';
import { VaultError } from '../shared/result';
import { MAX_SNAPSHOTS, compareItems, dropSnapshots, firstInOrder, listPage, snapshotCount } from './list-pages';

const item = (n: number): ItemOverview => ({
  id: `item_${String(n).padStart(8, '0')}`,
  title: `Title ${String(n).padStart(5, '0')}`,
  url: `https://site${n}.example/`,
  username: `user${n}`,
  matchMode: 'exact',
  allowInsecureFill: false,
  createdAt: n,
  updatedAt: n,
});

let vault: ItemOverview[] = [];
const list = (): ItemList => ({ items: [...vault], unreadable: 2, publicKeyRestored: false });
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof VaultError ? e.code : 'other';
  }
  return null;
};

beforeEach(() => {
  dropSnapshots();
  vault = Array.from({ length: 1005 }, (_, i) => item(i));
});

describe('listPage', () => {
  test('pages of one snapshot add up to the whole list, in order, and the snapshot is dropped after its last page', () => {
    const first = listPage(list, { offset: 0, limit: 40 });
    expect(first).toMatchObject({ total: 1005, unreadable: 2, publicKeyRestored: false });
    expect(first.items).toHaveLength(40);
    const all = [...first.items];
    while (all.length < first.total) {
      const page = listPage(list, { snapshot: first.snapshot, offset: all.length, limit: 300 });
      expect(page.snapshot).toBe(first.snapshot);
      all.push(...page.items);
    }
    expect(all).toEqual(vault);
    expect(snapshotCount()).toBe(0);
    expect(code(() => listPage(list, { snapshot: first.snapshot, offset: 40, limit: 300 }))).toBe('expired');
  });

  test('any input order: by title, then id (equal titles); the selected first page is the head of the full sort', () => {
    // Shuffled (seeded), with many equal titles and titles that differ only by case and accents.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const titles = ['Bank', 'bank', 'Bänk', 'Ålpha', 'alpha', 'Zulu', '', '10 things', '9 lives'];
    vault = Array.from({ length: 1200 }, (_, i) => ({ ...item(i), title: titles[Math.floor(rnd() * titles.length)]! }));
    for (let i = vault.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [vault[i], vault[j]] = [vault[j]!, vault[i]!];
    }
    const expected = [...vault].sort(compareItems);
    for (const k of [1, 40, 1199, 1200, 5000]) expect(firstInOrder(vault, k)).toEqual(expected.slice(0, k));
    const first = listPage(list, { offset: 0, limit: 40 });
    const all = [...first.items];
    while (all.length < first.total) all.push(...listPage(list, { snapshot: first.snapshot, offset: all.length, limit: 333 }).items);
    expect(all).toEqual(expected);
    expect(new Set(all.map((i) => i.id)).size).toBe(1200);
  });

  test('later pages come from the snapshot even if the vault changed meanwhile', () => {
    const first = listPage(list, { offset: 0, limit: 5 });
    vault.splice(0, 10); // ten items deleted after the first page
    vault.push(item(5000));
    const rest = listPage(list, { snapshot: first.snapshot, offset: 5, limit: 5000 });
    expect(rest.total).toBe(1005);
    expect([...first.items, ...rest.items].map((i) => i.id)).toEqual(Array.from({ length: 1005 }, (_, i) => item(i).id));
  });

  test('a whole list in the first page keeps no snapshot; an empty vault is one empty page', () => {
    vault = vault.slice(0, 3);
    expect(listPage(list, { offset: 0, limit: 40 }).items).toHaveLength(3);
    expect(snapshotCount()).toBe(0);
    vault = [];
    expect(listPage(list, { offset: 0, limit: 40 })).toMatchObject({ total: 0, items: [] });
    expect(snapshotCount()).toBe(0);
  });

  test('unknown snapshot → expired; a first page must start at 0', () => {
    expect(code(() => listPage(list, { snapshot: 'nosuchsnapshot', offset: 40, limit: 10 }))).toBe('expired');
    expect(code(() => listPage(list, { offset: 40, limit: 10 }))).toBe('bad_message');
  });

  test(`at most ${MAX_SNAPSHOTS} snapshots are kept (oldest dropped first), and dropSnapshots forgets them all`, () => {
    const ids = Array.from({ length: MAX_SNAPSHOTS + 1 }, () => listPage(list, { offset: 0, limit: 1 }).snapshot);
    expect(snapshotCount()).toBe(MAX_SNAPSHOTS);
    expect(code(() => listPage(list, { snapshot: ids[0]!, offset: 1, limit: 1 }))).toBe('expired');
    expect(listPage(list, { snapshot: ids[1]!, offset: 1, limit: 1 }).items).toEqual([vault[1]]);
    dropSnapshots();
    expect(snapshotCount()).toBe(0);
    expect(code(() => listPage(list, { snapshot: ids[2]!, offset: 1, limit: 1 }))).toBe('expired');
  });
});

describe('favourites', () => {
  test('come first, in the first page and in the rest, each group by title', () => {
    const all = Array.from({ length: 30 }, (_, n) => ({ ...item(n), ...(n % 7 === 3 ? { favorite: true } : {}) }));
    const sorted = [...all].sort(compareItems);
    const favourites = all.filter((i) => i.favorite === true).length;
    expect(sorted.slice(0, favourites).every((i) => i.favorite === true)).toBe(true);
    expect(sorted.slice(favourites).some((i) => i.favorite === true)).toBe(false);
    expect(firstInOrder(all, 5)).toEqual(sorted.slice(0, 5));
  });
});
