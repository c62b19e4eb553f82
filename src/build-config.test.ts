/**
 * The build config: crxjs (which empties dist/ whenever a config is resolved) only in builds. A
 * `serve` resolution — what svelte-check's preprocessing does — once deleted dist/ under a
 * running e2e suite or benchmark.
 */
import { expect, test } from 'vitest';
import type { ConfigEnv, PluginOption, UserConfig } from 'vite';
import config from '../vite.config';

const resolve = config as unknown as (env: ConfigEnv) => UserConfig;
const names = (plugins: PluginOption[] | undefined): string[] =>
  (plugins ?? []).flat(Infinity as 1).flatMap((p) => (p && typeof p === 'object' && 'name' in p ? [String(p.name)] : []));

test('crxjs is in the build, and not in a config resolved for anything else', () => {
  const build = names(resolve({ command: 'build', mode: 'production' }).plugins);
  const serve = names(resolve({ command: 'serve', mode: 'development' }).plugins);
  expect(build.some((n) => n.startsWith('crx:'))).toBe(true);
  expect(serve.some((n) => n.startsWith('crx:'))).toBe(false);
  expect(serve.some((n) => n.includes('svelte'))).toBe(true);
});
