/**
 * The interpreter selected in the Python extension (ms-python.python), through its public
 * `environments` API. No `vscode` import: the extension object is passed in as a small interface.
 */

export const PYTHON_EXTENSION_ID = 'ms-python.python';

export interface ExtensionLike {
    isActive: boolean;
    exports: unknown;
    activate(): PromiseLike<unknown>;
}

interface EnvironmentPath {
    id?: string;
    path?: string;
}

interface ResolvedEnvironment {
    executable?: { uri?: { fsPath?: string } };
}

interface EnvironmentsApi {
    getActiveEnvironmentPath(resource?: unknown): EnvironmentPath | undefined;
    resolveEnvironment?(env: EnvironmentPath | string): PromiseLike<ResolvedEnvironment | undefined>;
}

function environmentsOf(exports: unknown): EnvironmentsApi | undefined {
    const environments = (exports as { environments?: unknown } | undefined)?.environments;
    if (
        environments !== null &&
        typeof environments === 'object' &&
        typeof (environments as { getActiveEnvironmentPath?: unknown }).getActiveEnvironmentPath === 'function'
    ) {
        return environments as EnvironmentsApi;
    }
    return undefined;
}

/**
 * The selected interpreter for a resource (a document or folder URI), or undefined when the
 * extension is missing, fails, or has none. `getActiveEnvironmentPath` can name an
 * environment folder; `resolveEnvironment` gives its executable when available.
 */
export async function selectedInterpreter(
    extension: ExtensionLike | undefined,
    resource: unknown,
): Promise<string | undefined> {
    if (!extension) {
        return undefined;
    }
    try {
        if (!extension.isActive) {
            await extension.activate();
        }
        const api = environmentsOf(extension.exports);
        const active = api?.getActiveEnvironmentPath(resource);
        if (!api || !active?.path) {
            return undefined;
        }
        if (api.resolveEnvironment) {
            const resolved = await api.resolveEnvironment(active);
            const executable = resolved?.executable?.uri?.fsPath;
            if (executable) {
                return executable;
            }
        }
        return active.path;
    } catch {
        return undefined;
    }
}

/** The extension's `onDidChangeActiveEnvironmentPath` event, when it has one. */
export function onInterpreterChange(
    extension: ExtensionLike | undefined,
): ((listener: () => void) => { dispose(): unknown }) | undefined {
    const environments = environmentsOf(extension?.isActive ? extension.exports : undefined) as
        | { onDidChangeActiveEnvironmentPath?: unknown }
        | undefined;
    const event = environments?.onDidChangeActiveEnvironmentPath;
    if (typeof event !== 'function') {
        return undefined;
    }
    return (listener) => (event as (l: () => void) => { dispose(): unknown }).call(environments, listener);
}
