/**
 * Host overhead benchmark: the same hello handler on raw node:http, on functions-framework's server
 * (behind the transport guard),
 * and under our lean host, each in its own process, driven by autocannon with 64 connections.
 * Prints a Markdown table (req/s, p50, p99). Loopback only; stops by itself.
 */
import autocannon from 'autocannon';
import { built, freePort, startNode } from '../testing/processes';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 64;

async function measure(label: string, args: string[]): Promise<string> {
  const port = await freePort();
  const child = startNode(args, { PORT: String(port), NODE_ENV: 'production', LOG_LEVEL: 'error' });
  try {
    const url = `http://127.0.0.1:${port}/hello`;
    await child.waitForHttp(url);
    await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm-up
    const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return `| ${label} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} | ${r.latency.p99} |`;
  } finally {
    child.proc.kill('SIGTERM');
    await child.exited();
  }
}

async function main(): Promise<void> {
  const hello = built('scripts/bench/hello.js');
  const rows = [
    await measure('raw node:http', [built('scripts/bench/raw-hello.js')]),
    await measure('functions-framework host (functions/shared/framework-host.ts)', [
      built('functions/shared/framework-host.js'),
      '--target=hello',
      `--source=${hello}`,
    ]),
    await measure('lean host (functions/shared/host.ts)', [
      built('functions/shared/host.js'),
      '--target=hello',
      `--source=${hello}`,
    ]),
  ];
  console.log(`\nHost overhead: hello, ${CONNECTIONS} connections, ${DURATION_S} s each\n`);
  console.log('| host | req/s | p50 ms | p99 ms |\n|---|---|---|---|');
  for (const row of rows) console.log(row);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
