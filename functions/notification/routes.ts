/**
 * The notification function's HTTP routes:
 * - `GET|PUT /me/notification-preferences`: a customer's channels per category and quiet hours.
 *   They live here, not in the user function's profile, because only this function reads them
 *   and it reads them while planning, in its own database (no event to keep a copy in step).
 * - `GET /notifications` (staff, notifications:read): the notification log, dead letters included.
 * - `POST /notification/webhooks/{sendgrid,twilio}`: delivery receipts, verified (receipts.ts).
 * - `GET /notifications/dev/outbox?to=`: the dev outbox (404 unless it is on).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Pool } from 'pg';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { withTransaction } from '../shared/db';
import { NotFoundError, PreconditionFailedError, UnauthorizedError, ValidationError } from '../shared/errors';
import { ifMatchVersion, route, type Route } from '../shared/http';
import type { DevOutbox } from './dev-outbox';
import { preferencesOf } from './planner';
import { CHANNELS, type Preferences } from './policy';
import { applyReceipts } from './receipt-log';
import { ReceiptError, sendgridReceipts, twilioReceipt } from './receipts';

const Channel = Type.Union(CHANNELS.map((c) => Type.Literal(c)));
const ChannelList = Type.Array(Channel, { maxItems: 3, uniqueItems: true });
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Vietnam time' });

export const PreferencesBody = Type.Object(
  {
    channels: Type.Object(
      { account: ChannelList, order: ChannelList, marketing: ChannelList },
      { additionalProperties: false },
    ),
    quiet: Type.Union([
      Type.Object({ from: Clock, to: Clock }, { additionalProperties: false }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

export const LogQuery = Type.Object(
  {
    user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    status: Type.Optional(
      Type.Union(
        ['pending', 'sending', 'queued', 'sent', 'delivered', 'bounced', 'failed', 'dead'].map((s) =>
          Type.Literal(s),
        ),
      ),
    ),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$' })),
  },
  { additionalProperties: false },
);

const OutboxQuery = Type.Object(
  { to: Type.String({ minLength: 1, maxLength: 254 }) },
  { additionalProperties: false },
);

const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutes = (c: string) => Number(c.slice(0, 2)) * 60 + Number(c.slice(3, 5));

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const MessageStatus = Type.Union(
  ['pending', 'sending', 'queued', 'sent', 'delivered', 'bounced', 'failed', 'dead'].map((s) =>
    Type.Literal(s),
  ),
);

/** The preferences as the API shows them (`view`). */
const PreferencesView = Type.Object({
  channels: Type.Object({
    account: Type.Array(Channel),
    order: Type.Array(Channel),
    marketing: Type.Array(Channel),
  }),
  quiet: Type.Union([Type.Object({ from: Type.String(), to: Type.String() }), Type.Null()]),
  version: Type.Integer(),
});

/** A row of the notification log, as the `messages` table holds it. */
const LogEntry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  event_id: Type.String(),
  template: Type.String(),
  channel: Channel,
  recipient: Type.String(),
  user_id: Type.String(),
  lang: Type.Union([Type.Literal('en'), Type.Literal('vi')]),
  status: MessageStatus,
  send_at: Instant,
  held: Type.Boolean(),
  attempts: Type.Integer(),
  provider: Nullable(Type.String()),
  provider_id: Nullable(Type.String()),
  sms_segments: Nullable(Type.Integer()),
  sms_unaccented: Nullable(Type.Boolean()),
  last_error: Nullable(Type.String()),
  created_at: Instant,
  updated_at: Instant,
});

/** What the dev outbox holds for one address or user (`OutboxEntry`). */
const OutboxView = Type.Object({
  to: Type.String(),
  messages: Type.Array(
    Type.Object({
      id: Type.String(),
      channel: Channel,
      to: Type.String(),
      lang: Type.Optional(Type.String()),
      title: Type.Optional(Type.String()),
      text: Type.String(),
      at: Instant,
    }),
  ),
});

/** A receipts webhook's answer: how many delivery receipts it carried. */
const ReceiptsAnswer = Type.Object({ received: Type.Integer({ minimum: 0 }) });

function view(p: Preferences, version: number) {
  return {
    channels: p.channels,
    quiet: p.quiet ? { from: clock(p.quiet.from), to: clock(p.quiet.to) } : null,
    version,
  };
}

export interface RouteDeps {
  pool: Pool;
  schema: string;
  verifier: Verifier;
  sendgridPublicKey?: string;
  twilioAuthToken?: string;
  /** The public base URL providers call (Twilio signs the URL it called). */
  webhookBase: string;
  outbox?: DevOutbox;
}

export function notificationRoutes(d: RouteDeps): Route[] {
  const { pool, schema } = d;
  const receipts = (count: number) => ({ status: 200, body: { received: count } });
  const refused = (err: ReceiptError) => {
    if (err.code === 'format') throw new ValidationError(err.message, []);
    throw new UnauthorizedError(err.message);
  };

  return [
    guarded(
      d.verifier,
      {},
      route({
        method: 'GET',
        path: '/me/notification-preferences',
        doc: {
          summary: 'Your notification channels per category and your quiet hours',
          description:
            'Until you change them: email and in-app for account and order messages, no marketing.',
          responses: {
            200: {
              description: 'Your preferences',
              body: PreferencesView,
              headers: { etag: 'Their version, `"np<version>"`' },
            },
          },
        },
        async handle(req) {
          const sub = req.auth!.sub;
          const { prefs, version } = await preferencesOf(pool, schema, sub);
          return {
            status: 200,
            headers: { etag: `"np${version}"`, 'cache-control': 'no-store' },
            body: view(prefs, version),
          };
        },
      }),
    ),
    guarded(
      d.verifier,
      {},
      route({
        method: 'PUT',
        path: '/me/notification-preferences',
        body: PreferencesBody,
        doc: {
          summary: 'Set your notification channels and quiet hours',
          description:
            'Account and order messages keep at least one channel. With `If-Match` (the ETag of a read) they must not have changed meanwhile.',
          responses: {
            200: {
              description: 'Your preferences as stored',
              body: PreferencesView,
              headers: { etag: 'Their new version, `"np<version>"`' },
            },
          },
          problems: [412],
          ifMatch: true,
        },
        async handle(req) {
          const b = req.body as Static<typeof PreferencesBody>;
          const empty = (['account', 'order'] as const).filter((c) => b.channels[c].length === 0);
          if (empty.length)
            throw new ValidationError(
              'Account and order messages always reach you: keep at least one channel',
              empty.map((c) => ({
                field: `/channels/${c}`,
                code: 'required',
                message: `Choose at least one channel for ${c} messages (email, sms or inapp)`,
              })),
            );
          const expected = ifMatchVersion(req.headers['if-match'], 'np');
          const prefs: Preferences = {
            channels: b.channels,
            quiet: b.quiet ? { from: minutes(b.quiet.from), to: minutes(b.quiet.to) } : null,
          };
          const sub = req.auth!.sub;
          const version = await withTransaction(pool, async (tx) => {
            const { rows } = await tx.query<{ version: number }>(
              `SELECT version FROM ${schema}.preferences WHERE user_id = $1 FOR UPDATE`,
              [sub],
            );
            const current = rows[0]?.version ?? 1; // the defaults are version 1
            if (expected !== undefined && expected !== current)
              throw new PreconditionFailedError('Your preferences changed meanwhile: read them again');
            await tx.query(
              `INSERT INTO ${schema}.preferences (user_id, channels, quiet, version, updated_at)
             VALUES ($1, $2, $3, $4, now())
             ON CONFLICT (user_id) DO UPDATE SET channels = EXCLUDED.channels, quiet = EXCLUDED.quiet,
               version = EXCLUDED.version, updated_at = now()`,
              [sub, JSON.stringify(prefs.channels), prefs.quiet && JSON.stringify(prefs.quiet), current + 1],
            );
            return current + 1;
          });
          return { status: 200, headers: { etag: `"np${version}"` }, body: view(prefs, version) };
        },
      }),
    ),
    guarded(
      d.verifier,
      { scope: 'notifications:read' },
      route({
        method: 'GET',
        path: '/notifications',
        query: LogQuery,
        doc: {
          summary: 'The notification log, newest first, dead letters included',
          description: 'Up to `limit` (50 by default) messages, by customer and status.',
          responses: {
            200: { description: 'The messages', body: Type.Object({ items: Type.Array(LogEntry) }) },
          },
        },
        async handle(req) {
          const q = req.query as Static<typeof LogQuery>;
          const { rows } = await pool.query(
            `SELECT id, event_id, template, channel, recipient, user_id, lang, status, send_at, held, attempts,
                  provider, provider_id, sms_segments, sms_unaccented, last_error, created_at, updated_at
             FROM ${schema}.messages
            WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC LIMIT $3`,
            [q.user_id ?? null, q.status ?? null, Number(q.limit ?? 50)],
          );
          return { status: 200, headers: { 'cache-control': 'no-store' }, body: { items: rows } };
        },
      }),
    ),
    route({
      method: 'GET',
      path: '/notifications/dev/outbox',
      query: OutboxQuery,
      doc: {
        summary: 'The dev outbox: the messages rendered for an address or a user, newest first',
        description:
          'Only in dev (NOTIFY_DEV_OUTBOX=on): nothing leaves the machine, and a tester reads codes and links here. Anywhere else it is a 404.',
        responses: { 200: { description: 'The messages to `to`', body: OutboxView } },
        problems: [404],
      },
      async handle(req) {
        if (!d.outbox) throw new NotFoundError('The dev outbox is off (NOTIFY_DEV_OUTBOX=on turns it on)');
        const to = (req.query as Static<typeof OutboxQuery>).to;
        return {
          status: 200,
          headers: { 'cache-control': 'no-store' },
          body: { to, messages: d.outbox.list(to) },
        };
      },
    }),
    route({
      method: 'POST',
      path: '/notification/webhooks/sendgrid',
      doc: {
        summary: "SendGrid's event webhook: email delivery receipts",
        description:
          'A JSON array of SendGrid events signed with its ECDSA key (`x-twilio-email-event-webhook-signature` over `x-twilio-email-event-webhook-timestamp` and the body): a missing, wrong or stale signature is a 401, a body that is not an array of events a 400. Events that are not delivery statuses are skipped. 404 where no SendGrid key is configured.',
        headers: {
          'X-Twilio-Email-Event-Webhook-Signature': {
            description: 'Base64 ECDSA signature of the timestamp followed by the body (401 without it)',
            required: true,
          },
          'X-Twilio-Email-Event-Webhook-Timestamp': {
            description: 'When SendGrid signed it, in Unix seconds; a stale one is a 401',
            required: true,
          },
        },
        requestBody: {
          contentTypes: ['application/json'],
          description: "SendGrid's events, as it sends them",
          required: true,
        },
        responses: {
          200: { description: 'Taken: the number of delivery receipts it carried', body: ReceiptsAnswer },
        },
        problems: [400, 401, 404],
      },
      async handle(req) {
        if (!d.sendgridPublicKey) throw new NotFoundError('No SendGrid webhook key is configured here');
        try {
          const list = sendgridReceipts(
            {
              body: req.rawBody,
              signature: req.headers['x-twilio-email-event-webhook-signature'],
              timestamp: req.headers['x-twilio-email-event-webhook-timestamp'],
            },
            d.sendgridPublicKey,
          );
          await applyReceipts(pool, schema, list);
          return receipts(list.length);
        } catch (err) {
          if (err instanceof ReceiptError) return refused(err);
          throw err;
        }
      },
    }),
    route({
      method: 'POST',
      path: '/notification/webhooks/twilio',
      doc: {
        summary: "Twilio's SMS status callback",
        description:
          'A form post signed with `x-twilio-signature` over the URL Twilio called and the form fields: a missing or wrong signature is a 401, a callback without a message id or status a 400. 404 where no Twilio account is configured.',
        headers: {
          'X-Twilio-Signature': {
            description: 'Base64 HMAC-SHA1 of the called URL and the sorted form fields (401 without it)',
            required: true,
          },
        },
        requestBody: {
          contentTypes: ['application/x-www-form-urlencoded'],
          description: "Twilio's status callback fields (`MessageSid`, `MessageStatus`, ...)",
          required: true,
        },
        responses: { 200: { description: 'Taken', body: ReceiptsAnswer } },
        problems: [400, 401, 404],
      },
      async handle(req) {
        if (!d.twilioAuthToken) throw new NotFoundError('No Twilio account is configured here');
        const form = Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
        const query = new URLSearchParams(req.query as Record<string, string>).toString();
        const url = `${d.webhookBase}${req.path}${query ? `?${query}` : ''}`;
        try {
          const r = twilioReceipt(
            { url, form, signature: req.headers['x-twilio-signature'] },
            d.twilioAuthToken,
          );
          await applyReceipts(pool, schema, [r]);
          return receipts(1);
        } catch (err) {
          if (err instanceof ReceiptError) return refused(err);
          throw err;
        }
      },
    }),
  ];
}
