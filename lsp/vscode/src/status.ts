/** The status-bar item's text and tooltip. Pure: no `vscode` import. */

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed' | 'notInstalled';

export interface DiagnosticLike {
    source?: string;
}

export const SOURCE = 'replylint';

/** How many of a document's diagnostics are replylint's. */
export function countFindings(diagnostics: readonly DiagnosticLike[]): number {
    return diagnostics.filter((d) => d.source === SOURCE).length;
}

export interface StatusInput {
    state: ServerState;
    /** False when the `replylint.enable` setting is off. */
    enabled: boolean;
    /** The active editor's file name; undefined when no editor is active. */
    fileName?: string;
    /** Whether the active document is one the server checks. */
    checked: boolean;
    /** The server skips it: no replylint config applies and no `replylint.include` glob matches. */
    outsideReplies?: boolean;
    /** replylint findings in the active document. */
    count: number;
    /** Why the server is not running, for the tooltip. */
    reason?: string;
}

export interface StatusView {
    text: string;
    tooltip: string;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const CLICK = 'Click to show the output.';

export function statusView(input: StatusInput): StatusView {
    switch (input.state) {
        case 'starting':
            return { text: '$(sync~spin) replylint', tooltip: `replylint: server starting. ${CLICK}` };
        case 'stopped':
        case 'failed':
        case 'notInstalled': {
            const what = {
                stopped: 'server stopped',
                failed: 'server failed',
                notInstalled: 'server not installed',
            }[input.state];
            const reason = input.reason ? ` ${input.reason}` : '';
            return { text: '$(error) replylint', tooltip: `replylint: ${what}.${reason} ${CLICK}` };
        }
        case 'running':
            break;
    }
    if (!input.enabled) {
        return {
            text: '$(circle-slash) replylint',
            tooltip: `replylint: disabled by the replylint.enable setting — server running. ${CLICK}`,
        };
    }
    if (input.fileName !== undefined && input.checked && input.outsideReplies) {
        return {
            text: '$(circle-slash) replylint',
            tooltip:
                `replylint: ${input.fileName} is not checked: no replylint config applies to it and no ` +
                'replylint.include glob matches it. Run "replylint: Lint this file anyway" to check it. ' +
                CLICK,
        };
    }
    if (input.fileName === undefined || !input.checked) {
        const what = input.fileName === undefined ? 'no file open' : `${input.fileName} is not checked`;
        return { text: '$(pass) replylint', tooltip: `replylint: ${what} — server running. ${CLICK}` };
    }
    const tooltip = `replylint: ${plural(input.count, 'finding')} in ${input.fileName} — server running. ${CLICK}`;
    return { text: input.count === 0 ? '$(pass) replylint' : `$(warning) replylint: ${input.count}`, tooltip };
}
