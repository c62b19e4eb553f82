/**
 * The one `chrome` stub for unit tests: just enough of runtime and storage, in memory. Tests that
 * need a browser behaviour beyond this belong in e2e/ with real Chromium.
 */
export const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';

function memoryArea() {
  let data: Record<string, unknown> = {};
  return {
    async get(key?: string | string[] | null) {
      if (key === null || key === undefined) return structuredClone(data);
      const keys = Array.isArray(key) ? key : [key];
      return Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    async set(items: Record<string, unknown>) {
      data = { ...data, ...structuredClone(items) };
    },
    async remove(key: string | string[]) {
      for (const k of Array.isArray(key) ? key : [key]) delete data[k];
    },
    async clear() {
      data = {};
    },
  };
}

export function installChromeStub(): void {
  const stub = {
    runtime: {
      id: EXTENSION_ID,
      getURL: (path: string) => `chrome-extension://${EXTENSION_ID}/${path.replace(/^\//, '')}`,
    },
    storage: { local: memoryArea(), session: memoryArea() },
  };
  (globalThis as unknown as { chrome: unknown }).chrome = stub;
}
