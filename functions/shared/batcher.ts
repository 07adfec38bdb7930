/**
 * Group commit for reservations: requests queue per lane; while a lane's transaction runs, new
 * requests wait and then go together in the next one. An idle lane starts at once (no added
 * latency at low load); under load a batch holds everything that arrived during the previous one,
 * so a hot SKU's lot row is written once per batch rather than once per buyer. Requests with the
 * same key always share a lane, so they never run in two transactions at once.
 */

/** Options of a batcher. */
export interface BatcherOptions<Req, Out> {
  /** Decides one batch; returns one outcome per request, in order. */
  run(batch: Req[]): Promise<Out[]>;
  key(req: Req): string;
  /** Transactions in flight at once (connections used). */
  lanes: number;
  /** Most requests in one transaction. */
  maxBatch: number;
}

interface Pending<Req, Out> {
  req: Req;
  resolve(out: Out): void;
  reject(err: unknown): void;
}

/** A batcher: `submit` resolves with the request's outcome once its batch has committed. */
export function createBatcher<Req, Out>(opts: BatcherOptions<Req, Out>) {
  const lanes = Array.from({ length: Math.max(1, opts.lanes) }, () => ({
    queue: [] as Pending<Req, Out>[],
    busy: false,
  }));
  const laneOf = (key: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return lanes[(h >>> 0) % lanes.length]!;
  };
  const stats = { batches: 0, requests: 0, largest: 0 };

  function pump(lane: (typeof lanes)[number]): void {
    if (lane.busy || lane.queue.length === 0) return;
    lane.busy = true;
    const batch = lane.queue.splice(0, opts.maxBatch);
    stats.batches++;
    stats.requests += batch.length;
    stats.largest = Math.max(stats.largest, batch.length);
    opts
      .run(batch.map((p) => p.req))
      .then(
        (outs) => batch.forEach((p, i) => p.resolve(outs[i]!)),
        (err) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => {
        lane.busy = false;
        pump(lane);
      });
  }

  return {
    submit(req: Req): Promise<Out> {
      return new Promise<Out>((resolve, reject) => {
        const lane = laneOf(opts.key(req));
        lane.queue.push({ req, resolve, reject });
        pump(lane);
      });
    },
    /** Batches run and requests decided so far (for logs and benchmarks). */
    stats: () => ({ ...stats }),
  };
}
