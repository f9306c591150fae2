// ESLint 9 flat config: ESLint's and typescript-eslint's recommended rules
// for the UI sources (src/), the browser tests and the configs; run by
// `npm test` before Vitest. Type-aware rules are left out to keep it quick.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // TypeScript checks names itself (tsc --noEmit in `npm run build`).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The browser tests and scripts: node modules that also hand functions to the page.
    files: ['e2e/**/*.mjs', '*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
