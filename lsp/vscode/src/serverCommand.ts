/**
 * Which command starts the server, and whether it can run, before the client starts.
 *
 * Pure: processes are run through the `Probe` passed in, so discovery and the messages are
 * unit-tested without spawning anything.
 */

export type CommandSource = 'replylint.path' | 'replylint.interpreter' | 'pythonExtension' | 'default';

export interface ServerCommand {
    /** The program to run. */
    command: string;
    args: string[];
    /**
     * `executable`: a `replylint` program; `python`: an interpreter running `-m replylint`;
     * `bundled`: an interpreter running the extension's `bundled/tool/replylint_server.py`.
     */
    kind: 'executable' | 'python' | 'bundled';
    /** Where the command came from, for messages and for "Open settings". */
    source: CommandSource;
    /** Extra environment for the server process (the bundled launcher's import strategy). */
    env?: Record<string, string>;
}

/**
 * `replylint.importStrategy`, as in Microsoft's Python tool extensions: `useBundled` runs the
 * replylint shipped in the extension; `fromEnvironment` prefers one installed in the
 * interpreter's environment, the bundled one being the fallback.
 */
export type ImportStrategy = 'useBundled' | 'fromEnvironment';
export const IMPORT_STRATEGIES: readonly ImportStrategy[] = ['useBundled', 'fromEnvironment'];

/** The Python packages shipped in the .vsix (`bundled/libs/BUNDLE.json`) and their launcher. */
export interface Bundle {
    /** Absolute path of `bundled/tool/replylint_server.py`. */
    script: string;
    /** The CPython minor version the compiled wheels are for, e.g. `3.11`. */
    python: string;
    /** The VS Code target the wheels are for, e.g. `linux-x64`. */
    target: string;
    replylint: string;
}

/** The bundle described by the text of `BUNDLE.json`, or undefined when it is missing or malformed. */
export function parseBundle(manifestText: string | undefined, script: string): Bundle | undefined {
    if (manifestText === undefined) {
        return undefined;
    }
    try {
        const data = JSON.parse(manifestText) as Record<string, unknown>;
        const { python, target, replylint } = data;
        if (typeof python === 'string' && /^\d+\.\d+$/.test(python) && typeof target === 'string') {
            return { script, python, target, replylint: typeof replylint === 'string' ? replylint : 'unknown' };
        }
    } catch {
        // a broken manifest is a build without a bundle
    }
    return undefined;
}

export interface DiscoveryInput {
    /** The `replylint.path` setting, already expanded (`""` when unset). */
    path: string;
    /** The `replylint.interpreter` setting, already expanded (`""` when unset). */
    interpreter: string;
    /** The Python extension's selected interpreter; called only when neither setting is set. */
    pythonExtensionInterpreter?: () => Promise<string | undefined>;
    /** The interpreter used when nothing else names one. */
    defaultPython?: string;
    /** The packages shipped in the extension; without them the server runs as `python -m replylint lsp`. */
    bundle?: Bundle;
    importStrategy?: ImportStrategy;
}

export const DEFAULT_PYTHON = process.platform === 'win32' ? 'python' : 'python3';

/**
 * The server command, in order: `replylint.path` (`[path, "lsp"]`), `replylint.interpreter`
 * (`[python, "-m", "replylint", "lsp"]`), the Python extension's interpreter, `python3`.
 */
export async function findServerCommand(input: DiscoveryInput): Promise<ServerCommand> {
    const path = input.path.trim();
    if (path !== '') {
        return { command: path, args: ['lsp'], kind: 'executable', source: 'replylint.path' };
    }
    const interpreter = input.interpreter.trim();
    const pythonCommand = (python: string, source: CommandSource): ServerCommand =>
        serverCommandFor(python, source, input.bundle, input.importStrategy);
    if (interpreter !== '') {
        return pythonCommand(interpreter, 'replylint.interpreter');
    }
    if (input.pythonExtensionInterpreter) {
        let selected: string | undefined;
        try {
            selected = (await input.pythonExtensionInterpreter())?.trim();
        } catch {
            selected = undefined; // the Python extension failed: fall through to the default
        }
        if (selected) {
            return pythonCommand(selected, 'pythonExtension');
        }
    }
    return pythonCommand(input.defaultPython ?? DEFAULT_PYTHON, 'default');
}

/** The command for one interpreter: the bundled launcher when the extension has a bundle. */
export function serverCommandFor(
    python: string,
    source: CommandSource,
    bundle?: Bundle,
    importStrategy: ImportStrategy = 'useBundled',
): ServerCommand {
    if (bundle) {
        return {
            command: python,
            args: [bundle.script],
            kind: 'bundled',
            source,
            env: { REPLYLINT_IMPORT_STRATEGY: importStrategy },
        };
    }
    return { command: python, args: ['-m', 'replylint', 'lsp'], kind: 'python', source };
}

/**
 * When the interpreter found by default does not fit the bundle (another Python version), the
 * `python3.X` of the bundle's version from the PATH: a user who named no interpreter should
 * not have to. Undefined when a setting named the interpreter, or it already is that one.
 */
export function bundleFallback(cmd: ServerCommand, bundle: Bundle | undefined): ServerCommand | undefined {
    if (!bundle || cmd.kind !== 'bundled' || (cmd.source !== 'default' && cmd.source !== 'pythonExtension')) {
        return undefined;
    }
    const python = process.platform === 'win32' ? 'py' : `python${bundle.python}`;
    if (cmd.command === python) {
        return undefined;
    }
    const args = process.platform === 'win32' ? [`-${bundle.python}`, bundle.script] : [bundle.script];
    return { ...cmd, command: python, args, source: 'default' };
}

/** A shell word: quoted when it holds spaces or shell characters. */
export function shellQuote(word: string): string {
    if (word !== '' && /^[\w@%+=:,./\\-]+$/.test(word)) {
        return word;
    }
    return `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** The command line as a person would type it. */
export function commandLine(command: string, args: readonly string[]): string {
    return [command, ...args].map(shellQuote).join(' ');
}

const SOURCE_LABELS: Record<CommandSource, string> = {
    'replylint.path': 'the replylint.path setting',
    'replylint.interpreter': 'the replylint.interpreter setting',
    pythonExtension: "the Python extension's selected interpreter",
    default: 'the default Python',
};

export function describeCommand(cmd: ServerCommand): string {
    return `${commandLine(cmd.command, cmd.args)} (from ${SOURCE_LABELS[cmd.source]})`;
}

/** The setting that changes this command, for the "Open settings" button. */
export function settingFor(cmd: ServerCommand): string {
    return cmd.source === 'replylint.path' ? 'replylint.path' : 'replylint.interpreter';
}

/** The pip command that installs the server for a Python (`pip` when it is not known). */
export function installCommand(python: string | undefined): string {
    const requirement = '"replylint[lsp]"';
    return python ? `${shellQuote(python)} -m pip install ${requirement}` : `pip install ${requirement}`;
}

/**
 * The Python named by a script's `#!` line (pip, pipx and virtual environments write one
 * for the `replylint` script), or undefined.
 */
export function pythonFromShebang(firstLine: string | undefined): string | undefined {
    if (!firstLine?.startsWith('#!')) {
        return undefined;
    }
    const words = firstLine.slice(2).trim().split(/\s+/);
    let program = words[0] ?? '';
    if (/(^|\/)env$/.test(program)) {
        program = words.slice(1).find((w) => !w.startsWith('-')) ?? '';
    }
    return /(^|[/\\])python[\d.]*(\.exe)?$/i.test(program) ? program : undefined;
}

export interface ProbeResult {
    /** Exit code; null when killed or never started. */
    code: number | null;
    stdout: string;
    stderr: string;
    /** Set when the program could not be started at all (`ENOENT`, `EACCES`, ...). */
    spawnError?: string;
    /** Set when the probe ran longer than its time limit and was killed. */
    timedOut?: boolean;
}

/** Runs a program with stdin closed and collects its output. */
export type Probe = (
    command: string,
    args: string[],
    timeoutMs: number,
    env?: Record<string, string>,
) => Promise<ProbeResult>;

/** `wrongPython`: the interpreter is not the Python version the bundle was built for. */
export type Problem = 'notFound' | 'notInstalled' | 'broken' | 'wrongPython';

export type CheckResult =
    | { ok: true; /** Which replylint runs, from where, for the output channel. */ detail?: string }
    | {
          ok: false;
          problem: Problem;
          /** The one message shown to the user. */
          message: string;
          /** The command that fixes it, for "Copy command"; undefined when there is none. */
          fix?: string;
          /** What the probe printed, for the output channel. */
          detail: string;
      };

/** Prints the interpreter's absolute path first, so the message names it even when the import fails. */
export const IMPORT_CHECK = 'import sys; print(sys.executable, flush=True); import replylint_lsp, pygls';
export const PROBE_TIMEOUT_MS = 30_000;

function detailOf(cmd: string, args: readonly string[], r: ProbeResult): string {
    const status = r.spawnError ?? (r.timedOut ? 'timed out' : `exit code ${String(r.code)}`);
    const output = [r.stdout.trim(), r.stderr.trim()].filter((s) => s !== '').join('\n');
    return `${commandLine(cmd, args)}: ${status}${output ? `\n${output}` : ''}`;
}

function notFound(message: string, detail: string): CheckResult {
    return { ok: false, problem: 'notFound', message, detail };
}

/**
 * Whether the server command can start: for a Python, `python -c "import replylint_lsp, pygls"`
 * exits 0 (the message names the interpreter's absolute path, `sys.executable`); for a `replylint` program, `replylint lsp --help` exits 0 and `replylint lsp` with
 * its input closed does not fail (it exits 2 with a message when pygls is missing).
 */
export async function checkServerCommand(
    cmd: ServerCommand,
    probe: Probe,
    readFirstLine?: (path: string) => string | undefined,
    bundle?: Bundle,
): Promise<CheckResult> {
    if (cmd.kind === 'bundled' && bundle) {
        return checkBundled(cmd, probe, bundle);
    }
    if (cmd.kind === 'python') {
        const args = ['-c', IMPORT_CHECK];
        const r = await probe(cmd.command, args, PROBE_TIMEOUT_MS);
        const detail = detailOf(cmd.command, args, r);
        if (r.spawnError !== undefined) {
            return notFound(
                cmd.source === 'default'
                    ? `Python (${cmd.command}) was not found. Install Python 3 and replylint ` +
                          `(pip install "replylint[lsp]"), or set replylint.interpreter to a Python that has it.`
                    : `The Python interpreter ${cmd.command} was not found. ` +
                          'Set replylint.interpreter to the Python that has replylint installed.',
                detail,
            );
        }
        if (r.timedOut) {
            return {
                ok: false,
                problem: 'broken',
                message: `${cmd.command} did not answer within ${PROBE_TIMEOUT_MS / 1000} s when asked to import replylint.`,
                detail,
            };
        }
        if (r.code !== 0) {
            const executable = r.stdout.split(/\r?\n/)[0]?.trim();
            const python = executable && /[/\\]/.test(executable) ? executable : cmd.command;
            const fix = installCommand(python);
            return {
                ok: false,
                problem: 'notInstalled',
                message: `replylint is not installed for ${python}. Install it with: ${fix}`,
                fix,
                detail,
            };
        }
        return { ok: true };
    }
    const helpArgs = ['lsp', '--help'];
    const help = await probe(cmd.command, helpArgs, PROBE_TIMEOUT_MS);
    const helpDetail = detailOf(cmd.command, helpArgs, help);
    if (help.spawnError !== undefined) {
        return notFound(
            `replylint.path ${cmd.command} was not found. Set replylint.path to the replylint program ` +
                '(`command -v replylint` prints it), or clear it to use a Python.',
            helpDetail,
        );
    }
    const python = pythonFromShebang(readFirstLine?.(cmd.command));
    if (help.timedOut || help.code !== 0) {
        const fix = installCommand(python);
        return {
            ok: false,
            problem: 'broken',
            message: `${commandLine(cmd.command, helpArgs)} failed (${
                help.timedOut ? 'timed out' : `exit code ${String(help.code)}`
            }): is replylint.path a replylint program? Install it with: ${fix}`,
            fix,
            detail: helpDetail,
        };
    }
    // `replylint lsp --help` works without pygls; starting the server tells.
    const start = await probe(cmd.command, cmd.args, PROBE_TIMEOUT_MS);
    if (start.spawnError === undefined && !start.timedOut && start.code !== 0) {
        const fix = installCommand(python);
        return {
            ok: false,
            problem: 'notInstalled',
            message: `The replylint language server is not installed for ${cmd.command}. Install it with: ${fix}`,
            fix,
            detail: detailOf(cmd.command, cmd.args, start),
        };
    }
    return { ok: true };
}

/** What `replylint_server.py --probe` prints. */
interface BundleProbe {
    python?: string;
    version?: string;
    strategy?: string;
    error?: string;
    replylint?: string;
    location?: string;
    bundled?: boolean;
}

/**
 * Whether the bundled launcher can start under this interpreter: `replylint_server.py --probe`
 * imports replylint, its server and pygls with the import strategy and says from where. A
 * Python of another version than the bundle's cannot load its compiled wheels: the message
 * says which version to select, or how to use an installed replylint instead.
 */
async function checkBundled(cmd: ServerCommand, probe: Probe, bundle: Bundle): Promise<CheckResult> {
    const args = [...cmd.args, '--probe'];
    const r = await probe(cmd.command, args, PROBE_TIMEOUT_MS, cmd.env);
    const detail = detailOf(cmd.command, args, r);
    if (r.spawnError !== undefined) {
        return notFound(
            cmd.source === 'default'
                ? `Python (${cmd.command}) was not found. The replylint extension needs Python ${bundle.python} ` +
                      '(it brings replylint itself): install it, or set replylint.interpreter to one.'
                : `The Python interpreter ${cmd.command} was not found. Set replylint.interpreter to a Python ${bundle.python}.`,
            detail,
        );
    }
    let info: BundleProbe | undefined;
    try {
        info = JSON.parse(r.stdout.trim().split(/\r?\n/).pop() ?? '') as BundleProbe;
    } catch {
        info = undefined;
    }
    if (r.timedOut || r.code !== 0 || !info) {
        return {
            ok: false,
            problem: 'broken',
            message: `${cmd.command} could not run the replylint server bundled in the extension (${
                r.timedOut ? 'timed out' : `exit code ${String(r.code)}`
            }). See the "replylint" output for details.`,
            detail,
        };
    }
    const python = info.python ?? cmd.command;
    if (info.error !== undefined) {
        if (info.version !== bundle.python) {
            const fix = installCommand(python);
            return {
                ok: false,
                problem: 'wrongPython',
                message:
                    `The replylint bundled in this extension is for Python ${bundle.python}; ${python} is Python ` +
                    `${info.version ?? '?'}. Set replylint.interpreter to a Python ${bundle.python}, or install ` +
                    `replylint in this Python (${fix}) and set replylint.importStrategy to fromEnvironment.`,
                fix,
                detail,
            };
        }
        return {
            ok: false,
            problem: 'broken',
            message: `The replylint bundled in this extension did not load in ${python}: ${info.error}`,
            detail,
        };
    }
    const where = info.bundled ? 'bundled with the extension' : `installed in the environment (${info.location ?? '?'})`;
    return { ok: true, detail: `replylint ${info.replylint ?? '?'} ${where}, Python ${info.version ?? '?'} (${python})` };
}
