/**
 * Helpers of the benchmarks: a scratch database on the services' PostgreSQL, a PRNG, Zipf picks,
 * a function served in its own process, and CPU accounting from /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { serviceEnv } from '../../functions/shared/clients/testing/service-env';
import { eventAuthEnv } from '../../functions/shared/eventing/testing';
import { built, freePort, startNode } from '../testing/processes';

/** Drops and creates database `name` on the services' PostgreSQL; returns its URL. */
export async function benchDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: serviceEnv('DATABASE_URL') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serviceEnv('DATABASE_URL'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** A deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks items as real traffic does: a few at the head asked over and over, a long tail asked once
 * in a while (Zipf with exponent `s` over the ranks of `items`).
 */
export function zipfPicker<T>(items: readonly T[], s = 1, seed = 7): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= items.length; rank++) cumulative.push((total += 1 / rank ** s));
  const rand = rng(seed);
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

/**
 * Serves function `name` on the lean host in its own process with production settings and `env`
 * (and the event-sender variables every CloudEvent function requires, trusting the test issuer).
 */
export async function serveFunction(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<{ base: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = startNode(
    [
      built('functions/shared/host.js'),
      `--target=${name}`,
      `--source=${built(`functions/${name}/index.js`)}`,
    ],
    { PORT: String(port), NODE_ENV: 'production', LOG_LEVEL: 'error', ...eventAuthEnv(name), ...env },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.proc.kill('SIGTERM');
    await child.exited();
  };
  try {
    await child.waitForHttp(`${base}/readyz`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, stop };
}

// CPU accounting from /proc (clock ticks of 10 ms)

/** Milliseconds per clock tick of /proc's CPU times. */
export const TICK_MS = 10;

/** A process's command line, '' when it is gone. */
export function cmdlineOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** User and system ticks a process has used (0 when it is gone). */
export function procTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime, stime
  } catch {
    return 0;
  }
}

/** Ticks of the PostgreSQL backends serving database `dbName`, by pid. */
export function backendTicks(dbName: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = cmdlineOf(entry);
    if (cmd.startsWith('postgres:') && cmd.includes(` ${dbName} `))
      out.set(Number(entry), procTicks(Number(entry)));
  }
  return out;
}

/** Busy and total ticks of the whole machine. */
export function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total };
}
