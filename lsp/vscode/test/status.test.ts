import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { countFindings, statusView } from '../src/status';

describe('status bar', () => {
    test('counts only replylint diagnostics', () => {
        assert.equal(countFindings([{ source: 'replylint' }, { source: 'cSpell' }, {}, { source: 'replylint' }]), 2);
        assert.equal(countFindings([]), 0);
    });

    test('running with findings: warning icon, count and file in the tooltip', () => {
        const view = statusView({ state: 'running', enabled: true, fileName: 'reply.txt', checked: true, count: 3 });
        assert.equal(view.text, '$(warning) replylint: 3');
        assert.match(view.tooltip, /^replylint: 3 findings in reply\.txt — server running/);
    });

    test('running with no findings: pass icon; one finding is singular', () => {
        const none = statusView({ state: 'running', enabled: true, fileName: 'reply.md', checked: true, count: 0 });
        assert.equal(none.text, '$(pass) replylint');
        assert.match(none.tooltip, /0 findings in reply\.md/);
        const one = statusView({ state: 'running', enabled: true, fileName: 'reply.md', checked: true, count: 1 });
        assert.equal(one.text, '$(warning) replylint: 1');
        assert.match(one.tooltip, /1 finding in reply\.md/);
    });

    test('a file outside the replies says so and names the command that checks it anyway', () => {
        const view = statusView({
            state: 'running',
            enabled: true,
            fileName: 'README.md',
            checked: true,
            outsideReplies: true,
            count: 0,
        });
        assert.equal(view.text, '$(circle-slash) replylint');
        assert.match(view.tooltip, /README\.md is not checked: no replylint config applies to it/);
        assert.match(view.tooltip, /"replylint: Lint this file anyway"/);
        const inside = statusView({ state: 'running', enabled: true, fileName: 'r.txt', checked: true, outsideReplies: false, count: 2 });
        assert.equal(inside.text, '$(warning) replylint: 2');
    });

    test('a file the server does not check shows no count', () => {
        const view = statusView({ state: 'running', enabled: true, fileName: 'main.py', checked: false, count: 0 });
        assert.equal(view.text, '$(pass) replylint');
        assert.match(view.tooltip, /main\.py is not checked/);
    });

    test('stopped, failed and not installed: error icon, reason in the tooltip', () => {
        for (const state of ['stopped', 'failed', 'notInstalled'] as const) {
            const view = statusView({ state, enabled: true, fileName: 'reply.txt', checked: true, count: 4, reason: 'Because.' });
            assert.equal(view.text, '$(error) replylint', state);
            assert.match(view.tooltip, /Because\./);
            assert.match(view.tooltip, /show the output/);
        }
        assert.match(statusView({ state: 'notInstalled', enabled: true, checked: false, count: 0 }).tooltip, /not installed/);
    });

    test('starting spins; disabled by setting says so', () => {
        assert.equal(statusView({ state: 'starting', enabled: true, checked: false, count: 0 }).text, '$(sync~spin) replylint');
        const off = statusView({ state: 'running', enabled: false, fileName: 'reply.txt', checked: true, count: 2 });
        assert.equal(off.text, '$(circle-slash) replylint');
        assert.match(off.tooltip, /replylint\.enable/);
    });
});
