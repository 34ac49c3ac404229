import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isConnectionError, RestartPolicy } from '../src/restartPolicy';

describe('restart policy', () => {
    test('restarts after the first two crashes and gives up on the third within 3 minutes', () => {
        let now = 0;
        const policy = new RestartPolicy(3, 180_000, () => now);
        assert.equal(policy.crashed(), true);
        now += 10_000;
        assert.equal(policy.crashed(), true);
        now += 10_000;
        assert.equal(policy.crashed(), false);
        assert.equal(policy.recentCrashes, 3);
    });

    test('crashes older than the window are forgotten; reset forgets all', () => {
        let now = 0;
        const policy = new RestartPolicy(3, 180_000, () => now);
        assert.equal(policy.crashed(), true);
        now = 100_000;
        assert.equal(policy.crashed(), true);
        now = 200_000; // the first crash is now 200 s old
        assert.equal(policy.crashed(), true);
        assert.equal(policy.recentCrashes, 2);
        policy.reset();
        assert.equal(policy.recentCrashes, 0);
        assert.equal(policy.crashed(), true);
    });
});

describe('connection errors', () => {
    test("vscode-jsonrpc's connection codes are told apart from the server's answers", () => {
        for (const code of [-32099, -32098, -32097, -32096]) {
            assert.equal(isConnectionError(code), true, String(code));
        }
        for (const code of [-32600, -32603, -32002, -32001, -32095, 0, '-32097', undefined]) {
            assert.equal(isConnectionError(code), false, String(code));
        }
    });
});
