import { defineConfig } from '@playwright/test';

// One Chromium per spec file (launched in each file's beforeAll), one worker: the machines that
// run this have 2 cores, and each browser runs Argon2id at 64 MiB.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
});
