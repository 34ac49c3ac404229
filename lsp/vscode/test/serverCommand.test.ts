import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
    bundleFallback,
    checkServerCommand,
    findServerCommand,
    IMPORT_CHECK,
    installCommand,
    parseBundle,
    type Probe,
    type ProbeResult,
    pythonFromShebang,
    type ServerCommand,
    serverCommandFor,
    settingFor,
    shellQuote,
} from '../src/serverCommand';

const CHECK_PY3 = `/usr/bin/python3 -c ${IMPORT_CHECK}`;

const never = (): Promise<string | undefined> => {
    throw new Error('the Python extension must not be asked');
};

describe('findServerCommand: discovery order', () => {
    test('replylint.path wins over everything: [path, "lsp"]', async () => {
        const cmd = await findServerCommand({
            path: '/opt/bin/replylint',
            interpreter: '/usr/bin/python3.12',
            pythonExtensionInterpreter: never,
        });
        assert.deepEqual(cmd, { command: '/opt/bin/replylint', args: ['lsp'], kind: 'executable', source: 'replylint.path' });
    });

    test('then replylint.interpreter: [python, -m, replylint, lsp]', async () => {
        const cmd = await findServerCommand({ path: '  ', interpreter: '/venv/bin/python', pythonExtensionInterpreter: never });
        assert.deepEqual(cmd, {
            command: '/venv/bin/python',
            args: ['-m', 'replylint', 'lsp'],
            kind: 'python',
            source: 'replylint.interpreter',
        });
    });

    test("then the Python extension's selected interpreter", async () => {
        const cmd = await findServerCommand({
            path: '',
            interpreter: '',
            pythonExtensionInterpreter: () => Promise.resolve('/proj/.venv/bin/python'),
        });
        assert.equal(cmd.command, '/proj/.venv/bin/python');
        assert.equal(cmd.source, 'pythonExtension');
        assert.deepEqual(cmd.args, ['-m', 'replylint', 'lsp']);
    });

    test('then python3, also when the Python extension has no interpreter or fails', async () => {
        for (const ext of [
            undefined,
            () => Promise.resolve(undefined),
            () => Promise.resolve(''),
            () => Promise.reject(new Error('boom')),
        ]) {
            const cmd = await findServerCommand({ path: '', interpreter: '', pythonExtensionInterpreter: ext, defaultPython: 'python3' });
            assert.deepEqual(cmd, { command: 'python3', args: ['-m', 'replylint', 'lsp'], kind: 'python', source: 'default' });
        }
    });
});

/** A probe answering from a table keyed by the command line; records the calls. */
function fakeProbe(answers: Record<string, Partial<ProbeResult>>): Probe & { calls: string[] } {
    const calls: string[] = [];
    const probe = (command: string, args: string[]): Promise<ProbeResult> => {
        const key = [command, ...args].join(' ');
        calls.push(key);
        const answer = answers[key];
        if (!answer) {
            throw new Error(`unexpected probe: ${key}`);
        }
        return Promise.resolve({ code: 0, stdout: '', stderr: '', ...answer });
    };
    return Object.assign(probe, { calls });
}

const python3: ServerCommand = { command: '/usr/bin/python3', args: ['-m', 'replylint', 'lsp'], kind: 'python', source: 'default' };
const replylintPath: ServerCommand = { command: '/opt/venv/bin/replylint', args: ['lsp'], kind: 'executable', source: 'replylint.path' };

describe('checkServerCommand', () => {
    test('a Python that imports the server is fine', async () => {
        const probe = fakeProbe({ [CHECK_PY3]: { code: 0, stdout: '/usr/bin/python3\n' } });
        assert.deepEqual(await checkServerCommand(python3, probe), { ok: true });
        assert.deepEqual(probe.calls, [CHECK_PY3]);
        assert.match(IMPORT_CHECK, /import replylint_lsp, pygls/);
    });

    test('a Python without replylint gets one message with the exact pip command', async () => {
        const probe = fakeProbe({
            [CHECK_PY3]: {
                code: 1,
                stdout: '/usr/bin/python3\n',
                stderr: "ModuleNotFoundError: No module named 'replylint_lsp'",
            },
        });
        const result = await checkServerCommand(python3, probe);
        assert.equal(result.ok, false);
        assert.ok(!result.ok);
        assert.equal(result.problem, 'notInstalled');
        assert.equal(
            result.message,
            'replylint is not installed for /usr/bin/python3. Install it with: /usr/bin/python3 -m pip install "replylint[lsp]"',
        );
        assert.equal(result.fix, '/usr/bin/python3 -m pip install "replylint[lsp]"');
        assert.match(result.detail, /No module named 'replylint_lsp'/);
    });

    test('a Python that does not exist says so and points at replylint.interpreter', async () => {
        const cmd: ServerCommand = { ...python3, command: '/nope/python', source: 'replylint.interpreter' };
        const result = await checkServerCommand(cmd, fakeProbe({ [`/nope/python -c ${IMPORT_CHECK}`]: { code: null, spawnError: 'ENOENT' } }));
        assert.ok(!result.ok);
        assert.equal(result.problem, 'notFound');
        assert.match(result.message, /^The Python interpreter \/nope\/python was not found\. Set replylint\.interpreter/);
        assert.equal(result.fix, undefined);
        assert.equal(settingFor(cmd), 'replylint.interpreter');
    });

    test('replylint.path: `lsp --help` and a start with closed input both pass', async () => {
        const probe = fakeProbe({ '/opt/venv/bin/replylint lsp --help': { code: 0 }, '/opt/venv/bin/replylint lsp': { code: 0 } });
        assert.deepEqual(await checkServerCommand(replylintPath, probe), { ok: true });
        assert.deepEqual(probe.calls, ['/opt/venv/bin/replylint lsp --help', '/opt/venv/bin/replylint lsp']);
    });

    test('replylint.path without pygls: install command for the Python of its #! line', async () => {
        const probe = fakeProbe({
            '/opt/venv/bin/replylint lsp --help': { code: 0 },
            '/opt/venv/bin/replylint lsp': { code: 2, stderr: "the language server needs pygls (pygls is not installed): pip install 'replylint[lsp]'" },
        });
        const result = await checkServerCommand(replylintPath, probe, () => '#!/opt/venv/bin/python3.12');
        assert.ok(!result.ok);
        assert.equal(result.problem, 'notInstalled');
        assert.equal(result.fix, '/opt/venv/bin/python3.12 -m pip install "replylint[lsp]"');
        assert.ok(result.message.endsWith('Install it with: /opt/venv/bin/python3.12 -m pip install "replylint[lsp]"'));
        assert.equal(settingFor(replylintPath), 'replylint.path');
    });

    test('replylint.path that is missing, or not replylint, is reported without starting it', async () => {
        const missing = fakeProbe({ '/opt/venv/bin/replylint lsp --help': { code: null, spawnError: 'ENOENT' } });
        const r1 = await checkServerCommand(replylintPath, missing);
        assert.ok(!r1.ok);
        assert.equal(r1.problem, 'notFound');
        assert.deepEqual(missing.calls, ['/opt/venv/bin/replylint lsp --help']);

        const other = fakeProbe({ '/opt/venv/bin/replylint lsp --help': { code: 1, stderr: 'unknown command' } });
        const r2 = await checkServerCommand(replylintPath, other);
        assert.ok(!r2.ok);
        assert.equal(r2.problem, 'broken');
        assert.match(r2.message, /lsp --help failed \(exit code 1\)/);
        assert.equal(r2.fix, 'pip install "replylint[lsp]"');
    });
});

describe('not-installed message names the real interpreter', () => {
    test('a bare python3 is reported by its absolute path from sys.executable', async () => {
        const cmd: ServerCommand = { ...python3, command: 'python3' };
        const result = await checkServerCommand(
            cmd,
            fakeProbe({ [`python3 -c ${IMPORT_CHECK}`]: { code: 1, stdout: '/usr/local/bin/python3\n', stderr: 'ModuleNotFoundError' } }),
        );
        assert.ok(!result.ok);
        assert.equal(
            result.message,
            'replylint is not installed for /usr/local/bin/python3. Install it with: /usr/local/bin/python3 -m pip install "replylint[lsp]"',
        );
    });

    test('without sys.executable the configured name is used', async () => {
        const cmd: ServerCommand = { ...python3, command: 'python3' };
        const result = await checkServerCommand(cmd, fakeProbe({ [`python3 -c ${IMPORT_CHECK}`]: { code: 1, stderr: 'SyntaxError' } }));
        assert.ok(!result.ok);
        assert.equal(result.fix, 'python3 -m pip install "replylint[lsp]"');
    });
});

describe('install command and quoting', () => {
    test('paths with spaces are quoted; unknown Python falls back to pip', () => {
        assert.equal(installCommand('/Users/Ana Lee/venv/bin/python'), '"/Users/Ana Lee/venv/bin/python" -m pip install "replylint[lsp]"');
        assert.equal(installCommand(undefined), 'pip install "replylint[lsp]"');
        assert.equal(shellQuote('C:\\Python312\\python.exe'), 'C:\\Python312\\python.exe');
    });

    test('the Python of a #! line: direct, through env, or none', () => {
        assert.equal(pythonFromShebang('#!/home/a/.local/pipx/venvs/replylint/bin/python'), '/home/a/.local/pipx/venvs/replylint/bin/python');
        assert.equal(pythonFromShebang('#!/usr/bin/env python3'), 'python3');
        assert.equal(pythonFromShebang('#!/usr/bin/env -S python3.11'), 'python3.11');
        assert.equal(pythonFromShebang('#!/bin/sh'), undefined);
        assert.equal(pythonFromShebang('MZ\u0090'), undefined);
        assert.equal(pythonFromShebang(undefined), undefined);
    });
});

describe('not-found messages', () => {
    test('the default python3 missing asks for Python and replylint', async () => {
        const cmd: ServerCommand = { ...python3, command: 'python3' };
        const result = await checkServerCommand(cmd, fakeProbe({ [`python3 -c ${IMPORT_CHECK}`]: { code: null, spawnError: 'ENOENT' } }));
        assert.ok(!result.ok);
        assert.equal(result.problem, 'notFound');
        assert.match(result.message, /^Python \(python3\) was not found\. Install Python 3 and replylint/);
        assert.match(result.detail, /ENOENT/);
    });

    test('a missing replylint.path names the setting', async () => {
        const result = await checkServerCommand(replylintPath, fakeProbe({ '/opt/venv/bin/replylint lsp --help': { code: null, spawnError: 'ENOENT' } }));
        assert.ok(!result.ok);
        assert.match(result.message, /^replylint\.path \/opt\/venv\/bin\/replylint was not found\. Set replylint\.path/);
    });
});

describe('the replylint bundled in the extension (importStrategy)', () => {
    const bundle = parseBundle(
        JSON.stringify({ target: 'linux-x64', python: '3.11', replylint: '0.1.0' }),
        '/ext/bundled/tool/replylint_server.py',
    );
    const probeJson = (info: Record<string, unknown>): Probe => () =>
        Promise.resolve({ code: 0, stdout: JSON.stringify(info) + '\n', stderr: '' });

    test('BUNDLE.json is read; a missing or malformed one means no bundle', () => {
        assert.deepEqual(bundle, {
            script: '/ext/bundled/tool/replylint_server.py',
            python: '3.11',
            target: 'linux-x64',
            replylint: '0.1.0',
        });
        assert.equal(parseBundle(undefined, '/x'), undefined);
        assert.equal(parseBundle('{"python": 311}', '/x'), undefined);
        assert.equal(parseBundle('not json', '/x'), undefined);
    });

    test('with a bundle, the interpreter runs the launcher with the strategy in its environment', async () => {
        const cmd = await findServerCommand({ path: '', interpreter: '', defaultPython: 'python3', bundle });
        assert.deepEqual(cmd, {
            command: 'python3',
            args: ['/ext/bundled/tool/replylint_server.py'],
            kind: 'bundled',
            source: 'default',
            env: { REPLYLINT_IMPORT_STRATEGY: 'useBundled' },
        });
        const fromEnv = await findServerCommand({
            path: '',
            interpreter: '/venv/bin/python',
            bundle,
            importStrategy: 'fromEnvironment',
        });
        assert.deepEqual(fromEnv.env, { REPLYLINT_IMPORT_STRATEGY: 'fromEnvironment' });
        assert.equal(fromEnv.source, 'replylint.interpreter');
        // replylint.path still wins; without a bundle the old `-m replylint lsp`.
        assert.equal((await findServerCommand({ path: '/bin/replylint', interpreter: '', bundle })).kind, 'executable');
        assert.deepEqual((await findServerCommand({ path: '', interpreter: 'py' })).args, ['-m', 'replylint', 'lsp']);
    });

    test('the probe passes the strategy and reports where replylint comes from', async () => {
        const cmd = serverCommandFor('/usr/bin/python3', 'default', bundle, 'useBundled');
        let seenEnv: Record<string, string> | undefined;
        const probe: Probe = (_c, args, _t, env) => {
            seenEnv = env;
            assert.deepEqual(args, ['/ext/bundled/tool/replylint_server.py', '--probe']);
            return probeJson({ python: '/usr/bin/python3', version: '3.11', replylint: '0.1.0', bundled: true })(
                _c,
                args,
                _t,
            );
        };
        const r = await checkServerCommand(cmd, probe, undefined, bundle);
        assert.deepEqual(seenEnv, { REPLYLINT_IMPORT_STRATEGY: 'useBundled' });
        assert.ok(r.ok);
        assert.match(r.detail ?? '', /replylint 0\.1\.0 bundled with the extension, Python 3\.11/);
    });

    test('a Python of another version is told which one to select, or how to use its own replylint', async () => {
        const cmd = serverCommandFor('/usr/bin/python3', 'default', bundle);
        const r = await checkServerCommand(
            cmd,
            probeJson({ python: '/usr/bin/python3.12', version: '3.12', error: "ModuleNotFoundError: No module named 'ahocorasick'" }),
            undefined,
            bundle,
        );
        assert.ok(!r.ok);
        assert.equal(r.problem, 'wrongPython');
        assert.match(r.message, /bundled in this extension is for Python 3\.11; \/usr\/bin\/python3\.12 is Python 3\.12/);
        assert.match(r.message, /replylint\.importStrategy to fromEnvironment/);
        assert.equal(r.fix, '/usr/bin/python3.12 -m pip install "replylint[lsp]"');
        // Found by default: python3.11 from the PATH is tried next; a configured interpreter is not replaced.
        assert.deepEqual(bundleFallback(cmd, bundle)?.command, process.platform === 'win32' ? 'py' : 'python3.11');
        assert.equal(bundleFallback(serverCommandFor('/v/python', 'replylint.interpreter', bundle), bundle), undefined);
    });

    test('a failing launcher is reported as broken, not as a missing install', async () => {
        const cmd = serverCommandFor('python3', 'default', bundle);
        const crashed: Probe = () => Promise.resolve({ code: 1, stdout: '', stderr: 'Traceback ...' });
        const r = await checkServerCommand(cmd, crashed, undefined, bundle);
        assert.ok(!r.ok);
        assert.equal(r.problem, 'broken');
        const sameVersion = await checkServerCommand(
            cmd,
            probeJson({ python: '/usr/bin/python3', version: '3.11', error: 'ImportError: bad wheel' }),
            undefined,
            bundle,
        );
        assert.ok(!sameVersion.ok);
        assert.equal(sameVersion.problem, 'broken');
        assert.match(sameVersion.message, /did not load in \/usr\/bin\/python3: ImportError: bad wheel/);
    });
});
