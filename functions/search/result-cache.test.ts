import { createResultCache } from './result-cache';

function setup(maxEntries = 3) {
  let t = 0;
  const cache = createResultCache({
    maxEntries,
    maxAgeMs: 60_000,
    settleMs: 1_500,
    unsettledTtlMs: 250,
    now: () => t,
  });
  let calls = 0;
  const compute = (value: string) => async () => {
    calls++;
    return value;
  };
  return {
    cache: {
      ...cache,
      get: async <T>(key: string, c: () => Promise<T>) => (await cache.get(key, c)).value,
      get size() {
        return cache.size;
      },
    },
    compute,
    calls: () => calls,
    at: (ms: number) => (t = ms),
  };
}

describe('search result cache', () => {
  it('computes every time until a change mark has been observed', async () => {
    const { cache, compute, calls } = setup();
    await cache.get('q', compute('a'));
    await cache.get('q', compute('a'));
    expect(calls()).toBe(2);
  });

  it('serves a settled answer until the mark moves, then computes again', async () => {
    const { cache, compute, calls, at } = setup();
    cache.observe('10:true');
    at(2_000);
    expect(await cache.get('q', compute('old'))).toBe('old');
    expect(await cache.get('q', compute('other'))).toBe('old');
    at(30_000);
    expect(await cache.get('q', compute('other'))).toBe('old');
    expect(calls()).toBe(1);
    cache.observe('10:true'); // the same mark again changes nothing
    expect(await cache.get('q', compute('other'))).toBe('old');
    cache.observe('11:true');
    expect(await cache.get('q', compute('new'))).toBe('new');
    expect(calls()).toBe(2);
  });

  it('keeps answers computed under an unsettled mark briefly, and never past the settle point', async () => {
    const { cache, compute, at } = setup();
    at(1_000);
    cache.observe('10:true');
    at(1_100);
    expect(await cache.get('q', compute('early'))).toBe('early');
    at(1_349);
    expect(await cache.get('q', compute('x'))).toBe('early');
    at(1_350); // 250 ms later: the engine may show more by now (Elasticsearch refreshes every second)
    expect(await cache.get('q', compute('second'))).toBe('second');
    at(2_400);
    expect(await cache.get('q', compute('late'))).toBe('late');
    at(2_499);
    expect(await cache.get('q', compute('x'))).toBe('late');
    at(2_500); // 1,000 + 1,500: settled; the answers before it may have missed a write
    expect(await cache.get('q', compute('settled'))).toBe('settled');
    at(50_000);
    expect(await cache.get('q', compute('x'))).toBe('settled');
  });

  it('drops everything on a local change, before the poller sees it', async () => {
    const { cache, compute, at } = setup();
    cache.observe('10:true');
    at(5_000);
    await cache.get('q', compute('before'));
    cache.changed();
    expect(await cache.get('q', compute('after'))).toBe('after');
    cache.observe('10:true'); // a poll that raced the commit: still the local, newer state
    expect(await cache.get('q', compute('x'))).toBe('after');
    at(7_000);
    cache.observe('12:true');
    expect(await cache.get('q', compute('polled'))).toBe('polled');
  });

  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const { cache, compute, calls, at } = setup(2);
    cache.observe('1:true');
    at(5_000);
    await cache.get('a', compute('a'));
    await cache.get('b', compute('b'));
    await cache.get('a', compute('a')); // a is now the most recent
    await cache.get('c', compute('c')); // evicts b
    expect(cache.size).toBe(2);
    expect(calls()).toBe(3);
    await cache.get('a', compute('a'));
    expect(calls()).toBe(3);
    await cache.get('b', compute('b'));
    expect(calls()).toBe(4);
  });

  it('shares one computation between concurrent callers and does not cache failures', async () => {
    const { cache, calls, at } = setup();
    cache.observe('1:true');
    at(5_000);
    let release!: (v: string) => void;
    let n = 0;
    const slow = () => {
      n++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.get('q', slow), cache.get('q', slow)]);
    release('shared');
    expect(await both).toEqual(['shared', 'shared']);
    expect(n).toBe(1);
    const failing = async () => {
      throw new Error('engine down');
    };
    await expect(cache.get('f', failing)).rejects.toThrow('engine down');
    await expect(cache.get('f', async () => 'ok')).resolves.toBe('ok');
    expect(calls()).toBe(0);
  });

  it('does not store an answer computed under a mark that moved meanwhile', async () => {
    const { cache, compute, calls, at } = setup();
    cache.observe('1:true');
    at(5_000);
    let release!: (v: string) => void;
    const pending = cache.get('q', () => new Promise<string>((resolve) => (release = resolve)));
    cache.observe('2:true');
    release('stale');
    expect(await pending).toBe('stale');
    at(10_000);
    expect(await cache.get('q', compute('fresh'))).toBe('fresh');
    expect(calls()).toBe(1);
  });

  it('says whether an answer came from the cache', async () => {
    let t = 0;
    const cache = createResultCache({
      maxEntries: 10,
      maxAgeMs: 60_000,
      settleMs: 0,
      unsettledTtlMs: 250,
      now: () => t,
    });
    cache.observe('1:true');
    t = 10;
    expect(await cache.get('q', async () => 1)).toEqual({ value: 1, hit: false });
    expect(await cache.get('q', async () => 2)).toEqual({ value: 1, hit: true });
  });

  it('caches nothing when turned off or when the mark is unknown', async () => {
    const off = setup(0);
    off.cache.observe('1:true');
    off.at(5_000);
    await off.cache.get('q', off.compute('a'));
    await off.cache.get('q', off.compute('a'));
    expect(off.calls()).toBe(2);
    const lost = setup();
    lost.cache.observe('1:true');
    lost.at(5_000);
    await lost.cache.get('q', lost.compute('a'));
    lost.cache.unknown(); // the poller could not read the mark
    lost.cache.changed();
    await lost.cache.get('q', lost.compute('a'));
    await lost.cache.get('q', lost.compute('a'));
    expect(lost.calls()).toBe(3);
  });
});
