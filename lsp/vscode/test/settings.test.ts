import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
    bundleGlobs,
    DEFAULT_BUNDLE_GLOBS,
    DEFAULTS,
    documentSelector,
    expandPath,
    initializationOptions,
    needsRestart,
    toServerSettings,
} from '../src/settings';

/** A `WorkspaceConfiguration` stand-in: the keys set, undefined for the rest. */
function config(values: Record<string, unknown>): { get(key: string): unknown } {
    return { get: (key) => values[key] };
}

describe('toServerSettings', () => {
    test('an empty configuration gives the server defaults', () => {
        assert.deepEqual(toServerSettings(config({})), DEFAULTS);
    });

    test('every server key is passed through', () => {
        const s = toServerSettings(
            config({
                enable: false,
                lang: 'en',
                configFile: '/work/.replylint.toml',
                select: ['RL201', 'blame'],
                ignore: ['RL905'],
                allow: ['unfortunately'],
                severity: { RL201: 'error', cliche: 'info' },
                debounceMs: 150,
                maxDocumentChars: 5000,
                checkTimeoutMs: 3000,
                checkMemoryMb: 512,
                run: 'onType',
                minimumSeverity: 'warning',
                toneModel: true,
                requireConfig: false,
                include: ['replies/**', '*.reply.md'],
            }),
        );
        assert.deepEqual(s, {
            enable: false,
            lang: 'en',
            configFile: '/work/.replylint.toml',
            select: ['RL201', 'blame'],
            ignore: ['RL905'],
            allow: ['unfortunately'],
            severity: { RL201: 'error', cliche: 'info' },
            debounceMs: 150,
            maxDocumentChars: 5000,
            checkTimeoutMs: 3000,
            checkMemoryMb: 512,
            diagnosticMode: 'auto',
            run: 'onType',
            minimumSeverity: 'warning',
            toneModel: true,
            requireConfig: false,
            include: ['replies/**', '*.reply.md'],
        });
    });

    test('run onSave asks for push diagnostics', () => {
        const s = toServerSettings(config({ run: 'onSave' }));
        assert.equal(s.run, 'onSave');
        assert.equal(s.diagnosticMode, 'push');
        assert.deepEqual(initializationOptions(s).replylint.diagnosticMode, 'push');
    });

    test('wrong values fall back to the defaults instead of reaching the server', () => {
        const s = toServerSettings(
            config({
                enable: 'yes',
                run: 'sometimes',
                minimumSeverity: 'fatal',
                debounceMs: -5,
                maxDocumentChars: 1.5,
                checkTimeoutMs: -1,
                checkMemoryMb: 'lots',
                select: 'RL201',
                ignore: ['RL905', '', 7, 'RL905', ' RL100 '],
                severity: { RL201: 'error', RL202: 'loud', '': 'info', RL203: 3 },
                lang: '',
            }),
        );
        assert.equal(s.enable, true);
        assert.equal(s.run, 'onType');
        assert.equal(s.diagnosticMode, 'auto');
        assert.equal(s.minimumSeverity, 'info');
        assert.equal(s.debounceMs, 20);
        assert.equal(s.maxDocumentChars, 1_000_000);
        assert.equal(s.checkTimeoutMs, 20_000);
        assert.equal(s.checkMemoryMb, 1024);
        assert.deepEqual(s.select, ['RL201']);
        assert.deepEqual(s.ignore, ['RL905', 'RL100']);
        assert.deepEqual(s.severity, { RL201: 'error' });
        assert.equal(s.lang, 'auto');
    });

    test('configFile expands ${workspaceFolder} and ~', () => {
        const ctx = { workspaceFolder: '/ws', home: '/home/ana' };
        assert.equal(toServerSettings(config({ configFile: '${workspaceFolder}/cfg.toml' }), ctx).configFile, '/ws/cfg.toml');
        assert.equal(toServerSettings(config({ configFile: '~/replylint.toml' }), ctx).configFile, '/home/ana/replylint.toml');
    });

    test('initializationOptions nests the settings under "replylint"', () => {
        const s = toServerSettings(config({ lang: 'en' }));
        assert.deepEqual(Object.keys(initializationOptions(s)), ['replylint']);
        assert.equal(initializationOptions(s).replylint.lang, 'en');
    });
});

describe('expandPath', () => {
    const ctx = { workspaceFolder: '/ws', home: '/home/ana' };

    test('a relative path with a folder is taken from the workspace folder', () => {
        assert.equal(expandPath('.venv/bin/python', ctx), join('/ws', '.venv/bin/python'));
    });

    test('a bare program name is left for the PATH, an absolute path is kept', () => {
        assert.equal(expandPath('python3.12', ctx), 'python3.12');
        assert.equal(expandPath('  /usr/bin/python3 ', ctx), '/usr/bin/python3');
        assert.equal(expandPath('${userHome}/.local/bin/replylint', ctx), '/home/ana/.local/bin/replylint');
        assert.equal(expandPath('', ctx), '');
    });
});

describe('restart and document selector', () => {
    test('path, interpreter and bundleGlobs restart the server; other settings do not', () => {
        for (const key of ['replylint.path', 'replylint.interpreter', 'replylint.bundleGlobs']) {
            assert.equal(needsRestart((section) => section === key), true, key);
        }
        for (const key of ['replylint.lang', 'replylint.run', 'replylint.severity', 'replylint.enable']) {
            assert.equal(needsRestart((section) => section === key), false, key);
        }
    });

    test('the selector covers text, Markdown and HTML (saved or untitled) and one pattern per bundle glob', () => {
        const selector = documentSelector(['**/macros/*.json', '**/canned.csv']);
        for (const language of ['plaintext', 'markdown', 'html']) {
            assert.ok(selector.some((f) => 'language' in f && f.language === language && f.scheme === 'file'));
            assert.ok(selector.some((f) => 'language' in f && f.language === language && f.scheme === 'untitled'));
        }
        const patterns = selector.filter((f) => 'pattern' in f);
        assert.deepEqual(patterns, [
            { scheme: 'file', pattern: '**/macros/*.json' },
            { scheme: 'file', pattern: '**/canned.csv' },
        ]);
        assert.ok(!selector.some((f) => 'language' in f && ['json', 'yaml', 'csv'].includes(f.language)));
    });

    test('bundleGlobs: defaults when unset, none when set to []', () => {
        assert.deepEqual(bundleGlobs(undefined), [...DEFAULT_BUNDLE_GLOBS]);
        assert.deepEqual(bundleGlobs([]), []);
        assert.deepEqual(bundleGlobs(['**/x/*.json', '', 3]), ['**/x/*.json']);
    });
});
