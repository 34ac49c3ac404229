/**
 * The current reply's score for the status bar: the server's `replylint.replyScores`
 * command gives each reply's range, total and one-line summary (docs/coaching.md, "The reply
 * score"); this picks the reply under the cursor and words the status-bar item. Pure: no
 * `vscode` import.
 */

export const SERVER_REPLY_SCORES = 'replylint.replyScores';

export interface Position {
    line: number;
    character: number;
}

export interface ReplyScoreEntry {
    range: { start: Position; end: Position };
    total: number;
    summary: string;
    response: string;
}

export interface ScoreView {
    text: string;
    tooltip: string;
}

function isPosition(value: unknown): value is Position {
    const p = value as Position | null;
    return typeof p === 'object' && p !== null && Number.isInteger(p.line) && Number.isInteger(p.character);
}

/** The scores in the command's answer; anything malformed is left out. */
export function parseScores(answer: unknown): ReplyScoreEntry[] {
    const scores = (answer as { scores?: unknown } | null)?.scores;
    if (!Array.isArray(scores)) {
        return [];
    }
    const entries: ReplyScoreEntry[] = [];
    for (const raw of scores as unknown[]) {
        const e = raw as Partial<ReplyScoreEntry> | null;
        const range = (e?.range ?? null) as { start?: unknown; end?: unknown } | null;
        if (
            e &&
            typeof e.total === 'number' &&
            typeof e.summary === 'string' &&
            range &&
            isPosition(range.start) &&
            isPosition(range.end)
        ) {
            entries.push({
                range: { start: range.start, end: range.end },
                total: e.total,
                summary: e.summary,
                response: typeof e.response === 'string' ? e.response : '',
            });
        }
    }
    return entries;
}

function before(a: Position, b: Position): boolean {
    return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/**
 * The reply the cursor is in; between replies (a bundle's keys, a blank line), the last
 * reply that starts before the cursor; above every reply, the first.
 */
export function scoreAt(entries: readonly ReplyScoreEntry[], cursor: Position): ReplyScoreEntry | undefined {
    const inside = entries.find((e) => before(e.range.start, cursor) && before(cursor, e.range.end));
    if (inside) {
        return inside;
    }
    const above = entries.filter((e) => before(e.range.start, cursor));
    return above[above.length - 1] ?? entries[0];
}

export function scoreView(entry: ReplyScoreEntry): ScoreView {
    const where = entry.response ? ` (response “${entry.response}”)` : '';
    return { text: `$(comment-discussion) reply ${entry.total}/100`, tooltip: `replylint ${entry.summary}${where}` };
}
