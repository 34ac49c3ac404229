/**
 * VS Code settings -> the replylint server's `replylint` settings section.
 *
 * Pure: no `vscode` import, so the mapping is unit-tested with a plain object.
 */
import { isAbsolute, join } from 'node:path';

/** Reads one key of the `replylint` configuration section (`WorkspaceConfiguration.get`). */
export interface ConfigSource {
    get(key: string): unknown;
}

export type Severity = 'error' | 'warning' | 'info';
export type RunMode = 'onType' | 'onSave';
export type DiagnosticMode = 'auto' | 'push' | 'pull';

/** The keys the server understands in its `replylint` section (docs/editors.md#settings). */
export interface ServerSettings {
    enable: boolean;
    lang: string;
    configFile: string;
    select: string[];
    ignore: string[];
    allow: string[];
    severity: Record<string, Severity>;
    debounceMs: number;
    maxDocumentChars: number;
    checkTimeoutMs: number;
    checkMemoryMb: number;
    diagnosticMode: DiagnosticMode;
    run: RunMode;
    minimumSeverity: Severity;
    /** Run the trained tone model; null: the config file's `tone-model` (off when it says nothing). */
    toneModel: boolean | null;
    /** Check only files a replylint config applies to, or that match `include`. */
    requireConfig: boolean;
    /** `.gitignore`-style globs (relative to the workspace folder) of files checked without a config. */
    include: string[];
}

export const SECTION = 'replylint';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const RUN_MODES: readonly RunMode[] = ['onType', 'onSave'];

export const DEFAULT_BUNDLE_GLOBS: readonly string[] = [
    '**/{macros,canned,responses,replies,templates,snippets}/**/*.{json,yaml,yml,csv}',
    '**/*{macro,macros,canned,responses}*.{json,yaml,yml,csv}',
];

/** Languages checked wherever they are (saved or untitled). */
export const DOCUMENT_LANGUAGES: readonly string[] = ['plaintext', 'markdown', 'html'];

export const DEFAULTS: Readonly<ServerSettings> = {
    enable: true,
    lang: 'auto',
    configFile: '',
    select: [],
    ignore: [],
    allow: [],
    severity: {},
    debounceMs: 20,
    maxDocumentChars: 1_000_000,
    checkTimeoutMs: 20_000,
    checkMemoryMb: 1024,
    diagnosticMode: 'auto',
    run: 'onType',
    minimumSeverity: 'info',
    toneModel: null,
    requireConfig: true,
    include: [],
};

/** Settings whose change needs a new server process (the command or the document selector change). */
export const RESTART_SETTINGS: readonly string[] = [
    `${SECTION}.path`,
    `${SECTION}.interpreter`,
    `${SECTION}.importStrategy`,
    `${SECTION}.bundleGlobs`,
];

/**
 * Values substituted in path-like settings: `${workspaceFolder}`, `${userHome}` and a leading
 * `~`. A relative path with a directory in it (`.venv/bin/python`) is taken from the
 * workspace folder; a bare name (`python3.12`) is left for the PATH.
 */
export interface PathContext {
    workspaceFolder?: string;
    home?: string;
}

export function expandPath(value: string, ctx: PathContext = {}): string {
    let out = value.trim();
    if (ctx.home !== undefined) {
        out = out.replace(/\$\{userHome\}/g, ctx.home);
        if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
            out = ctx.home + out.slice(1);
        }
    }
    if (ctx.workspaceFolder !== undefined) {
        out = out.replace(/\$\{workspaceFolder\}/g, ctx.workspaceFolder);
        if (out !== '' && !isAbsolute(out) && /[\\/]/.test(out)) {
            out = join(ctx.workspaceFolder, out);
        }
    }
    return out;
}

function bool(value: unknown, fallback: boolean): boolean {
    return typeof value === 'boolean' ? value : fallback;
}

function nullableBool(value: unknown): boolean | null {
    return typeof value === 'boolean' ? value : null;
}

function str(value: unknown, fallback: string): string {
    return typeof value === 'string' ? value.trim() : fallback;
}

function strings(value: unknown): string[] {
    if (typeof value === 'string') {
        value = [value];
    }
    if (!Array.isArray(value)) {
        return [];
    }
    const out: string[] = [];
    for (const item of value) {
        if (typeof item === 'string' && item.trim() !== '' && !out.includes(item.trim())) {
            out.push(item.trim());
        }
    }
    return out;
}

function count(value: unknown, fallback: number): number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

function oneOf<T extends string>(value: unknown, choices: readonly T[], fallback: T): T {
    return typeof value === 'string' && (choices as readonly string[]).includes(value) ? (value as T) : fallback;
}

function severityTable(value: unknown): Record<string, Severity> {
    const out: Record<string, Severity> = {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return out;
    }
    for (const [key, level] of Object.entries(value as Record<string, unknown>)) {
        if (key.trim() !== '' && typeof level === 'string' && (SEVERITIES as readonly string[]).includes(level)) {
            out[key.trim()] = level as Severity;
        }
    }
    return out;
}

/**
 * The server's settings from the VS Code configuration. Wrong values fall back to the
 * defaults rather than reaching the server. `run: "onSave"` asks for push diagnostics:
 * pull diagnostics are requested by VS Code on every change, push lets the server lint on
 * open and save only.
 */
export function toServerSettings(config: ConfigSource, ctx: PathContext = {}): ServerSettings {
    const run = oneOf(config.get('run'), RUN_MODES, DEFAULTS.run);
    const lang = str(config.get('lang'), DEFAULTS.lang);
    return {
        enable: bool(config.get('enable'), DEFAULTS.enable),
        lang: lang === '' ? 'auto' : lang,
        configFile: expandPath(str(config.get('configFile'), ''), ctx),
        select: strings(config.get('select')),
        ignore: strings(config.get('ignore')),
        allow: strings(config.get('allow')),
        severity: severityTable(config.get('severity')),
        debounceMs: count(config.get('debounceMs'), DEFAULTS.debounceMs),
        maxDocumentChars: count(config.get('maxDocumentChars'), DEFAULTS.maxDocumentChars),
        checkTimeoutMs: count(config.get('checkTimeoutMs'), DEFAULTS.checkTimeoutMs),
        checkMemoryMb: count(config.get('checkMemoryMb'), DEFAULTS.checkMemoryMb),
        diagnosticMode: run === 'onSave' ? 'push' : 'auto',
        run,
        minimumSeverity: oneOf(config.get('minimumSeverity'), SEVERITIES, DEFAULTS.minimumSeverity),
        toneModel: nullableBool(config.get('toneModel')),
        requireConfig: bool(config.get('requireConfig'), DEFAULTS.requireConfig),
        include: strings(config.get('include')),
    };
}

/** `initializationOptions` for the server: the whole section under its name. */
export function initializationOptions(settings: ServerSettings): { replylint: ServerSettings } {
    return { replylint: settings };
}

/** Whether a configuration change (`ConfigurationChangeEvent.affectsConfiguration`) needs a restart. */
export function needsRestart(affects: (section: string) => boolean): boolean {
    return RESTART_SETTINGS.some((section) => affects(section));
}

export interface LanguageFilter {
    scheme: 'file' | 'untitled';
    language: string;
}

export interface PatternFilter {
    scheme: 'file';
    pattern: string;
}

export type DocumentFilterLike = LanguageFilter | PatternFilter;

/** The bundle globs from the setting: the defaults when unset, no globs when set to []. */
export function bundleGlobs(value: unknown): string[] {
    if (value === undefined || value === null) {
        return [...DEFAULT_BUNDLE_GLOBS];
    }
    return strings(value);
}

/**
 * The documents the server gets: plain text, Markdown and HTML saved or not, plus the saved
 * files matching a bundle glob (canned-response exports in JSON, YAML or CSV).
 */
export function documentSelector(globs: readonly string[]): DocumentFilterLike[] {
    const selector: DocumentFilterLike[] = [];
    for (const language of DOCUMENT_LANGUAGES) {
        selector.push({ scheme: 'file', language }, { scheme: 'untitled', language });
    }
    for (const pattern of globs) {
        selector.push({ scheme: 'file', pattern });
    }
    return selector;
}
