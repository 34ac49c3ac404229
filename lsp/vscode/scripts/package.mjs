// `npm run package`: bundle replylint and its Python dependencies into bundled/libs (for this
// machine's platform and Python, or the --target / --python-version given), then write a
// platform-specific replylint.vsix with `vsce package --target`.
//
//   npm run package                                           # this machine
//   npm run package -- --target darwin-arm64 --python-version 3.12
//
// REPLYLINT_BUNDLE_PYTHON: the Python (with pip) that runs scripts/bundle_python.py (default python3).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.REPLYLINT_BUNDLE_PYTHON || (process.platform === 'win32' ? 'python' : 'python3');
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

run(python, [path.join(root, 'scripts', 'bundle_python.py'), ...process.argv.slice(2)]);
const bundle = JSON.parse(readFileSync(path.join(root, 'bundled', 'libs', 'BUNDLE.json'), 'utf8'));

// vsce scans every packaged file for secrets; over the ~5,000 files of the bundled wheels
// (third-party packages from PyPI) that takes many minutes. Scan the extension's own files
// with vsce's scanner here, then package without its scan.
const ownFiles = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'libs', '.git'].includes(entry.name)) walk(file);
    } else if (!/\.(vsix|png|jpg|gif|svg)$/i.test(entry.name)) {
      ownFiles.push(file);
    }
  }
};
walk(root);
const { lintFiles, prettyPrintLintResult } = createRequire(import.meta.url)('@vscode/vsce/out/secretLint.js');
const scan = await lintFiles(ownFiles, true, true);
if (!scan.ok) {
  for (const result of scan.results) prettyPrintLintResult(result);
  process.exit(1);
}

const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
run(process.execPath, [vsce, 'package', '--no-dependencies', '--target', bundle.target,
    '--allow-package-all-secrets', '--allow-package-env-file',
    '--baseContentUrl', 'https://github.com/replylint/replylint/blob/HEAD/lsp/vscode',
    '--baseImagesUrl', 'https://github.com/replylint/replylint/raw/HEAD/lsp/vscode',
    '--out', 'replylint.vsix']);
process.stdout.write(`replylint.vsix: ${bundle.target}, Python ${bundle.python}, replylint ${bundle.replylint}\n`);
