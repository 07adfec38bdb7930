/**
 * The notification function end to end against real servers: PostgreSQL, the user function (the
 * contact book, with the notification function's own client), the SendGrid and Twilio APIs as
 * Prism serves their vendors' OpenAPI documents (a request the spec rejects fails), the Firestore
 * emulator for the in-app feed, and the receipts simulator signing as the providers do.
 * - a registration delivered 20 times at once: one email, its secret only in the message;
 * - a whole register → verify run logs no secret, at debug;
 * - a code by SMS, then Twilio's status callback (and its repeat, and a forgery);
 * - an order message on email and in-app, following the customer's preferences;
 * - a payment event before its order is known waits for it, then goes;
 * - marketing only with opt-in; a provider that is down: retried, then dead;
 * - a crash mid-hand-over: dead with an unknown outcome, never sent again; a late receipt still lands.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { TuoiCloudEvent } from '../../events';
import { configureLogging } from '../shared/log';
import { createFirestore } from '../shared/clients/firestore';
import { serviceEnv } from '../shared/clients/testing/service-env';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { repoRoot } from '../shared/paths';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { clientStore } from '../user/clients';
import { passwordHasher } from '../user/passwords';
import { accountStore } from '../user/store';
import { startUser, type RunningUser } from '../user/testing';
import { SCHEMA as USERS } from '../user/deps';
import { createNotification } from './deps';

const SIM = `http://127.0.0.1:${serviceEnv('SIM_NOTIFY_PORT')}`;
const CLIENT_SECRET = 'test-notify-client-secret-000000';
const TWILIO_TOKEN = 'dev-twilio-auth-token-0000000000';
const FEEDS = `feeds-${Date.now().toString(36)}`;

let db: TestDatabase;
let user: RunningUser;
let fn: LeanServer;
let base: string;
const lines: string[] = [];

const envFor = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  DATABASE_URL: db.url,
  LOG_LEVEL: 'debug',
  AUTH_JWKS_URL: `${user.base}/.well-known/jwks.json`,
  ...eventAuthEnv('notification'),
  NOTIFY_USER_URL: user.base,
  NOTIFY_CLIENT_SECRET: CLIENT_SECRET,
  NOTIFY_SEAL_KEY: 'test-seal-key-0123456789abcdef',
  SHOP_URL: 'https://shop.tuoi.test',
  NOTIFY_TICK_MS: '100',
  SENDGRID_API_KEY: 'SG.test-key',
  SENDGRID_API_URL: serviceEnv('SENDGRID_API_URL'),
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  TWILIO_API_URL: serviceEnv('TWILIO_API_URL'),
  TWILIO_FROM: '+15005550006',
  FIRESTORE_PROJECT_ID: serviceEnv('FIRESTORE_PROJECT_ID'),
  FIRESTORE_EMULATOR_HOST: serviceEnv('FIRESTORE_EMULATOR_HOST'),
  NOTIFY_FEED_COLLECTION: FEEDS,
  ...extra,
});

beforeAll(async () => {
  configureLogging({ level: 'debug', sink: (line) => lines.push(line) });
  db = await freshDatabase({ poolSize: 8 });
  user = await startUser(db.url);
  await clientStore(USERS).put(db.pool, passwordHasher(), {
    id: 'notification',
    scopes: ['users:read'],
    secret: CLIENT_SECRET,
  });
  const key = (await (await fetch(`${SIM}/_sim/sendgrid/public-key`)).json()) as { public_key: string };
  // Twilio signs the URL it calls, so the function must know its own address before it starts.
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  fn = await serveLean(
    { name: 'notification', create: createNotification },
    { port, env: envFor({ SENDGRID_WEBHOOK_PUBLIC_KEY: key.public_key, WEBHOOK_BASE_URL: base }) },
  );
});

afterAll(async () => {
  await fn?.close();
  await user?.close();
  await db?.drop();
  configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
});

/** The user function's newest event of `type` about `field = value`. */
async function eventOf(type: string, field: string, value: string): Promise<TuoiCloudEvent> {
  const { rows } = await db.pool.query<{ event: TuoiCloudEvent }>(
    `SELECT event FROM ${USERS}.outbox WHERE event->>'type' = $1 AND event->'data'->>$2 = $3 ORDER BY id DESC LIMIT 1`,
    [type, field, value],
  );
  if (!rows[0]) throw new Error(`no ${type} for ${value}`);
  return rows[0].event;
}

interface Message {
  id: string;
  channel: string;
  recipient: string;
  status: string;
  template: string;
  provider: string | null;
  provider_id: string | null;
  attempts: number;
  last_error: string | null;
  sms_segments: number | null;
}

const messagesOf = async (eventId: string) =>
  (
    await db.pool.query<Message>(
      `SELECT * FROM notifications.messages WHERE event_id = $1 ORDER BY channel`,
      [eventId],
    )
  ).rows;

/** Polls until `check` passes (the function sends on its own clock). */
async function until<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const deliver = async (event: TuoiCloudEvent) => (await signedDelivery(base, 'notification', event)).status;
const key = (e: TuoiCloudEvent) => `${e.source}#${e.id}`;
const PASSWORD = 'Rau-muong-xao-toi-2026';

/** Registers by email, delivers the event, verifies with the link's token; returns id, token, event. */
async function registered(verify = true) {
  const email = `lan.${randomUUID().slice(0, 8)}@example.vn`;
  expect(
    (await user.call('POST', '/auth/register', { json: { email, password: PASSWORD, lang: 'en' } })).status,
  ).toBe(202);
  const event = await eventOf('io.tuoi.user.registered.v1', 'to', email);
  const data = event.data as { user_id: string; verification: { token: string } };
  const statuses = await Promise.all(Array.from({ length: 20 }, () => deliver(event)));
  expect(statuses.every((s) => s < 300)).toBe(true);
  if (verify)
    expect(
      (await user.call('POST', '/auth/verify', { json: { token: data.verification.token } })).status,
    ).toBe(200);
  const login = await user.call('POST', '/auth/login', { json: { identifier: email, password: PASSWORD } });
  const { access_token } = (await login.json()) as { access_token: string };
  return { email, userId: data.user_id, secret: data.verification.token, event, token: access_token };
}

it('sends a registration delivered 20 times at once as one email, keeping its secret out of the log, the tables and the logs', async () => {
  const r = await registered();
  const [sent] = await until(
    () => messagesOf(key(r.event)),
    (m) => m.length > 0 && m.every((x) => x.status === 'queued'),
  );
  expect(await messagesOf(key(r.event))).toHaveLength(1);
  expect(sent).toMatchObject({
    channel: 'email',
    recipient: r.email,
    template: 'welcome',
    provider: 'sendgrid',
    attempts: 1,
  });
  // The secret: sealed while it waited, gone once sent, never in a table or a log line.
  const { rows } = await db.pool.query(`SELECT data, sealed FROM notifications.intake WHERE event_id = $1`, [
    key(r.event),
  ]);
  expect(rows[0].sealed).toBeNull();
  expect(JSON.stringify(rows[0].data)).not.toContain(r.secret);
  const dump = await db.pool.query(`SELECT row_to_json(m)::text AS t FROM notifications.messages m`);
  expect(dump.rows.map((x) => x.t).join('\n')).not.toContain(r.secret);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.filter((l) => l.includes(r.secret))).toEqual([]);
});

it('sends a code by SMS through Twilio and takes its status callback once; a forged one is refused', async () => {
  const phone = `+8490${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  expect((await user.call('POST', '/auth/register', { json: { phone, password: PASSWORD } })).status).toBe(
    202,
  );
  const event = await eventOf('io.tuoi.user.registered.v1', 'to', phone);
  const secret = (event.data as { verification: { token: string } }).verification.token;
  expect(await deliver(event)).toBeLessThan(300);
  const [sms] = await until(
    () => messagesOf(key(event)),
    (m) => m[0]?.status === 'queued',
  );
  expect(sms).toMatchObject({ channel: 'sms', recipient: phone, provider: 'twilio' });
  expect(sms!.provider_id).toMatch(/^(SM|MM)[0-9a-f]{32}$/);
  expect(sms!.sms_segments).toBeGreaterThanOrEqual(1);
  const callback = (extra: Record<string, unknown> = {}) =>
    fetch(`${SIM}/_sim/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `${base}/notification/webhooks/twilio?n=${sms!.id}`,
        MessageSid: sms!.provider_id,
        MessageStatus: 'delivered',
        To: phone,
        ...extra,
      }),
    }).then((r) => r.json() as Promise<{ status: number }>);
  expect((await callback()).status).toBe(200);
  expect((await messagesOf(key(event)))[0]!.status).toBe('delivered');
  expect((await callback()).status).toBe(200); // a repeat changes nothing
  expect((await callback({ tamper: true, MessageStatus: 'failed' })).status).toBe(401);
  expect((await messagesOf(key(event)))[0]!.status).toBe('delivered');
  const receipts = await db.pool.query(
    `SELECT count(*)::int AS n FROM notifications.receipts WHERE provider = 'twilio'`,
  );
  expect(receipts.rows[0].n).toBe(1);
  expect(lines.filter((l) => l.includes(secret))).toEqual([]);
});

const fixture = (type: string, name: string): TuoiCloudEvent =>
  JSON.parse(
    readFileSync(join(repoRoot(), 'events/fixtures', type, 'valid', `${name}.json`), 'utf8'),
  ) as TuoiCloudEvent;

/** A fixture re-addressed to this customer, under a fresh id. */
const about = (type: string, name: string, userId: string, data: Record<string, unknown> = {}) => {
  const e = fixture(type, name);
  const d = e.data as Record<string, unknown>;
  return {
    ...e,
    id: randomUUID(),
    data: { ...d, ...('customer_id' in d ? { customer_id: userId } : {}), ...data },
  } as TuoiCloudEvent;
};

it("sends an order's messages by email and in-app as the customer chose, and follows a change of mind", async () => {
  const r = await registered();
  // The customer turns quiet hours off first, so the test means the same at any hour of the day
  // (the policy's own tests cover holding a message until 08:00).
  const prefs = (json: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/me/notification-preferences`, {
      method: json === undefined ? 'GET' : 'PUT',
      headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json', ...headers },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  const awake = {
    channels: { account: ['email', 'sms', 'inapp'], order: ['email', 'inapp'], marketing: [] },
    quiet: null,
  };
  expect((await prefs(awake, { 'if-match': '"np1"' })).status).toBe(200);
  const confirmed = about('io.tuoi.order.confirmed.v1', 'momo', r.userId, { lang: 'en' });
  expect(await deliver(confirmed)).toBeLessThan(300);
  const messages = await until(
    () => messagesOf(key(confirmed)),
    (m) => m.length === 2 && m.every((x) => x.status !== 'pending' && x.status !== 'sending'),
  );
  expect(messages.map((m) => [m.channel, m.recipient, m.status])).toEqual([
    ['email', r.email, 'queued'],
    ['inapp', r.userId, 'delivered'],
  ]);
  // SendGrid's signed event webhook: processed, then delivered; a repeat and a forgery change nothing.
  const events = (list: Record<string, unknown>[], tamper = false) =>
    fetch(`${SIM}/_sim/sendgrid/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${base}/notification/webhooks/sendgrid`, events: list, tamper }),
    }).then((res) => res.json() as Promise<{ status: number }>);
  const receipt = (event: string, id = randomUUID()) => ({
    event,
    email: r.email,
    sg_event_id: id,
    sg_message_id: `sim${id.slice(0, 8)}.filter-1`,
    tuoi_notification_id: messages[0]!.id,
  });
  const delivered = receipt('delivered');
  expect((await events([receipt('processed'), delivered])).status).toBe(200);
  expect((await messagesOf(key(confirmed)))[0]!.status).toBe('delivered');
  expect((await events([delivered, receipt('processed')])).status).toBe(200);
  expect((await events([receipt('bounce')], true)).status).toBe(401);
  expect((await messagesOf(key(confirmed)))[0]!.status).toBe('delivered');
  const feed = createFirestore({
    projectId: serviceEnv('FIRESTORE_PROJECT_ID'),
    emulatorHost: serviceEnv('FIRESTORE_EMULATOR_HOST'),
  });
  const item = await feed.collection(FEEDS).doc(r.userId).collection('items').doc(messages[1]!.id).get();
  expect(item.data()).toMatchObject({ template: 'order-confirmed', lang: 'en', read: false });
  expect(String(item.data()!.title)).toContain(String((confirmed.data as { order_id: string }).order_id));
  await feed.terminate();

  // Orders by in-app only from now on; an unknown channel or none at all is refused and changes nothing.
  const before = await prefs(undefined);
  expect(before.status).toBe(200);
  expect(before.headers.get('etag')).toBe('"np2"');
  const choice = { channels: { account: ['email'], order: ['inapp'], marketing: [] }, quiet: null };
  expect((await prefs({ ...choice, channels: { ...choice.channels, order: [] } })).status).toBe(400);
  expect((await prefs({ ...choice, channels: { ...choice.channels, order: ['fax'] } })).status).toBe(400);
  expect((await prefs(choice, { 'if-match': '"np7"' })).status).toBe(412);
  const put = await prefs(choice, { 'if-match': '"np2"' });
  expect(put.status).toBe(200);
  expect(await put.json()).toEqual({ ...choice, version: 3 });
  expect(await (await prefs(undefined)).json()).toEqual({ ...choice, version: 3 });

  const refunded = about('io.tuoi.order.refunded.v1', fixtureName('io.tuoi.order.refunded.v1'), r.userId);
  expect(await deliver(refunded)).toBeLessThan(300);
  const after = await until(
    () => messagesOf(key(refunded)),
    (m) => m.length > 0 && m.every((x) => x.status === 'delivered'),
  );
  expect(after.map((m) => m.channel)).toEqual(['inapp']);
});

/** The first valid fixture of a type. */
function fixtureName(type: string): string {
  return readdirSync(join(repoRoot(), 'events/fixtures', type, 'valid'))[0]!.replace(/\.json$/, '');
}

it('holds a payment event for an order it does not know yet, and sends it once order.placed arrives', async () => {
  const r = await registered();
  const placed = about('io.tuoi.order.placed.v1', fixtureName('io.tuoi.order.placed.v1'), r.userId, {
    order_id: `ord-${randomUUID().slice(0, 8)}`,
    lang: 'vi',
  });
  const orderId = (placed.data as { order_id: string }).order_id;
  const failed = {
    ...fixture('io.tuoi.payment.failed.v1', fixtureName('io.tuoi.payment.failed.v1')),
    id: randomUUID(),
  } as TuoiCloudEvent;
  (failed.data as Record<string, unknown>).order_id = orderId;
  expect(await deliver(failed)).toBeLessThan(300);
  await new Promise((r) => setTimeout(r, 500));
  expect(await messagesOf(key(failed))).toEqual([]);
  expect(await deliver(placed)).toBeLessThan(300);
  const sent = await until(
    () => messagesOf(key(failed)),
    (m) => m.length === 2 && m.every((x) => x.status === 'queued' || x.status === 'delivered'),
  );
  expect(sent.map((m) => [m.channel, m.template])).toEqual([
    ['email', 'payment-failed'],
    ['inapp', 'payment-failed'],
  ]);
  const { rows } = await db.pool.query(`SELECT lang FROM notifications.messages WHERE event_id = $1`, [
    key(failed),
  ]);
  expect(rows.every((x) => x.lang === 'vi')).toBe(true);
});

it('sends an abandoned-cart reminder only to a customer who opted in to marketing', async () => {
  const r = await registered();
  const nudge = () => about('io.tuoi.cart.abandoned.v1', fixtureName('io.tuoi.cart.abandoned.v1'), r.userId);
  const first = nudge();
  expect(await deliver(first)).toBeLessThan(300);
  await until(
    () => db.pool.query(`SELECT planned_at FROM notifications.intake WHERE event_id = $1`, [key(first)]),
    (q) => q.rows[0]?.planned_at !== null && q.rows[0]?.planned_at !== undefined,
  );
  expect(await messagesOf(key(first))).toEqual([]);
  const put = await fetch(`${base}/me/notification-preferences`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      channels: { account: ['email'], order: ['email'], marketing: ['email'] },
      quiet: null,
    }),
  });
  expect(put.status).toBe(200);
  const second = nudge();
  expect(await deliver(second)).toBeLessThan(300);
  const sent = await until(
    () => messagesOf(key(second)),
    (m) => m[0]?.status === 'queued',
  );
  expect(sent.map((m) => [m.channel, m.template])).toEqual([['email', 'cart-abandoned']]);
});

it('never sends again a message whose process died while handing it over, and a late receipt still lands', async () => {
  // What a crash between the claim and the record leaves: the message `sending` since 10 minutes,
  // its secret still sealed.
  const eventId = `/functions/user#crash-${randomUUID()}`;
  const [messageId, email] = [randomUUID(), `crash.${randomUUID().slice(0, 6)}@example.vn`];
  await db.pool.query(
    `INSERT INTO notifications.intake (event_id, template, event_type, user_id, lang, to_address, to_channel,
       data, sealed, urgent, received_at, planned_at)
     VALUES ($1, 'password-reset', 'io.tuoi.user.password-reset-requested.v1', $2, 'vi', $3, 'email', '{}',
       '\\x00', true, now() - interval '10 minutes', now() - interval '10 minutes')`,
    [eventId, randomUUID(), email],
  );
  await db.pool.query(
    `INSERT INTO notifications.messages (id, event_id, template, channel, recipient, user_id, lang, status,
       send_at, urgent, attempts, created_at, updated_at)
     VALUES ($1, $2, 'password-reset', 'email', $3, 'u', 'vi', 'sending', now() - interval '10 minutes', true, 1,
       now() - interval '10 minutes', now() - interval '10 minutes')`,
    [messageId, eventId, email],
  );
  const [dead] = await until(
    () => messagesOf(eventId),
    (m) => m[0]?.status === 'dead',
  );
  expect(dead).toMatchObject({ attempts: 1, provider: null });
  expect(dead!.last_error).toMatch(/outcome unknown/);
  const { rows } = await db.pool.query(`SELECT sealed FROM notifications.intake WHERE event_id = $1`, [
    eventId,
  ]);
  expect(rows[0].sealed).toBeNull();
  // It was in fact sent: SendGrid's receipt, naming our id, moves it on.
  const res = await fetch(`${SIM}/_sim/sendgrid/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      url: `${base}/notification/webhooks/sendgrid`,
      events: [{ event: 'delivered', email, tuoi_notification_id: messageId }],
    }),
  });
  expect(((await res.json()) as { status: number }).status).toBe(200);
  expect((await messagesOf(eventId))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
});

it('retries a provider that is down, then dead-letters the message and drops its secret', async () => {
  // Its own database, so the instance above never picks its messages up.
  const other = await freshDatabase({ poolSize: 4 });
  const down = await serveLean(
    { name: 'notification', create: createNotification },
    {
      port: 0,
      env: envFor({
        DATABASE_URL: other.url,
        SENDGRID_API_URL: 'http://127.0.0.1:9',
        NOTIFY_MAX_ATTEMPTS: '1',
      }),
    },
  );
  const messagesThere = async (eventId: string) =>
    (await other.pool.query<Message>(`SELECT * FROM notifications.messages WHERE event_id = $1`, [eventId]))
      .rows;
  try {
    const reset = {
      ...fixture(
        'io.tuoi.user.password-reset-requested.v1',
        fixtureName('io.tuoi.user.password-reset-requested.v1'),
      ),
      id: randomUUID(),
    } as TuoiCloudEvent;
    const d = reset.data as Record<string, unknown>;
    Object.assign(d, { channel: 'email', to: `gone.${randomUUID().slice(0, 6)}@example.vn` });
    const secret = (d.reset as { token: string }).token;
    expect(
      (await signedDelivery(`http://127.0.0.1:${down.port}`, 'notification', reset)).status,
    ).toBeLessThan(300);
    const [dead] = await until(
      () => messagesThere(key(reset)),
      (m) => m[0]?.status === 'dead',
    );
    expect(dead!.last_error).toMatch(/sendgrid unavailable/);
    // Staff see it among the dead letters; a customer may not read the log.
    const staff = `staff.${randomUUID().slice(0, 6)}@tuoi.test`;
    await accountStore(USERS).create(db.pool, {
      email: staff,
      passwordHash: await passwordHasher().hash(PASSWORD),
      lang: 'vi',
      role: 'staff',
    });
    const login = await user.call('POST', '/auth/login', { json: { identifier: staff, password: PASSWORD } });
    const { access_token } = (await login.json()) as { access_token: string };
    const log = (token: string) =>
      fetch(`http://127.0.0.1:${down.port}/notifications?status=dead`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const listed = (await (await log(access_token)).json()) as { items: Message[] };
    expect(listed.items.map((m) => [m.id, m.status])).toEqual([[dead!.id, 'dead']]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const customer = await registered(false);
    expect((await log(customer.token)).status).toBe(403);
    const { rows } = await other.pool.query(`SELECT sealed FROM notifications.intake WHERE event_id = $1`, [
      key(reset),
    ]);
    expect(rows[0].sealed).toBeNull();
    expect(lines.filter((l) => l.includes(secret))).toEqual([]);
  } finally {
    await down.close();
    await other.drop();
  }
});
