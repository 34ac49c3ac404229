/**
 * The replylint VS Code extension: starts `replylint lsp` over stdio with
 * vscode-languageclient and adds commands and a status-bar item. The decisions live in
 * pure modules (settings, serverCommand, status, explain, restartPolicy); this file is the
 * glue to the `vscode` API.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import * as vscode from 'vscode';
import {
    CloseAction,
    DidChangeConfigurationNotification,
    ErrorAction,
    ExecuteCommandRequest,
    LanguageClient,
    type LanguageClientOptions,
    ResponseError,
    RevealOutputChannelOn,
    type ServerOptions,
    State,
    TransportKind,
    vsdiag,
} from 'vscode-languageclient/node';

import { explanationMarkdown, ruleAt } from './explain';
import { readFirstLine, runProbe } from './process';
import { parseScores, type ReplyScoreEntry, scoreAt, scoreView, SERVER_REPLY_SCORES } from './replyScore';
import { onInterpreterChange, PYTHON_EXTENSION_ID, selectedInterpreter } from './pythonExtension';
import { isConnectionError, RestartPolicy } from './restartPolicy';
import {
    type Bundle,
    bundleFallback,
    checkServerCommand,
    describeCommand,
    findServerCommand,
    IMPORT_STRATEGIES,
    type ImportStrategy,
    parseBundle,
    type ServerCommand,
    settingFor,
} from './serverCommand';
import {
    bundleGlobs,
    documentSelector,
    type DocumentFilterLike,
    expandPath,
    initializationOptions,
    needsRestart,
    type PathContext,
    SECTION,
    type ServerSettings,
    toServerSettings,
} from './settings';
import { countFindings, type ServerState, statusView } from './status';

/** Client-side command ids. The server's own commands (`replylint.fixAll`, ...) are registered by the client. */
export const COMMANDS = {
    fixAll: 'replylint.fixAllCommand',
    restart: 'replylint.restart',
    showOutput: 'replylint.showOutput',
    explainRule: 'replylint.explainRuleUnderCursor',
    lintAnyway: 'replylint.lintFileAnyway',
} as const;

const SERVER_FIX_ALL = 'replylint.fixAll';
const SERVER_EXPLAIN_RULE = 'replylint.explainRule';
const SERVER_LINT_ANYWAY = 'replylint.lintAnyway';
const RULE_SCHEME = 'replylint-rule';

/**
 * The library's client, with its own error pop-ups turned into log lines: the extension
 * shows one message of its own when the server cannot start or keeps crashing, and the
 * status bar says the rest.
 */
class ReplylintClient extends LanguageClient {
    override error(message: string, data?: unknown): void {
        super.error(message, data, false);
    }
}

class Controller implements vscode.Disposable {
    private client: LanguageClient | undefined;
    private selector: DocumentFilterLike[] = [];
    private state: ServerState = 'stopped';
    private reason: string | undefined;
    private queue: Promise<void> = Promise.resolve();
    private readonly policy = new RestartPolicy();
    /** Messages already shown since the last explicit restart: each is shown once. */
    private readonly shown = new Set<string>();
    private readonly disposables: { dispose(): unknown }[] = [];
    private interpreterWatch: { dispose(): unknown } | undefined;
    private readonly rules = new Map<string, string>();
    private readonly rulesChanged = new vscode.EventEmitter<vscode.Uri>();
    /** Each document's reply scores from the server, by URI; the status bar shows the cursor's. */
    private readonly scores = new Map<string, ReplyScoreEntry[]>();
    /** Documents the server skips (`replylint.requireConfig`), from its reply-scores answer. */
    private readonly outsideReplies = new Set<string>();

    constructor(
        readonly output: vscode.LogOutputChannel,
        private readonly status: vscode.StatusBarItem,
        private readonly scoreItem: vscode.StatusBarItem,
        /** The packages shipped in the .vsix (undefined in a build without them). */
        private readonly bundle: Bundle | undefined,
    ) {
        this.disposables.push(
            this.rulesChanged,
            vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, {
                onDidChange: this.rulesChanged.event,
                provideTextDocumentContent: (uri) => this.rules.get(uri.path) ?? '',
            }),
        );
    }

    // ----- lifecycle: every start, stop and restart runs one after the other -----

    private serialize(task: () => Promise<void>): Promise<void> {
        this.queue = this.queue.then(task).catch((error: unknown) => {
            const message = `replylint: ${errorText(error)}`;
            this.output.error(message);
            this.setState('failed', message);
        });
        return this.queue;
    }

    start(): Promise<void> {
        return this.serialize(() => this.doStart());
    }

    stop(): Promise<void> {
        return this.serialize(() => this.doStop());
    }

    restart(explicit: boolean): Promise<void> {
        return this.serialize(async () => {
            if (explicit) {
                this.policy.reset();
                this.shown.clear();
            }
            await this.doStop();
            await this.doStart();
        });
    }

    private pathContext(): PathContext {
        return { workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, home: homedir() };
    }

    private serverSettings(scope?: vscode.Uri): ServerSettings {
        return toServerSettings(vscode.workspace.getConfiguration(SECTION, scope), this.pathContext());
    }

    private setState(state: ServerState, reason?: string): void {
        this.state = state;
        this.reason = reason;
        this.updateStatus();
    }

    private async doStart(): Promise<void> {
        this.setState('starting');
        const config = vscode.workspace.getConfiguration(SECTION);
        const ctx = this.pathContext();
        const pythonExtension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
        const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
        const strategy = config.get('importStrategy');
        let cmd = await findServerCommand({
            path: expandPath(stringSetting(config.get('path')), ctx),
            interpreter: expandPath(stringSetting(config.get('interpreter')), ctx),
            pythonExtensionInterpreter: pythonExtension
                ? () => selectedInterpreter(pythonExtension, resource)
                : undefined,
            bundle: this.bundle,
            importStrategy: IMPORT_STRATEGIES.includes(strategy as ImportStrategy)
                ? (strategy as ImportStrategy)
                : 'useBundled',
        });
        this.watchInterpreter(cmd, pythonExtension);
        this.output.info(`replylint: server command ${describeCommand(cmd)}`);

        const probe = (command: string, args: string[], timeoutMs: number, env?: Record<string, string>) =>
            runProbe(command, args, timeoutMs, { cwd: ctx.workspaceFolder, env: { ...process.env, ...env } });
        let check = await checkServerCommand(cmd, probe, readFirstLine, this.bundle);
        const fallback = !check.ok && check.problem === 'wrongPython' ? bundleFallback(cmd, this.bundle) : undefined;
        if (!check.ok && fallback) {
            // The default Python is another version than the bundle's: try python3.X from the PATH.
            this.output.warn(`replylint: ${check.message}\n${check.detail}`);
            const second = await checkServerCommand(fallback, probe, readFirstLine, this.bundle);
            if (second.ok) {
                cmd = fallback;
                check = second;
                this.output.info(`replylint: server command ${describeCommand(cmd)}`);
            }
        }
        if (check.ok && check.detail) {
            this.output.info(`replylint: ${check.detail}`);
        }
        if (!check.ok) {
            this.output.error(`replylint: ${check.message}\n${check.detail}`);
            this.setState(check.problem === 'notInstalled' ? 'notInstalled' : 'failed', check.message);
            this.showSetupError(check.message, check.fix, settingFor(cmd));
            return;
        }

        this.selector = documentSelector(bundleGlobs(config.get('bundleGlobs')));
        const serverOptions: ServerOptions = {
            command: cmd.command,
            args: cmd.args,
            transport: TransportKind.stdio,
            options: { cwd: ctx.workspaceFolder, env: { ...process.env, PYTHONUNBUFFERED: '1', ...cmd.env } },
        };
        const settings = this.serverSettings();
        // `run: onSave` starts the server in push mode. It still announces pull diagnostics,
        // so VS Code would pull on every change and show each finding twice: answer the
        // pulls here with nothing and keep the pushed diagnostics.
        const pushOnly = settings.diagnosticMode === 'push';
        let client: LanguageClient | undefined = undefined;
        const clientOptions: LanguageClientOptions = {
            documentSelector: this.selector,
            outputChannel: this.output,
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            initializationOptions: initializationOptions(settings),
            synchronize: { configurationSection: SECTION },
            initializationFailedHandler: (error) => {
                this.output.error(`replylint: the server failed to initialize: ${errorText(error)}`);
                return false; // no retry, no pop-up of the library's own
            },
            errorHandler: {
                error: (error, _message, count) => {
                    this.output.warn(`replylint: connection error (${String(count ?? 0)}): ${error.message}`);
                    return {
                        action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
                        handled: true,
                    };
                },
                closed: () => {
                    if (this.policy.crashed()) {
                        this.output.warn('replylint: the server stopped unexpectedly; restarting it.');
                        return { action: CloseAction.Restart, handled: true };
                    }
                    const message =
                        'The replylint server crashed 3 times in the last 3 minutes and will not be restarted. ' +
                        'See the "replylint" output for details.';
                    this.output.error(`replylint: ${message}`);
                    this.reason = message;
                    void this.showCrashError(message);
                    return { action: CloseAction.DoNotRestart, handled: true };
                },
            },
            middleware: {
                ...(pushOnly
                    ? {
                          provideDiagnostics: () => ({ kind: vsdiag.DocumentDiagnosticReportKind.full, items: [] }),
                      }
                    : {}),
                workspace: {
                    // The server asks for section `replylint`: answer with the mapped settings.
                    configuration: async (params, token, next) => {
                        const answer = await next(params, token);
                        if (answer instanceof ResponseError || !Array.isArray(answer)) {
                            return answer;
                        }
                        return params.items.map((item, i): unknown =>
                            item.section === SECTION
                                ? this.serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
                                : answer[i],
                        );
                    },
                    // Push the mapped settings, not VS Code's raw section.
                    didChangeConfiguration: async () => {
                        await client?.sendNotification(DidChangeConfigurationNotification.type, {
                            settings: { [SECTION]: this.serverSettings() },
                        });
                    },
                },
            },
        };
        client = new ReplylintClient('replylint', 'replylint', serverOptions, clientOptions);
        this.client = client;
        const started = client;
        client.onDidChangeState((event) => {
            if (this.client !== started) {
                return;
            }
            if (event.newState === State.Running) {
                this.setState('running');
            } else if (event.newState === State.Starting) {
                this.setState('starting');
            } else if (event.newState === State.StartFailed) {
                this.setState('failed', this.reason);
            } else {
                this.setState(this.reason ? 'failed' : 'stopped', this.reason);
            }
        });
        try {
            await client.start();
            this.setState('running');
            this.output.info('replylint: server running');
        } catch (error) {
            if (this.policy.recentCrashes > 0 || (error instanceof ResponseError && isConnectionError(error.code))) {
                // The process died during start: the close handler restarts it, or gives up
                // with its own message. One message, not two.
                this.output.warn(`replylint: the server exited while starting: ${errorText(error)}`);
                return;
            }
            const message = `The replylint server did not start: ${errorText(error)}. See the "replylint" output for details.`;
            this.output.error(`replylint: ${message}`);
            this.setState('failed', message);
            void this.showCrashError(message);
        }
    }

    private async doStop(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        this.reason = undefined;
        if (client) {
            try {
                if (client.needsStop()) {
                    await client.stop(5000);
                }
            } catch (error) {
                this.output.warn(`replylint: stopping the server: ${errorText(error)}`);
            }
            await client.dispose().catch(() => undefined);
        }
        this.setState('stopped');
    }

    /** Restart when the Python extension's interpreter changes and no setting names the server. */
    private watchInterpreter(cmd: ServerCommand, extension: vscode.Extension<unknown> | undefined): void {
        this.interpreterWatch?.dispose();
        this.interpreterWatch = undefined;
        if (cmd.source !== 'pythonExtension' && cmd.source !== 'default') {
            return;
        }
        const subscribe = onInterpreterChange(extension);
        this.interpreterWatch = subscribe?.(() => {
            this.output.info('replylint: the Python interpreter changed; restarting the server.');
            void this.restart(false);
        });
    }

    // ----- messages -----

    private showSetupError(message: string, fix: string | undefined, setting: string): void {
        if (this.shown.has(message)) {
            return;
        }
        this.shown.add(message);
        const copy = 'Copy command';
        const open = 'Open settings';
        const buttons = fix ? [copy, open] : [open];
        void vscode.window.showErrorMessage(message, ...buttons).then(async (choice) => {
            if (choice === copy && fix) {
                await vscode.env.clipboard.writeText(fix);
                void vscode.window.showInformationMessage(`Copied: ${fix}`);
            } else if (choice === open) {
                await vscode.commands.executeCommand('workbench.action.openSettings', setting);
            }
        });
    }

    private async showCrashError(message: string): Promise<void> {
        if (this.shown.has(message)) {
            return;
        }
        this.shown.add(message);
        const show = 'Show output';
        const restart = 'Restart server';
        const choice = await vscode.window.showErrorMessage(message, show, restart);
        if (choice === show) {
            this.output.show(true);
        } else if (choice === restart) {
            await this.restart(true);
        }
    }

    // ----- status bar -----

    isChecked(document: vscode.TextDocument): boolean {
        return this.selector.length > 0 && vscode.languages.match(this.selector, document) > 0;
    }

    updateStatus(): void {
        const document = vscode.window.activeTextEditor?.document;
        const view = statusView({
            state: this.state,
            enabled: vscode.workspace.getConfiguration(SECTION).get('enable') !== false,
            fileName: document ? baseName(document.uri) : undefined,
            checked: document ? this.isChecked(document) : false,
            outsideReplies: document ? this.outsideReplies.has(document.uri.toString()) : false,
            count: document ? countFindings(vscode.languages.getDiagnostics(document.uri)) : 0,
            reason: this.reason,
        });
        this.status.text = view.text;
        this.status.tooltip = view.tooltip;
        this.showScore();
    }

    /** Ask the server for the active document's reply scores (after each check of it). */
    async refreshScores(): Promise<void> {
        const document = vscode.window.activeTextEditor?.document;
        const client = this.client;
        if (!document || !client || this.state !== 'running' || !this.isChecked(document)) {
            this.showScore();
            return;
        }
        const key = document.uri.toString();
        try {
            const answer: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
                command: SERVER_REPLY_SCORES,
                arguments: [client.code2ProtocolConverter.asUri(document.uri)],
            });
            this.scores.set(key, parseScores(answer));
            const skipped = (answer as { checked?: unknown } | null)?.checked === false;
            if (skipped !== this.outsideReplies.has(key)) {
                if (skipped) {
                    this.outsideReplies.add(key);
                } else {
                    this.outsideReplies.delete(key);
                }
                this.updateStatus();
            }
        } catch (error) {
            this.output.warn(`replylint: reply scores of ${baseName(document.uri)}: ${errorText(error)}`);
            this.scores.delete(key);
        }
        this.showScore();
    }

    /** The status-bar item for the reply under the cursor, hidden when there is none. */
    showScore(): void {
        const editor = vscode.window.activeTextEditor;
        const enabled = vscode.workspace.getConfiguration(SECTION).get('enable') !== false;
        const entries = editor && this.state === 'running' && enabled ? this.scores.get(editor.document.uri.toString()) : undefined;
        const entry = editor && entries ? scoreAt(entries, editor.selection.active) : undefined;
        if (!entry) {
            this.scoreItem.hide();
            return;
        }
        const view = scoreView(entry);
        this.scoreItem.text = view.text;
        this.scoreItem.tooltip = view.tooltip;
        this.scoreItem.show();
    }

    // ----- commands -----

    /** The running client, or undefined after telling the user why there is none. */
    private runningClient(): LanguageClient | undefined {
        if (this.client && this.state === 'running') {
            return this.client;
        }
        void vscode.window
            .showWarningMessage('The replylint server is not running.', 'Show output', 'Restart server')
            .then((choice) => {
                if (choice === 'Show output') {
                    this.output.show(true);
                } else if (choice === 'Restart server') {
                    void this.restart(true);
                }
            });
        return undefined;
    }

    private checkedEditor(): vscode.TextEditor | undefined {
        const editor = vscode.window.activeTextEditor;
        if (!editor) {
            void vscode.window.showInformationMessage('replylint: open a reply first.');
            return undefined;
        }
        if (!this.isChecked(editor.document)) {
            void vscode.window.showInformationMessage(
                `replylint does not check ${baseName(editor.document.uri)} (see the replylint.bundleGlobs setting).`,
            );
            return undefined;
        }
        return editor;
    }

    async fixAll(): Promise<void> {
        const editor = this.checkedEditor();
        const client = editor && this.runningClient();
        if (!editor || !client) {
            return;
        }
        const uri = client.code2ProtocolConverter.asUri(editor.document.uri);
        try {
            const answer: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
                command: SERVER_FIX_ALL,
                arguments: [uri],
            });
            const edits = (answer as { edits?: unknown } | null)?.edits;
            if (edits === 0) {
                void vscode.window.showInformationMessage(`replylint: no safe fixes in ${baseName(editor.document.uri)}.`);
            } else if (typeof edits === 'number') {
                vscode.window.setStatusBarMessage(`replylint: applied ${edits} safe fix${edits === 1 ? '' : 'es'}`, 4000);
            }
        } catch (error) {
            void vscode.window.showErrorMessage(`replylint: fix all failed: ${errorText(error)}`);
        }
    }

    /** Check the active file although no replylint config applies to it (`replylint.requireConfig`). */
    async lintAnyway(): Promise<void> {
        const editor = this.checkedEditor();
        const client = editor && this.runningClient();
        if (!editor || !client) {
            return;
        }
        try {
            await client.sendRequest(ExecuteCommandRequest.type, {
                command: SERVER_LINT_ANYWAY,
                arguments: [client.code2ProtocolConverter.asUri(editor.document.uri)],
            });
            vscode.window.setStatusBarMessage(`replylint: checking ${baseName(editor.document.uri)}`, 4000);
        } catch (error) {
            void vscode.window.showErrorMessage(`replylint: cannot check this file: ${errorText(error)}`);
        }
    }

    async explainRule(): Promise<void> {
        const editor = vscode.window.activeTextEditor;
        if (!editor) {
            void vscode.window.showInformationMessage('replylint: open a reply first.');
            return;
        }
        const code = ruleAt(vscode.languages.getDiagnostics(editor.document.uri), editor.selection.active);
        if (code === undefined) {
            void vscode.window.showInformationMessage('replylint: no replylint finding under the cursor.');
            return;
        }
        const client = this.runningClient();
        if (!client) {
            return;
        }
        let markdown: string | undefined;
        try {
            const answer: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
                command: SERVER_EXPLAIN_RULE,
                arguments: [editor.document.uri.toString(), code],
            });
            markdown = explanationMarkdown(answer);
        } catch (error) {
            void vscode.window.showErrorMessage(`replylint: cannot explain ${code}: ${errorText(error)}`);
            return;
        }
        if (markdown === undefined) {
            void vscode.window.showErrorMessage(`replylint: the server has no explanation for ${code}.`);
            return;
        }
        // A read-only virtual document: it closes without a "save?" prompt.
        const uri = vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${code}.md` });
        this.rules.set(uri.path, markdown);
        this.rulesChanged.fire(uri);
        const document = await vscode.workspace.openTextDocument(uri); // `.md`: opens as Markdown
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }

    onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
        if (needsRestart((section) => event.affectsConfiguration(section))) {
            this.output.info('replylint: the server command or the checked files changed; restarting the server.');
            void this.restart(false);
        } else if (event.affectsConfiguration(SECTION)) {
            this.updateStatus();
        }
    }

    dispose(): void {
        this.interpreterWatch?.dispose();
        for (const d of this.disposables) {
            d.dispose();
        }
    }
}

function stringSetting(value: unknown): string {
    return typeof value === 'string' ? value : '';
}

function baseName(uri: vscode.Uri): string {
    const parts = uri.path.split('/');
    return parts[parts.length - 1] || uri.toString();
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** The Python packages shipped in the .vsix (`npm run package` puts them in bundled/libs). */
function readBundle(extensionPath: string): Bundle | undefined {
    let manifest: string | undefined;
    try {
        manifest = readFileSync(join(extensionPath, 'bundled', 'libs', 'BUNDLE.json'), 'utf8');
    } catch {
        manifest = undefined; // a development build: the server comes from the environment
    }
    return parseBundle(manifest, join(extensionPath, 'bundled', 'tool', 'replylint_server.py'));
}

let controller: Controller | undefined;

export function activate(context: vscode.ExtensionContext): void {
    const output = vscode.window.createOutputChannel('replylint', { log: true });
    const status = vscode.window.createStatusBarItem('replylint.status', vscode.StatusBarAlignment.Right, 100);
    status.name = 'replylint';
    status.command = COMMANDS.showOutput;
    status.show();
    const scoreItem = vscode.window.createStatusBarItem('replylint.replyScore', vscode.StatusBarAlignment.Right, 99);
    scoreItem.name = 'replylint reply score';
    const ctl = new Controller(output, status, scoreItem, readBundle(context.extensionPath));
    controller = ctl;
    context.subscriptions.push(
        output,
        status,
        scoreItem,
        ctl,
        vscode.commands.registerCommand(COMMANDS.fixAll, () => ctl.fixAll()),
        vscode.commands.registerCommand(COMMANDS.restart, () => ctl.restart(true)),
        vscode.commands.registerCommand(COMMANDS.showOutput, () => {
            output.show(true);
        }),
        vscode.commands.registerCommand(COMMANDS.explainRule, () => ctl.explainRule()),
        vscode.commands.registerCommand(COMMANDS.lintAnyway, () => ctl.lintAnyway()),
        vscode.workspace.onDidChangeConfiguration((event) => {
            ctl.onConfigurationChanged(event);
        }),
        vscode.window.onDidChangeActiveTextEditor(() => {
            ctl.updateStatus();
            void ctl.refreshScores();
        }),
        vscode.window.onDidChangeTextEditorSelection(() => {
            ctl.showScore();
        }),
        vscode.languages.onDidChangeDiagnostics((event) => {
            const active = vscode.window.activeTextEditor?.document.uri.toString();
            if (active !== undefined && event.uris.some((uri) => uri.toString() === active)) {
                ctl.updateStatus();
                void ctl.refreshScores(); // a new check of the document: its scores changed too
            }
        }),
    );
    ctl.updateStatus();
    void ctl.start(); // activation does not wait for the server
}

export async function deactivate(): Promise<void> {
    const ctl = controller;
    controller = undefined;
    await ctl?.stop();
}
