import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type ExtensionLike, onInterpreterChange, selectedInterpreter } from '../src/pythonExtension';

function extension(environments: unknown, active = false): ExtensionLike & { activations: number } {
    const ext = {
        isActive: active,
        exports: { environments } as unknown,
        activations: 0,
        activate(): Promise<unknown> {
            ext.activations += 1;
            ext.isActive = true;
            return Promise.resolve(ext.exports);
        },
    };
    return ext;
}

describe("Python extension's interpreter", () => {
    test('activates the extension and asks for the resource, preferring the resolved executable', async () => {
        const seen: unknown[] = [];
        const ext = extension({
            getActiveEnvironmentPath: (resource: unknown) => {
                seen.push(resource);
                return { id: 'x', path: '/proj/.venv' };
            },
            resolveEnvironment: () => Promise.resolve({ executable: { uri: { fsPath: '/proj/.venv/bin/python' } } }),
        });
        assert.equal(await selectedInterpreter(ext, 'file:///proj/reply.txt'), '/proj/.venv/bin/python');
        assert.equal(ext.activations, 1);
        assert.deepEqual(seen, ['file:///proj/reply.txt']);
    });

    test('uses the path when it cannot resolve; undefined when missing, broken or without the API', async () => {
        const plain = extension({ getActiveEnvironmentPath: () => ({ path: '/usr/bin/python3' }) }, true);
        assert.equal(await selectedInterpreter(plain, undefined), '/usr/bin/python3');
        assert.equal(plain.activations, 0);
        assert.equal(await selectedInterpreter(undefined, undefined), undefined);
        assert.equal(await selectedInterpreter(extension(undefined), undefined), undefined);
        const broken = extension({
            getActiveEnvironmentPath: () => {
                throw new Error('not ready');
            },
        });
        assert.equal(await selectedInterpreter(broken, undefined), undefined);
    });

    test('subscribes to interpreter changes when the event exists', () => {
        const listeners: (() => void)[] = [];
        const ext = extension(
            {
                getActiveEnvironmentPath: () => ({ path: 'python' }),
                onDidChangeActiveEnvironmentPath: (l: () => void) => {
                    listeners.push(l);
                    return { dispose: () => undefined };
                },
            },
            true,
        );
        let changes = 0;
        const subscribe = onInterpreterChange(ext);
        assert.ok(subscribe);
        subscribe(() => (changes += 1));
        listeners.forEach((l) => {
            l();
        });
        assert.equal(changes, 1);
        assert.equal(onInterpreterChange(extension({ getActiveEnvironmentPath: () => undefined }, true)), undefined);
    });
});
