/**
 * The checkout saga's payment commands over signed CloudEvents against real PostgreSQL and the
 * MoMo and Stripe simulators: each command is answered by one payment reply in the outbox. A
 * create replies with the customer's next step (MoMo's pay URL; Stripe's client secret only named,
 * never carried; nothing for cash on delivery) and is the same payment when sent again; over the
 * rail's limit it is refused in both languages. A capture takes less than the hold; a void undoes
 * what is there to undo (nothing for an unknown payment); a refund answers with its amount. A
 * capture cut off by a provider outage answers 5xx without a reply and, redelivered, captures once.
 */
import { paymentRequested, type DataOf, type TuoiCloudEvent } from '../../events';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { notificationRelay, startPayment, type RunningPayment } from './testing';

const SIM = `http://127.0.0.1:${process.env.SIM_MOMO_PORT ?? '58411'}`;
const STRIPE = `http://127.0.0.1:${process.env.SIM_STRIPE_PORT ?? '58413'}`;
const REPLIED = 'io.tuoi.payment.saga.replied.v1';
/** Ids unique to this run, so a simulator that outlives it never answers with an earlier run's orders. */
const RUN = Date.now().toString(36);

let db: TestDatabase;
let fn: RunningPayment;
let relay: Awaited<ReturnType<typeof notificationRelay>>;

const sim = async <T = Record<string, unknown>>(path: string, json?: unknown): Promise<T> => {
  const res = await fetch(`${SIM}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return (await res.json()) as T;
};

type Command = DataOf<typeof paymentRequested>;
const ids = (name: string) => ({ order_id: `ord-${name}${RUN}`, payment_id: `pay-${name}-${RUN}` });

/** A create command for `name` (its order and payment ids derive from it). */
const createCommand = (name: string, extra: Partial<Extract<Command, { action: 'create' }>> = {}) =>
  buildEvent(paymentRequested, {
    ...ids(name),
    action: 'create',
    customer_id: 'cust-1',
    rail: 'momo',
    amount_vnd: 575_000,
    return_url: 'https://tuoi.vn/checkout/return',
    lang: 'vi',
    ...extra,
  });

/** Delivers a command as the router does. */
async function deliver(event: TuoiCloudEvent) {
  const res = await fn.deliver(event);
  await res.arrayBuffer();
  return { status: res.status, delivery: res.headers.get('x-tuoi-delivery') };
}

/** The order's replies in the outbox, oldest first, with their event ids. */
async function replies(name: string) {
  const { rows } = await db.pool.query(
    `SELECT event->>'id' AS id, event->'data' AS data FROM payment.outbox
     WHERE event->>'type' = $1 AND event->'data'->>'order_id' = $2 ORDER BY outbox.id`,
    [REPLIED, ids(name).order_id],
  );
  return rows as { id: string; data: Record<string, unknown> }[];
}

/** Delivers `event` (answered 204) and returns the reply it produced. */
async function answered(name: string, event: TuoiCloudEvent) {
  expect((await deliver(event)).status).toBe(204);
  const reply = (await replies(name)).find((r) => r.id === `${event.id}.reply`);
  expect(reply).toBeDefined();
  return reply!.data;
}

/** Creates `name`'s MoMo payment through the saga and approves it as the customer would (the IPN reaches the function). */
async function held(name: string) {
  const reply = await answered(name, createCommand(name));
  expect(reply).toMatchObject({ outcome: 'done', status: 'pending', next_action: 'redirect' });
  await sim('/_sim/pay', { orderId: ids(name).payment_id, action: 'approve' });
  const res = await fn.call('GET', `/payments/${ids(name).payment_id}`, { as: 'checkout' });
  expect(await res.json()).toMatchObject({ status: 'authorised', authorised_vnd: 575_000 });
}

const command = (name: string, data: Record<string, unknown>) =>
  buildEvent(paymentRequested, { ...ids(name), ...data } as Command);

beforeAll(async () => {
  db = await freshDatabase({ poolSize: 10 });
  // MoMo posts IPNs to the URL given at create; the relay forwards them to the function.
  relay = await notificationRelay();
  fn = await startPayment(db.url, {
    DB_POOL_SIZE: '10',
    WEBHOOK_BASE_URL: relay.base,
    MOMO_API_URL: SIM,
    MOMO_PARTNER_CODE: 'TUOISIM',
    MOMO_ACCESS_KEY: 'tuoi-sim-access',
    MOMO_SECRET_KEY: 'tuoi-sim-secret-key-000000000000',
    STRIPE_API_BASE: STRIPE,
    STRIPE_SECRET_KEY: 'sk_test_tuoi',
    STRIPE_WEBHOOK_SECRET: 'whsec_tuoi_test_0123456789',
  });
  relay.target = fn.base;
  // Other files leave the simulator with their own credentials, failures or latency: back to defaults.
  await sim('/_sim/reset', {});
});

afterAll(async () => {
  await relay?.close();
  await fn?.close();
  await db?.drop();
});

describe('create', () => {
  it('on MoMo: done, pending, with the simulator pay URL to redirect to', async () => {
    const reply = await answered('create1', createCommand('create1'));
    expect(reply).toMatchObject({
      ...ids('create1'),
      action: 'create',
      outcome: 'done',
      status: 'pending',
      next_action: 'redirect',
    });
    expect(reply.reason).toBeUndefined();
    const url = new URL(reply.redirect_url as string);
    expect(url.origin).toBe(SIM);
    const { orders } = await sim<{ orders: { payUrl?: string }[] }>(
      `/_sim/orders?orderId=${ids('create1').payment_id}`,
    );
    expect(orders).toHaveLength(1);
  });

  it('on cash on delivery: done, pending, nothing for the customer to do', async () => {
    const reply = await answered('cod1', createCommand('cod1', { rail: 'cod', amount_vnd: 412_000 }));
    expect(reply).toMatchObject({ outcome: 'done', status: 'pending', next_action: 'none' });
    expect(reply.redirect_url).toBeUndefined();
  });

  it('on Stripe: the reply says to confirm with the client secret but never carries it', async () => {
    const reply = await answered('stripe1', createCommand('stripe1', { rail: 'stripe' }));
    expect(reply).toMatchObject({ outcome: 'done', status: 'pending', next_action: 'client_secret' });
    const res = await fn.call('GET', `/payments/${ids('stripe1').payment_id}`, {
      as: { customer: 'cust-1' },
    });
    const secret = ((await res.json()) as { next_action: { client_secret: string } }).next_action
      .client_secret;
    expect(secret).toMatch(/secret/);
    const { rows } = await db.pool.query(`SELECT event::text AS text FROM payment.outbox`);
    for (const row of rows) expect(row.text).not.toContain(secret);
  });

  it('sent twice (and delivered twice) is one payment and one MoMo order, replied each time', async () => {
    const first = createCommand('twice');
    const again = createCommand('twice');
    expect(await answered('twice', first)).toMatchObject({ outcome: 'done', next_action: 'redirect' });
    expect(await deliver(first)).toEqual({ status: 204, delivery: 'duplicate' });
    const replay = await answered('twice', again);
    expect(replay).toMatchObject({ outcome: 'done', status: 'pending', next_action: 'redirect' });
    expect((await replies('twice')).map((r) => r.id)).toEqual([`${first.id}.reply`, `${again.id}.reply`]);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM payment.payments WHERE order_id = $1`,
      [ids('twice').order_id],
    );
    expect(rows[0].n).toBe(1);
    const { orders } = await sim<{ orders: unknown[] }>(`/_sim/orders?orderId=${ids('twice').payment_id}`);
    expect(orders).toHaveLength(1);
  });

  it("over MoMo's limit is refused with the reason in both languages, and nothing is created", async () => {
    const reply = await answered('big', createCommand('big', { amount_vnd: 50_000_001 }));
    expect(reply).toMatchObject({
      outcome: 'refused',
      reason: {
        code: 'amount',
        message: {
          en: 'MoMo takes at most 50,000,000 ₫ per payment',
          vi: 'MoMo chỉ nhận tối đa 50.000.000 ₫ mỗi giao dịch',
        },
      },
    });
    expect((await fn.call('GET', `/payments/${ids('big').payment_id}`, { as: 'checkout' })).status).toBe(404);
  });
});

describe('capture, void, refund', () => {
  it('captures less than the hold once approved, refuses a void after it, refunds part', async () => {
    await held('cap1');
    const captured = await answered('cap1', command('cap1', { action: 'capture', amount_vnd: 538_400 }));
    expect(captured).toMatchObject({
      action: 'capture',
      outcome: 'done',
      status: 'partially_captured',
      captured_vnd: 538_400,
    });
    const over = await answered('cap1', command('cap1', { action: 'capture', amount_vnd: 600_000 }));
    expect(over).toMatchObject({ outcome: 'refused', reason: { code: 'conflict' } });

    const voided = await answered('cap1', command('cap1', { action: 'void' }));
    expect(voided).toMatchObject({
      outcome: 'refused',
      reason: { code: 'captured' },
      status: 'partially_captured',
    });
    expect(voided.reason).toMatchObject({ message: { en: expect.any(String), vi: expect.any(String) } });

    const refundId = `ref-cap1-${RUN}`;
    const refund = { action: 'refund', refund_id: refundId, amount_vnd: 38_400, reason: 'short pick' };
    const refunded = await answered('cap1', command('cap1', refund));
    expect(refunded).toMatchObject({
      action: 'refund',
      outcome: 'done',
      refund_id: refundId,
      refunded_vnd: 38_400,
      status: 'partially_refunded',
    });
    const tooMuch = await answered(
      'cap1',
      command('cap1', { ...refund, refund_id: `ref-cap1b-${RUN}`, amount_vnd: 500_001 }),
    );
    expect(tooMuch).toMatchObject({
      outcome: 'refused',
      reason: {
        code: 'over_captured',
        message: {
          en: 'Only 500,000 ₫ of what was captured is left to refund; 500,001 ₫ cannot be refunded',
          vi: 'Chỉ còn 500.000 ₫ đã thu có thể hoàn; không thể hoàn 500.001 ₫',
        },
      },
    });
    const { ledger } = await sim<{ ledger: { type: string }[] }>('/_sim/ledger');
    const mine = ledger.filter((l) => JSON.stringify(l).includes(ids('cap1').payment_id));
    expect(mine.filter((l) => l.type === 'capture')).toHaveLength(1);
  });

  it('refuses a capture over the hold with both amounts', async () => {
    await held('cap2');
    const over = await answered('cap2', command('cap2', { action: 'capture', amount_vnd: 575_001 }));
    expect(over).toMatchObject({
      outcome: 'refused',
      status: 'authorised',
      reason: {
        code: 'over_hold',
        message: {
          en: 'Only 575,000 ₫ is held; 575,001 ₫ cannot be captured',
          vi: 'Chỉ giữ 575.000 ₫; không thể thu 575.001 ₫',
        },
      },
    });
  });

  it('voids a pending MoMo payment (nothing held) and an approved one; a void of an unknown payment is done', async () => {
    await answered('void1', createCommand('void1'));
    expect(await answered('void1', command('void1', { action: 'void' }))).toMatchObject({
      action: 'void',
      outcome: 'done',
      status: 'pending',
    });

    await held('void2');
    expect(await answered('void2', command('void2', { action: 'void' }))).toMatchObject({
      outcome: 'done',
      status: 'voided',
    });
    // Again (the saga compensating twice): nothing left to undo.
    expect(await answered('void2', command('void2', { action: 'void' }))).toMatchObject({
      outcome: 'done',
      status: 'voided',
    });

    const unknown = await answered('void3', command('void3', { action: 'void' }));
    expect(unknown).toMatchObject({ ...ids('void3'), outcome: 'done' });
    expect(unknown.status).toBeUndefined();
  });
});

describe('a late approval', () => {
  it('is released by the next void: the customer approved a payment the saga had already voided', async () => {
    await answered('late1', createCommand('late1'));
    expect(await answered('late1', command('late1', { action: 'void' }))).toMatchObject({
      outcome: 'done',
      status: 'pending',
    });
    // The customer was still on MoMo's page and approves: the money is held after the void.
    await sim('/_sim/pay', { orderId: ids('late1').payment_id, action: 'approve' });
    const res = await fn.call('GET', `/payments/${ids('late1').payment_id}`, { as: 'checkout' });
    expect(await res.json()).toMatchObject({ status: 'authorised' });
    // The saga hears payment.authorised for a cancelled order and voids again: this one releases it.
    expect(await answered('late1', command('late1', { action: 'void' }))).toMatchObject({
      outcome: 'done',
      status: 'voided',
    });
    // MoMo was told: the hold is cancelled at the provider, not left to lapse.
    const orders = await sim<{ orders: { status: number }[] }>(
      `/_sim/orders?orderId=${ids('late1').payment_id}`,
    );
    expect(orders.orders[0]!.status).toBe(1017);
  });
});

describe('a provider outage', () => {
  it('answers 5xx without a reply; the redelivered command captures once', async () => {
    await held('out1');
    const capture = command('out1', { action: 'capture', amount_vnd: 575_000 });
    await sim('/_sim/fail', { count: 10, only: 'POST /v2/gateway/api/confirm' });
    try {
      expect((await deliver(capture)).status).toBeGreaterThanOrEqual(500);
    } finally {
      await sim('/_sim/fail', { count: 0 });
    }
    expect(await replies('out1')).toHaveLength(1); // the create's only
    const again = await deliver(capture);
    expect(again).toEqual({ status: 204, delivery: 'processed' });
    expect(await answered('out1', capture)).toMatchObject({
      outcome: 'done',
      status: 'captured',
      captured_vnd: 575_000,
    });
    const { ledger } = await sim<{ ledger: { type: string }[] }>('/_sim/ledger');
    const mine = ledger.filter((l) => JSON.stringify(l).includes(ids('out1').payment_id));
    expect(mine.filter((l) => l.type === 'capture')).toHaveLength(1);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM payment.outbox WHERE event->>'type' = 'io.tuoi.payment.captured.v1'
         AND event->'data'->>'payment_id' = $1`,
      [ids('out1').payment_id],
    );
    expect(rows[0].n).toBe(1);
  });
});
