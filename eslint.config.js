// Type-aware lint. The core (beads, ledger, policy) may not reach the terminal, HTTP or processes.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// The roles, lowest first: a subsystem may import from those before it, never from those after it.
const roleLayers = ['comms', 'budget', 'gateway', 'polecat', 'witness', 'refinery', 'convoy', 'deacon'];
const shells = ['cli', 'daemon', 'dashboard', 'mcp', 'mayor', 'demo', 'doctor'];
const layerZones = [
  ...roleLayers.map((layer, i) => ({
    target: `./src/roles/${layer}`,
    from: [...roleLayers.slice(i + 1).map((up) => `./src/roles/${up}`), ...shells.map((s) => `./src/${s}`)],
    message: `roles/${layer} sits below this module: move the shared part down instead of importing up.`,
  })),
  {
    target: [
      './src/beads',
      './src/ledger',
      './src/policy',
      './src/formulas',
      './src/git',
      './src/sandbox',
      './src/agents',
      './src/store',
    ],
    from: ['./src/roles', ...shells.map((s) => `./src/${s}`)],
    message: 'The lower layers never import the roles or the shells above them.',
  },
];

const edgeModules = [
  'node:child_process',
  'node:http',
  'node:https',
  'node:readline',
  'execa',
  'hono',
  'commander',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'eslint.config.js', 'scripts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSEnumDeclaration',
          message: 'Use `as const` objects and a derived union instead of enum.',
        },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: ['src/beads/**', 'src/ledger/**', 'src/policy/**', 'src/formulas/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: edgeModules.map((name) => ({
            name,
            message: 'The core stays free of terminal, HTTP and process I/O.',
          })),
        },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/require-await': 'off' },
  },
);
