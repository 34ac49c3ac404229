import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { readFirstLine, runProbe } from '../src/process';

const node = process.execPath;

describe('runProbe (real processes)', () => {
    test('collects exit code and output; input is closed', async () => {
        const script = "process.stdin.resume(); process.stdin.on('end', () => { console.log('out'); console.error('err'); process.exit(3); });";
        const r = await runProbe(node, ['-e', script], 10_000);
        assert.equal(r.code, 3);
        assert.equal(r.stdout.trim(), 'out');
        assert.equal(r.stderr.trim(), 'err');
        assert.equal(r.spawnError, undefined);
        assert.equal(r.timedOut, false);
    });

    test('a missing program is a spawn error, not an exception', async () => {
        const r = await runProbe('/nonexistent/python3', ['-c', 'pass'], 10_000);
        assert.equal(r.spawnError, 'ENOENT');
        assert.equal(r.code, null);
    });

    test('a program that hangs is killed at the time limit', async () => {
        const r = await runProbe(node, ['-e', 'setTimeout(() => {}, 60000)'], 300);
        assert.equal(r.timedOut, true);
        assert.notEqual(r.code, 0);
    });

    test('readFirstLine reads a #! line; undefined for a missing file', () => {
        const dir = mkdtempSync(join(tmpdir(), 'replylint-vscode-'));
        const file = join(dir, 'replylint');
        writeFileSync(file, '#!/venv/bin/python3\nimport sys\n');
        assert.equal(readFirstLine(file), '#!/venv/bin/python3');
        assert.equal(readFirstLine(join(dir, 'missing')), undefined);
    });
});
