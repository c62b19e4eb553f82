// Lint rules, including house rules turned into lint rules: each message names what to use instead.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

const houseRules = {
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.property.name='sendMessage']",
      message: 'Send messages through src/shared/messaging.ts (request/viaRuntime/viaTabFrame): it never throws and checks the reply.',
    },
    {
      selector: "CallExpression[callee.property.name='executeScript'] Property[key.name='world'][value.value='MAIN']",
      message: 'Fill logic never runs in the page world (THREATS.md §D).',
    },
  ],
  'no-console': ['error', { allow: ['info', 'warn', 'error'] }],
};

export default tseslint.config(
  { ignores: ['dist/', 'dist-*/', 'release/', 'node_modules/', 'test-results/', 'playwright-report/', 'walkthrough-screenshots/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, chrome: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/shared/messaging.ts', 'src/**/*.test.ts'],
    rules: houseRules,
  },
  {
    files: ['src/shared/log.ts'],
    rules: { 'no-console': 'off' },
  },
);
