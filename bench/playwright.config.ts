import { defineConfig } from '@playwright/test';

// The benchmark runs as one long Playwright test so it can share the e2e helpers.
export default defineConfig({
  testDir: '.',
  testMatch: 'bench.spec.ts',
  workers: 1,
  timeout: 15 * 60_000,
  reporter: [['list']],
  outputDir: '../test-results/bench',
});
