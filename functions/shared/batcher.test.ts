import { createBatcher } from './batcher';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('reservation batcher', () => {
  it('runs an idle lane at once, then batches what arrived meanwhile, in arrival order', async () => {
    const batches: number[][] = [];
    const first = gate();
    const batcher = createBatcher<number, string>({
      lanes: 1,
      maxBatch: 100,
      key: () => 'k',
      async run(batch) {
        batches.push(batch);
        if (batches.length === 1) await first.opened;
        return batch.map((n) => `r${n}`);
      },
    });
    const results = [batcher.submit(1), batcher.submit(2), batcher.submit(3), batcher.submit(4)];
    first.open();
    expect(await Promise.all(results)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(batcher.stats()).toEqual({ batches: 2, requests: 4, largest: 3 });
  });

  it('caps a batch at maxBatch', async () => {
    const sizes: number[] = [];
    const first = gate();
    const batcher = createBatcher<number, number>({
      lanes: 1,
      maxBatch: 2,
      key: String,
      async run(batch) {
        sizes.push(batch.length);
        if (sizes.length === 1) await first.opened;
        return batch;
      },
    });
    const all = Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.submit(n)));
    first.open();
    expect(await all).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sizes).toEqual([1, 2, 2, 1]);
  });

  it('fails only the batch that failed, and keeps serving', async () => {
    let calls = 0;
    const batcher = createBatcher<number, number>({
      lanes: 1,
      maxBatch: 10,
      key: () => 'k',
      async run(batch) {
        calls++;
        if (calls === 1) throw new Error('database down');
        return batch.map((n) => n * 10);
      },
    });
    await expect(batcher.submit(1)).rejects.toThrow('database down');
    await expect(batcher.submit(2)).resolves.toBe(20);
  });

  it('keeps one key in one lane, so two requests with the same id never run concurrently', async () => {
    const running = new Set<string>();
    let overlap = false;
    const batcher = createBatcher<string, string>({
      lanes: 4,
      maxBatch: 1,
      key: (id) => id,
      async run(batch) {
        for (const id of batch) {
          if (running.has(id)) overlap = true;
          running.add(id);
        }
        await new Promise((r) => setTimeout(r, 5));
        for (const id of batch) running.delete(id);
        return batch;
      },
    });
    await Promise.all(Array.from({ length: 40 }, (_, i) => batcher.submit(`id-${i % 5}`)));
    expect(overlap).toBe(false);
  });
});
