/** The real `Probe`: runs a program with its input closed, with a time limit. No `vscode` import. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';

import type { ProbeResult } from './serverCommand';

const MAX_OUTPUT = 64 * 1024;

export interface ProbeOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
}

export function runProbe(
    command: string,
    args: string[],
    timeoutMs: number,
    options: ProbeOptions = {},
): Promise<ProbeResult> {
    return new Promise((resolve) => {
        let child: ChildProcessWithoutNullStreams;
        try {
            child = spawn(command, args, {
                cwd: options.cwd,
                env: options.env ?? process.env,
                stdio: ['pipe', 'pipe', 'pipe'],
                windowsHide: true,
                shell: false,
            });
        } catch (error) {
            resolve({ code: null, stdout: '', stderr: '', spawnError: errorCode(error) });
            return;
        }
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        let settled = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
        }, timeoutMs);
        const finish = (result: ProbeResult): void => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                resolve(result);
            }
        };
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            stdout = (stdout + chunk).slice(0, MAX_OUTPUT);
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
            stderr = (stderr + chunk).slice(0, MAX_OUTPUT);
        });
        child.stdin.on('error', () => undefined); // the program may exit before reading
        child.stdin.end();
        child.on('error', (error) => {
            finish({ code: null, stdout, stderr, spawnError: errorCode(error) });
        });
        child.on('close', (code) => {
            finish({ code, stdout, stderr, timedOut });
        });
    });
}

function errorCode(error: unknown): string {
    if (error instanceof Error) {
        const code = (error as NodeJS.ErrnoException).code;
        return code ?? error.message;
    }
    return String(error);
}

/** The first line of a file (up to 512 bytes), or undefined when it cannot be read. */
export function readFirstLine(path: string): string | undefined {
    let fd: number | undefined;
    try {
        fd = openSync(path, 'r');
        const buffer = Buffer.alloc(512);
        const n = readSync(fd, buffer, 0, buffer.length, 0);
        return buffer.subarray(0, n).toString('utf8').split(/\r?\n/)[0];
    } catch {
        return undefined;
    } finally {
        if (fd !== undefined) {
            closeSync(fd);
        }
    }
}
