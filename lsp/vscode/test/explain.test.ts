import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { explanationMarkdown, type FindingLike, rangeContains, ruleAt, ruleCode } from '../src/explain';

function finding(code: FindingLike['code'], sl: number, sc: number, el: number, ec: number, source = 'replylint'): FindingLike {
    return { source, code, range: { start: { line: sl, character: sc }, end: { line: el, character: ec } } };
}

describe('explain rule under cursor', () => {
    test('rule codes from plain and linked diagnostic codes', () => {
        assert.equal(ruleCode('RL201'), 'RL201');
        assert.equal(ruleCode({ value: 'RL305' }), 'RL305');
        assert.equal(ruleCode(42), '42');
        assert.equal(ruleCode(undefined), undefined);
        assert.equal(ruleCode(''), undefined);
    });

    test('ranges include both ends and span lines', () => {
        const r = { start: { line: 1, character: 4 }, end: { line: 3, character: 2 } };
        assert.ok(rangeContains(r, { line: 1, character: 4 }));
        assert.ok(rangeContains(r, { line: 2, character: 99 }));
        assert.ok(rangeContains(r, { line: 3, character: 2 }));
        assert.ok(!rangeContains(r, { line: 1, character: 3 }));
        assert.ok(!rangeContains(r, { line: 3, character: 3 }));
    });

    test('finds the replylint diagnostic under the cursor, the smallest when they overlap', () => {
        const diagnostics = [
            finding({ value: 'RL100' }, 0, 0, 0, 40),
            finding({ value: 'RL201' }, 0, 10, 0, 20),
            finding('E501', 0, 12, 0, 14, 'flake8'),
            finding('RL300', 2, 0, 2, 5),
        ];
        assert.equal(ruleAt(diagnostics, { line: 0, character: 12 }), 'RL201');
        assert.equal(ruleAt(diagnostics, { line: 0, character: 30 }), 'RL100');
        assert.equal(ruleAt(diagnostics, { line: 2, character: 5 }), 'RL300');
        assert.equal(ruleAt(diagnostics, { line: 1, character: 0 }), undefined);
        assert.equal(ruleAt([finding('E501', 0, 0, 0, 9, 'flake8')], { line: 0, character: 3 }), undefined);
    });

    test("reads the server's {code, markdown} answer", () => {
        assert.equal(explanationMarkdown({ code: 'RL201', markdown: '# RL201 declared-wrong' }), '# RL201 declared-wrong');
        assert.equal(explanationMarkdown({ code: 'RL201' }), undefined);
        assert.equal(explanationMarkdown({ markdown: '  ' }), undefined);
        assert.equal(explanationMarkdown(null), undefined);
        assert.equal(explanationMarkdown('# text'), undefined);
    });
});
