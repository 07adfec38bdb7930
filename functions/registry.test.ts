import { contracts } from '../events';
import { functionForPath, hostOf, registry, registryProblems, triggers, type FunctionSpec } from './registry';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

describe('registry', () => {
  it('is consistent', () => expect(registryProblems()).toEqual([]));

  it.each(registry.map((fn) => [fn.name]))('%s has a folder with an index.ts', (name) => {
    expect(existsSync(join(__dirname, name, 'index.ts'))).toBe(true);
  });

  it('every event producer is a registered function', () => {
    const names = registry.map((f) => f.name);
    for (const c of contracts) expect(names).toContain(c.producer);
  });

  it('routes by longest prefix and only on segment boundaries', () => {
    const fns: FunctionSpec[] = [
      {
        name: 'a',
        description: '',
        trigger: 'http',
        routes: ['/products'],
        subscriptions: [],
        scaling: 'standard',
        uses: [],
      },
      {
        name: 'b',
        description: '',
        trigger: 'http',
        routes: ['/products/popular'],
        subscriptions: [],
        scaling: 'standard',
        uses: [],
      },
    ];
    expect(functionForPath('/products/123', fns)?.name).toBe('a');
    expect(functionForPath('/products/popular', fns)?.name).toBe('b');
    expect(functionForPath('/products', fns)?.name).toBe('a');
    expect(functionForPath('/productsx', fns)).toBeUndefined();
  });

  it.each([
    [{ trigger: 'http', routes: [] }, 'trigger http but 0 routes'],
    [{ trigger: 'cloudevent', routes: [], subscriptions: [] }, 'trigger cloudevent but 0 subscriptions'],
    [{ subscriptions: [{ type: 'io.tuoi.unknown.v1' }], trigger: 'http+cloudevent' }, 'has no contract'],
    [{ name: 'Bad_Name' }, 'DNS label'],
    [{ maxBodyBytes: 64 * 1024 * 1024 }, 'maxBodyBytes must be'],
    [{ webhooks: ['/hooks/momo'] }, 'webhook /hooks/momo is not one of its routes'],
    [{ uses: ['hooks'] }, 'uses hooks but declares no webhooks'],
    [{ wake: '*/5 * * * *' }, 'only a function that scales to zero needs waking'],
    [{ wake: 'every 5 minutes', scaling: 'scale-to-zero' }, 'five-field cron schedule'],
  ] as const)('reports %j', (patch, message) => {
    const fn = {
      name: 'x',
      description: '',
      trigger: 'http',
      routes: ['/x'],
      subscriptions: [],
      scaling: 'standard',
      uses: [],
      ...patch,
    };
    expect(registryProblems([fn as unknown as FunctionSpec]).join('\n')).toContain(message);
  });

  it('names one trigger per (function, type) with Knative-like delivery defaults', () => {
    expect(triggers()).toContainEqual(
      expect.objectContaining({
        name: 'pulse--platform-pulse-v1',
        subscriber: 'pulse',
        type: 'io.tuoi.platform.pulse.v1',
      }),
    );
    expect(triggers()[0]?.delivery).toEqual({
      retry: 5,
      backoffPolicy: 'exponential',
      backoffDelayMs: 200,
      timeoutMs: 10000,
    });
  });

  it('serves scale-out functions on the lean host, the rest on functions-framework, unless one is named', () => {
    const fn = (scaling: FunctionSpec['scaling'], host?: FunctionSpec['host']) =>
      ({ name: 'x', scaling, ...(host ? { host } : {}) }) as FunctionSpec;
    expect(hostOf(fn('scale-out'))).toBe('lean');
    expect(hostOf(fn('always-on'))).toBe('framework');
    expect(hostOf(fn('always-on', 'lean'))).toBe('lean');
    expect(hostOf(fn('scale-out', 'framework'))).toBe('framework');
    expect(hostOf(registry.find((f) => f.name === 'promotions')!)).toBe('lean');
  });
});
