import { promotedList, PROMOTED_TTL_MS, type PromotedSource } from './promoted';
import type { PromotedRow } from './store-listing';

/** A source that counts its loads; `next` is what it says about the next schedule boundary. */
function source(next: number | null = null) {
  const calls = { pages: [] as number[] };
  let fail = false;
  const src: PromotedSource & { calls: typeof calls; failNext(): void } = {
    calls,
    failNext: () => {
      fail = true;
    },
    async load(limit) {
      calls.pages.push(limit);
      if (fail) {
        fail = false;
        throw new Error('down');
      }
      return { rows: [{ sku: `TU-${calls.pages.length}` } as PromotedRow], nextChangeMs: next };
    },
  };
  return src;
}
const settle = () => new Promise((r) => setImmediate(r));

describe('promotedList', () => {
  it('shares one load per page size within the TTL, and loads again after it', async () => {
    let t = 1_000;
    const src = source();
    const list = promotedList(src, { now: () => t });
    const [a, b] = await Promise.all([list.get(24), list.get(24)]);
    expect(a).toBe(b);
    await list.get(5);
    expect(src.calls.pages).toEqual([24, 5]);
    t += PROMOTED_TTL_MS - 1;
    await list.get(24);
    expect(src.calls.pages).toEqual([24, 5]);
    t += 1;
    await list.get(24);
    expect(src.calls.pages).toEqual([24, 5, 24]);
  });

  it('never serves a list past the next schedule boundary', async () => {
    let t = 0;
    const src = source(1_200);
    const list = promotedList(src, { now: () => t });
    await list.get(24);
    await settle();
    t = 1_199;
    await list.get(24);
    expect(src.calls.pages).toHaveLength(1);
    t = 1_200;
    await list.get(24);
    expect(src.calls.pages).toHaveLength(2);
  });

  it('drops every entry, and a load in flight, when invalidated', async () => {
    const src = source();
    const list = promotedList(src, { now: () => 0 });
    const inFlight = list.get(24);
    list.invalidate();
    const after = await list.get(24);
    expect(await inFlight).not.toBe(after);
    await list.get(24);
    expect(src.calls.pages).toEqual([24, 24]);
  });

  it('forgets a failed load at once', async () => {
    const src = source();
    const list = promotedList(src, { now: () => 0 });
    src.failNext();
    await expect(list.get(24)).rejects.toThrow('down');
    await settle();
    expect(await list.get(24)).toEqual([{ sku: 'TU-2' }]);
  });
});
