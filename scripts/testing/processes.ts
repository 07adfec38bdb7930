/** Test helpers for running our entry points as real child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../functions/shared/paths';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether `port` can be listened on (all interfaces, as the functions listen). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive free ports, below Linux's ephemeral range (32768 and up), so
 * that no outgoing connection takes one of them between this check and their use.
 */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - count));
    let free = true;
    for (let p = base; p < base + count && free; p++) free = await canListen(p);
    if (free) return base;
  }
  throw new Error(`no block of ${count} free ports`);
}

/** Path of a compiled file; fails clearly when `make build` has not run. */
export function built(path: string): string {
  const file = join(repoRoot(), 'dist', path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`make build\` first (make test does)`);
  return file;
}

/** A child process with its combined output collected. */
export interface Child {
  proc: ChildProcess;
  output(): string;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Waits until `url` answers 2xx; fails with the child's output if it exits or times out. */
  waitForHttp(url: string, timeoutMs?: number): Promise<void>;
  exited(): Promise<number | null>;
}

/** Spawns `node args…` with `env` added to ours. */
export function startNode(args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, args, {
    // No metrics server unless asked for (several hosts at once would all want 9464).
    env: { METRICS_PORT: 'off', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (c) => (out += c));
  proc.stderr?.on('data', (c) => (out += c));
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    output: () => out,
    exited: () => exit,
    async waitForHttp(url, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (proc.exitCode !== null)
          throw new Error(`process exited (${proc.exitCode}) before ${url} answered:\n${out}`);
        try {
          if ((await fetch(url)).ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async waitFor(text, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      const seen = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      while (!seen()) {
        if (proc.exitCode !== null)
          throw new Error(`process exited (${proc.exitCode}) before "${text}":\n${out}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/**
 * A port held open until `release()`: another process (parallel test workers pick free ports too)
 * cannot take it in the meantime, as it could a port from `freePort` while a child starts.
 */
export async function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  if (typeof addr !== 'object' || !addr) throw new Error('no port');
  return { port: addr.port, release: () => new Promise<void>((r) => srv.close(() => r())) };
}

/**
 * Starts a server process on a free port and waits until `GET <url>/<readyPath>` answers: when
 * another process took the port between choosing and binding it (EADDRINUSE), starts it again on
 * another port, up to `attempts` times.
 */
export async function startOnFreePort(
  start: (port: number) => Child,
  readyPath = '/healthz',
  opts: { attempts?: number; timeoutMs?: number } = {},
): Promise<{ child: Child; port: number; url: string }> {
  const attempts = opts.attempts ?? 5;
  for (let i = 1; ; i++) {
    const port = await freePort();
    const child = start(port);
    const url = `http://127.0.0.1:${port}`;
    try {
      await child.waitForHttp(`${url}${readyPath}`, opts.timeoutMs);
      return { child, port, url };
    } catch (err) {
      if (i >= attempts || !child.output().includes('EADDRINUSE')) throw err;
      await child.exited();
    }
  }
}
