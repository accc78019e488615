import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noElectron = {
  paths: [{ name: 'electron', message: 'Core and shared code run in plain Node: inject what you need from src/main/index.ts.' }],
  patterns: [{ group: ['electron/*'], message: 'Core and shared code run in plain Node.' }],
};

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
  // The layers: the core and the contract never import Electron; only the composition root does.
  { files: ['src/main/core/**', 'src/main/web/**', 'src/shared/**', 'src/server/**'], rules: { 'no-restricted-imports': ['error', noElectron] } },
  // The shared contract is pure TypeScript: no Node built-ins, no DOM.
  {
    files: ['src/shared/**'],
    rules: { 'no-restricted-imports': ['error', { ...noElectron, patterns: [...noElectron.patterns, { group: ['node:*'], message: 'src/shared is pure TypeScript.' }] }] },
  },
);
