/** When to stop restarting a crashing server. Pure: the clock is passed in. */

export const MAX_CRASHES = 3;
export const CRASH_WINDOW_MS = 3 * 60 * 1000;

export class RestartPolicy {
    private crashes: number[] = [];

    constructor(
        private readonly maxCrashes = MAX_CRASHES,
        private readonly windowMs = CRASH_WINDOW_MS,
        private readonly now: () => number = Date.now,
    ) {}

    /** Records a crash; true when the server should be restarted, false after `maxCrashes` in the window. */
    crashed(): boolean {
        const t = this.now();
        this.crashes = this.crashes.filter((c) => t - c < this.windowMs);
        this.crashes.push(t);
        return this.crashes.length < this.maxCrashes;
    }

    /** Crashes counted in the current window. */
    get recentCrashes(): number {
        const t = this.now();
        return this.crashes.filter((c) => t - c < this.windowMs).length;
    }

    /** Forgets the crashes (after a deliberate restart). */
    reset(): void {
        this.crashes = [];
    }
}

/**
 * Whether an error code is vscode-jsonrpc's own for a broken connection (a write or read
 * failed, a pending request was dropped, the connection is gone): the server process died,
 * and the close handler decides about restarting. Any other error is the server's answer.
 */
export function isConnectionError(code: unknown): boolean {
    return typeof code === 'number' && code >= -32099 && code <= -32096;
}
