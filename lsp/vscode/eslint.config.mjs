import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
    { ignores: ['out/', 'node_modules/', '*.vsix', 'bundled/libs/'] },
    js.configs.recommended,
    {
        files: ['**/*.ts'],
        extends: [tseslint.configs.strictTypeChecked],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
            eqeqeq: 'error',
            'no-console': 'error',
        },
    },
    {
        files: ['test/**/*.ts'],
        rules: {
            // node:test's describe() and test() return promises the runner tracks.
            '@typescript-eslint/no-floating-promises': [
                'error',
                { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'test'] }] },
            ],
        },
    },
    {
        files: ['**/*.mjs'],
        languageOptions: { globals: { process: 'readonly' } },
    },
);
