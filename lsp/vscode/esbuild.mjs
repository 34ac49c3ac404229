// Bundles the extension and its runtime dependency (vscode-languageclient) into
// out/extension.js, so the .vsix needs no node_modules.
import { build } from 'esbuild';

await build({
    entryPoints: ['src/extension.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    outfile: 'out/extension.js',
    sourcemap: false,
    // `npm run package` minifies; names are kept so stack traces in the output stay readable.
    minify: process.argv.includes('--minify'),
    keepNames: true,
    logLevel: 'warning',
});
