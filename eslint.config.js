import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The layers, each a list of imports it may not make. ESLint keeps only the last matching
 * `no-restricted-imports` for a file, so every layer repeats the ones below it (see `layer`).
 */
const ELECTRON = {
  paths: [{ name: 'electron', message: 'Core and shared code run in plain Node: inject what you need from src/main/index.ts.' }],
  patterns: [{ group: ['electron/*'], message: 'Core and shared code run in plain Node.' }],
};
const NODE = { group: ['node:*'], message: 'src/shared is pure TypeScript: no Node built-ins.' };
const MAIN = { group: ['**/main/*', '**/main/**'], message: 'Only the main process imports main-process code; share types through src/shared.' };
const SERVER = { group: ['**/server/*', '**/server/**'], message: 'The console talks to a backend over the wire protocol; only the embedded demo (core/demo/) starts the reference backend.' };
const RENDERER = { group: ['**/renderer/*', '**/renderer/**'], message: 'Main and shared code never import the screens.' };
const ANALYTICS = { group: ['../analytics', '../analytics/*'], message: 'The stores keep data; analytics (sampling, trends, views) builds on them, not the other way round.' };
const layer = (...patterns) => ['error', { paths: ELECTRON.paths, patterns: [...ELECTRON.patterns, ...patterns] }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // Playwright fixtures must destructure their (empty) dependencies.
  { files: ['tests/e2e/**'], rules: { 'no-empty-pattern': 'off' } },
  // Only the composition root (src/main/index.ts and its Electron glue) imports Electron.
  { files: ['src/main/web/**', 'src/server/**'], rules: { 'no-restricted-imports': layer(RENDERER) } },
  { files: ['src/main/core/**'], rules: { 'no-restricted-imports': layer(RENDERER, SERVER) } },
  { files: ['src/main/core/demo/**'], rules: { 'no-restricted-imports': layer(RENDERER) } },
  { files: ['src/main/core/store/**'], rules: { 'no-restricted-imports': layer(RENDERER, SERVER, ANALYTICS) } },
  { files: ['src/shared/**'], rules: { 'no-restricted-imports': layer(NODE, MAIN, SERVER, RENDERER) } },
  { files: ['src/renderer/**', 'src/preload/**'], rules: { 'no-restricted-imports': ['error', { patterns: [MAIN, SERVER] }] } },
);
