/**
 * Lint = typescript-eslint's recommended rules + the layering of docs/architecture.md (a file's path says
 * where it may run) as one local rule, `layers/imports`: its table of layers, and what each may
 * import, is in eslint-rules/layers.js.
 */
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import layers from './eslint-rules/layers.js';

const TS = ['**/*.ts', '**/*.tsx'];

export default defineConfig([
  // resources/demo-cameras holds MPEG-TS video segments (*.ts), not TypeScript.
  globalIgnores(['dist/', 'node_modules/', '.cache/', 'release/', '.data/', 'snapshots/', 'resources/demo-cameras/', '.stryker-tmp/', 'reports/']),

  {
    files: TS,
    extends: [tseslint.configs.recommended],
    rules: {
      // `_`-prefixed names are deliberately unused (callback positions, destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Every spread element is one call argument: past ~100k of them the call overflows the stack
      // (a gateway's snapshot, a cache restart). Loops, concat, maxOf/minOf (native-bridge/extremes.ts) instead.
      'no-restricted-syntax': [
        'error',
        ...['CallExpression[callee.property.name=/^(push|unshift|splice)$/] > SpreadElement', "CallExpression[callee.object.name='Math'][callee.property.name=/^(max|min|hypot)$/] > SpreadElement", 'CallExpression[callee.property.name=/^(fromCharCode|fromCodePoint)$/] > SpreadElement'].map((selector) => ({
          selector,
          message: 'A spread array becomes one argument per element and overflows the stack when large: loop, concat, or use maxOf/minOf from native-bridge/extremes.ts.',
        })),
      ],
    },
  },

  { files: TS, plugins: { layers }, rules: { 'layers/imports': 'error' } },
]);
