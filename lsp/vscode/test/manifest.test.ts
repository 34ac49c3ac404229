import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { DEFAULT_BUNDLE_GLOBS, DEFAULTS } from '../src/settings';

// Compiled to out/test/: the extension folder is two levels up.
const root = join(__dirname, '..', '..');

interface Manifest {
    activationEvents: string[];
    contributes: {
        commands: { command: string; title: string; category: string }[];
        configuration: { properties: Record<string, { default?: unknown; description?: string; markdownDescription?: string }> };
    };
    engines: { vscode: string };
    devDependencies: Record<string, string>;
    dependencies: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('package.json', () => {
    test('every setting has a description and a default; server settings default as the server does', () => {
        for (const [key, prop] of Object.entries(properties)) {
            assert.ok(prop.description ?? prop.markdownDescription, `${key} has no description`);
            assert.ok('default' in prop, `${key} has no default`);
        }
        for (const [key, value] of Object.entries(DEFAULTS)) {
            if (key === 'diagnosticMode') {
                continue; // derived from run, not a VS Code setting
            }
            assert.deepEqual(properties[`replylint.${key}`]?.default, value, key);
        }
        assert.deepEqual(properties['replylint.bundleGlobs']?.default, DEFAULT_BUNDLE_GLOBS);
        assert.equal(properties['replylint.importStrategy']?.default, 'useBundled');
        for (const key of ['path', 'interpreter', 'importStrategy', 'trace.server']) {
            assert.ok(`replylint.${key}` in properties, key);
        }
    });

    test('palette commands are in category replylint and never reuse a server command id', () => {
        const serverCommands = ['fixAll', 'applySuggestion', 'disableRuleOnLine', 'disableRuleInWorkspace', 'ignoreFinding', 'allowPhrase', 'explainRule'].map(
            (c) => `replylint.${c}`,
        );
        const actions = join(root, '..', 'server', 'replylint_lsp', 'command_ids.py');
        if (existsSync(actions)) {
            for (const id of readFileSync(actions, 'utf8').match(/"replylint\.\w+"/g) ?? []) {
                serverCommands.push(JSON.parse(id) as string);
            }
        }
        const ids = manifest.contributes.commands.map((c) => c.command);
        serverCommands.push('replylint.lintAnyway', 'replylint.replyScores');
        assert.deepEqual(ids.sort(), [
            'replylint.explainRuleUnderCursor',
            'replylint.fixAllCommand',
            'replylint.lintFileAnyway',
            'replylint.restart',
            'replylint.showOutput',
        ]);
        for (const c of manifest.contributes.commands) {
            assert.equal(c.category, 'replylint');
            assert.ok(!serverCommands.includes(c.command), `${c.command} is a server command id`);
        }
    });

    test('activation and pinned versions', () => {
        for (const language of ['plaintext', 'markdown', 'html', 'json', 'yaml', 'csv']) {
            assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), language);
        }
        assert.ok(manifest.activationEvents.includes('workspaceContains:**/.replylint.toml'));
        for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
            assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is not pinned`);
        }
        // vsce refuses @types/vscode newer than engines.vscode.
        const engine = /^\^(\d+)\.(\d+)\./.exec(manifest.engines.vscode);
        const types = /^(\d+)\.(\d+)\./.exec(manifest.devDependencies['@types/vscode'] ?? '');
        assert.ok(engine && types);
        assert.ok(Number(types[1]) * 1000 + Number(types[2]) <= Number(engine[1]) * 1000 + Number(engine[2]));
    });
});
