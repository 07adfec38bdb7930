/**
 * The MoMo simulator (infra/simulators/momo) run for real on a free port: the transIds it hands
 * out stay unique across a `/_sim/reset` and a restart of its process, since the payment function
 * dedupes IPNs by `transId:resultCode` and keeps a transId on one payment only, in a database that
 * outlives the simulator under `make dev`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../../shared/paths';

const SERVER = join(repoRoot(), 'infra/simulators/momo/server.mjs');
const SECRET = 'tuoi-sim-secret-key-000000000000';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

let port: number;
let child: ChildProcess | undefined;

async function start(): Promise<void> {
  child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: String(port), IPN_URL: 'http://127.0.0.1:9/' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout!, 'data'); // "momo simulator on …" once listening
}

async function stop(): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

const post = async (path: string, body: Record<string, unknown>) =>
  (await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json())) as Record<string, unknown>;

/** Creates a wallet hold as the adapter would (signed), approves it as the customer, answers its transId. */
async function approvedTransId(orderId: string): Promise<number> {
  const f = {
    accessKey: 'tuoi-sim-access',
    amount: 10_000,
    extraData: '',
    ipnUrl: 'http://127.0.0.1:9/ipn',
    orderId,
    orderInfo: 'test',
    partnerCode: 'TUOISIM',
    redirectUrl: 'http://127.0.0.1:9/back',
    requestId: `${orderId}-create`,
    requestType: 'captureWallet',
  };
  const raw = Object.entries(f)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const { accessKey: _, ...body } = f;
  const created = await post('/v2/gateway/api/create', {
    ...body,
    autoCapture: false,
    signature: createHmac('sha256', SECRET).update(raw).digest('hex'),
  });
  expect(created.resultCode).toBe(0);
  const paid = (await post('/_sim/pay', { orderId, action: 'approve' })) as { order: { transId: number } };
  return paid.order.transId;
}

beforeAll(async () => {
  port = await freePort();
});
afterEach(stop);

describe('MoMo simulator transIds', () => {
  it('stay unique and increasing across a reset and a restart, as Longs', async () => {
    await start();
    const first = [await approvedTransId('ord-a1'), await approvedTransId('ord-a2')];
    await post('/_sim/reset', {});
    first.push(await approvedTransId('ord-a1'));
    await stop();
    await start();
    // The same orderIds as before the restart, as a fresh simulator sees them.
    const second = [await approvedTransId('ord-a1'), await approvedTransId('ord-a2')];
    const all = [...first, ...second];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual(all);
    for (const id of all) expect(Number.isSafeInteger(id) && id > 0).toBe(true);
  });
});
