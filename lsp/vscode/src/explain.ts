/** Finding the rule under the cursor, and reading the server's explainRule answer. Pure. */
import { SOURCE } from './status';

export interface PositionLike {
    line: number;
    character: number;
}

export interface RangeLike {
    start: PositionLike;
    end: PositionLike;
}

export type CodeLike = string | number | { value: string | number } | undefined;

export interface FindingLike {
    source?: string;
    code?: CodeLike;
    range: RangeLike;
}

function before(a: PositionLike, b: PositionLike): boolean {
    return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Whether a range contains a position, both ends included (as `Range.contains`). */
export function rangeContains(range: RangeLike, pos: PositionLike): boolean {
    return !before(pos, range.start) && !before(range.end, pos);
}

/** The rule code of a diagnostic's `code` (`"RL201"`, or `{value: "RL201", target}` with a link). */
export function ruleCode(code: CodeLike): string | undefined {
    const value = typeof code === 'object' ? code.value : code;
    if (value === undefined) {
        return undefined;
    }
    const text = String(value).trim();
    return text === '' ? undefined : text;
}

function size(range: RangeLike): [number, number] {
    return [range.end.line - range.start.line, range.end.character - range.start.character];
}

/**
 * The rule of the replylint diagnostic under the cursor: the smallest range holding the
 * position wins when findings overlap; undefined when there is none.
 */
export function ruleAt(diagnostics: readonly FindingLike[], pos: PositionLike): string | undefined {
    let best: { code: string; size: [number, number] } | undefined;
    for (const d of diagnostics) {
        const code = ruleCode(d.code);
        if (d.source !== SOURCE || code === undefined || !rangeContains(d.range, pos)) {
            continue;
        }
        const s = size(d.range);
        if (best === undefined || s[0] < best.size[0] || (s[0] === best.size[0] && s[1] < best.size[1])) {
            best = { code, size: s };
        }
    }
    return best?.code;
}

/** The Markdown of an explainRule answer (`{code, markdown}`), or undefined when it has none. */
export function explanationMarkdown(answer: unknown): string | undefined {
    if (answer === null || typeof answer !== 'object') {
        return undefined;
    }
    const markdown = (answer as { markdown?: unknown }).markdown;
    return typeof markdown === 'string' && markdown.trim() !== '' ? markdown : undefined;
}
