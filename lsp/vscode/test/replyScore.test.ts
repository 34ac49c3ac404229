import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseScores, type ReplyScoreEntry, scoreAt, scoreView } from '../src/replyScore';

const at = (line: number, character: number) => ({ line, character });
const entry = (start: number, end: number, total: number, response = ''): ReplyScoreEntry => ({
    range: { start: at(start, 4), end: at(end, 10) },
    total,
    summary: `score ${total}/100: acknowledge 25/25, clarify 25/25 (not needed), resolve 25/25, check back 25/25`,
    response,
});

describe('reply score in the status bar', () => {
    test('parses the server answer and leaves out malformed entries', () => {
        const good = entry(1, 2, 75);
        const answer = { scores: [good, { total: 'x' }, null, { ...good, range: { start: at(0, 0) } }] };
        assert.deepEqual(parseScores(answer), [good]);
        assert.deepEqual(parseScores(null), []);
        assert.deepEqual(parseScores({ scores: 'no' }), []);
        assert.equal(parseScores({ scores: [{ ...good, response: 7 }] })[0]?.response, '');
    });

    test('the reply under the cursor; between replies the one above; above them all the first', () => {
        const bundle = [entry(2, 3, 40, 'refund-no'), entry(6, 7, 100, 'shipped')];
        assert.equal(scoreAt(bundle, at(2, 8))?.total, 40);
        assert.equal(scoreAt(bundle, at(7, 0))?.total, 100);
        assert.equal(scoreAt(bundle, at(5, 0))?.total, 40); // the keys between the two bodies
        assert.equal(scoreAt(bundle, at(0, 0))?.total, 40);
        assert.equal(scoreAt(bundle, at(9, 0))?.total, 100);
        assert.equal(scoreAt([], at(0, 0)), undefined);
    });

    test('the item shows the total; the tooltip the breakdown and the response', () => {
        const view = scoreView(entry(0, 1, 62, 'refund-no'));
        assert.equal(view.text, '$(comment-discussion) reply 62/100');
        assert.match(view.tooltip, /^replylint score 62\/100: acknowledge 25\/25, .* \(response “refund-no”\)$/);
        assert.doesNotMatch(scoreView(entry(0, 1, 62)).tooltip, /response/);
    });
});
