/**
 * The only wiring of the notification function: typed config → pool, templates, sealer, contact
 * book, channels (SendGrid, Twilio and the Firestore feed, or the dev outbox) → intake handlers,
 * the planning-and-sending turn, routes. The turn runs on a timer and right after each event is
 * taken, so a message leaves while the pod that took its event is still up (it scales to zero).
 */
import type { Pool } from 'pg';
import { clientTokens } from '../shared/auth/client';
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { createFirestore } from '../shared/clients/firestore';
import { baseConfigSpec, ConfigError, int, oneOf, optional, parseConfig, str, url } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createEventConsumer } from '../shared/eventing/consumer';
import { every } from '../shared/periodic';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import { createLogger } from '../shared/log';
import type { FunctionInstance } from '../shared/runtime';
import type { EmailSender, SmsSender } from './channels';
import { userContacts } from './contacts';
import { devOutbox } from './dev-outbox';
import { firestoreFeed } from './feed';
import { intakeHandlers } from './intake';
import { planner, type ContactBook } from './planner';
import type { Channel } from './policy';
import { sendgridConfigSpec, sendgridFromConfig } from './providers/sendgrid';
import { twilioConfigSpec, twilioFromConfig } from './providers/twilio';
import { notificationRoutes } from './routes';
import { sealer } from './seal';
import { sender, type FeedWriter } from './sender';
import { loadTemplates } from './templates';

/** Schema owned by the notification function (see the registry). */
export const SCHEMA = 'notifications';

/** Configuration of the notification function. */
export const notificationConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  ...authConfigSpec,
  ...senderAuthConfigSpec,
  /** The user function (contacts); in a cluster its Knative URL. */
  NOTIFY_USER_URL: optional(),
  /** Used when NOTIFY_USER_URL is not set (make dev: the gateway). */
  GATEWAY_URL: optional(),
  /** Its service client at the user function (scope users:read: addresses and language). */
  NOTIFY_CLIENT_ID: str('notification'),
  NOTIFY_CLIENT_SECRET: str(),
  /** Encrypts the secrets of events (verification and reset tokens) while they wait to be sent. */
  NOTIFY_SEAL_KEY: str(),
  /**
   * The shop's public origin (e.g. https://tuoi.vn), for the links in messages. The manifests set
   * it per environment (the platform ConfigMap); the default is make dev's gateway.
   */
  SHOP_URL: url(['https:', 'http:'], 'http://127.0.0.1:8080'),
  /**
   * The webhook host's public origin (e.g. https://hooks.tuoi.vn), where providers call back
   * (Twilio's status callbacks; Twilio signs the URL it called). The manifests set it per
   * environment (the platform ConfigMap); the default is make dev's gateway.
   */
  WEBHOOK_BASE_URL: url(['https:', 'http:'], 'http://127.0.0.1:8080'),
  /** An SMS longer than this many segments is sent unaccented (GSM-7). */
  NOTIFY_SMS_MAX_SEGMENTS: int({ fallback: 2, min: 1, max: 10 }),
  /** How often an instance plans and sends what is due. */
  NOTIFY_TICK_MS: int({ fallback: 1_000, min: 50, max: 60_000 }),
  /** Tries before a message is dead. */
  NOTIFY_MAX_ATTEMPTS: int({ fallback: 6, min: 1, max: 20 }),
  /** on: nothing leaves the machine; every message is kept for GET /notifications/dev/outbox (make dev). */
  NOTIFY_DEV_OUTBOX: oneOf(['on', 'off'] as const, 'off'),
  /** The in-app feed in Firestore; without a project id (embedded mode) there is none. */
  FIRESTORE_PROJECT_ID: optional(),
  FIRESTORE_EMULATOR_HOST: optional(),
  NOTIFY_FEED_COLLECTION: str('notification-feeds'),
  /** SendGrid's event webhook public key (base64 DER), from its signed-webhook settings. */
  SENDGRID_WEBHOOK_PUBLIC_KEY: optional(),
  ...sendgridConfigSpec,
  ...twilioConfigSpec,
};

const log = createLogger('notification');

/** The channels a configuration sends on. */
function channelsFrom(config: ReturnType<typeof parseConfig<typeof notificationConfigSpec>>) {
  const webhook = config.WEBHOOK_BASE_URL.replace(/\/+$/, '');
  if (config.NOTIFY_DEV_OUTBOX === 'on') {
    const outbox = devOutbox();
    return { outbox, email: outbox.email, sms: outbox.sms, feed: outbox.feed as FeedWriter };
  }
  const only = <S extends object>(spec: S) =>
    Object.fromEntries(Object.keys(spec).map((k) => [k, config[k as keyof typeof config]])) as never;
  const email: EmailSender | undefined = sendgridFromConfig(only(sendgridConfigSpec));
  const sms: SmsSender | undefined = twilioFromConfig(
    only(twilioConfigSpec),
    (id) => `${webhook}/notification/webhooks/twilio?n=${encodeURIComponent(id)}`,
  );
  const feed = config.FIRESTORE_PROJECT_ID
    ? firestoreFeed(
        createFirestore({
          projectId: config.FIRESTORE_PROJECT_ID,
          emulatorHost: config.FIRESTORE_EMULATOR_HOST,
        }),
        config.NOTIFY_FEED_COLLECTION,
      )
    : undefined;
  return { outbox: undefined, email, sms, feed };
}

/** Builds the notification function from the environment; throws ConfigError naming bad variables. */
export function createNotification(
  env: NodeJS.ProcessEnv,
  opts: { contacts?: ContactBook } = {},
): FunctionInstance {
  const config = parseConfig(notificationConfigSpec, env);
  const userUrl = (config.NOTIFY_USER_URL ?? config.GATEWAY_URL)?.replace(/\/+$/, '');
  if (!userUrl && !opts.contacts) throw new ConfigError(['NOTIFY_USER_URL is required (or GATEWAY_URL)']);
  const pool: Pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const templates = loadTemplates();
  const seal = sealer(config.NOTIFY_SEAL_KEY);
  const { outbox, email, sms, feed } = channelsFrom(config);
  const channels = new Set<Channel>([
    ...(email ? (['email'] as const) : []),
    ...(sms ? (['sms'] as const) : []),
    ...(feed ? (['inapp'] as const) : []),
  ]);
  log.info('channels', {
    email: email?.provider ?? 'none',
    sms: sms?.provider ?? 'none',
    inapp: feed ? 'on' : 'none',
  });
  const contacts =
    opts.contacts ??
    userContacts({
      userUrl: userUrl!,
      token: clientTokens({
        tokenUrl: `${userUrl}/auth/token`,
        clientId: config.NOTIFY_CLIENT_ID,
        clientSecret: config.NOTIFY_CLIENT_SECRET,
        scope: 'users:read',
      }),
    });
  const plans = planner({ pool, schema: SCHEMA, templates, contacts, channels });
  const sends = sender({
    pool,
    schema: SCHEMA,
    templates,
    sealer: seal,
    ...(email ? { email } : {}),
    ...(sms ? { sms } : {}),
    ...(feed ? { feed } : {}),
    shopUrl: config.SHOP_URL,
    maxSmsSegments: config.NOTIFY_SMS_MAX_SEGMENTS,
    maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
  });
  // Planning and sending: on the clock, and right after each event is taken (kick).
  const jobs = every('notification', config.NOTIFY_TICK_MS, async () => {
    const stuck = await sends.settleStuck();
    const planned = await plans.planDue();
    return { stuck, planned, ...(await sends.sendDue()) };
  });
  return {
    routes: notificationRoutes({
      pool,
      schema: SCHEMA,
      verifier: verifierFromConfig(config),
      ...(config.SENDGRID_WEBHOOK_PUBLIC_KEY
        ? { sendgridPublicKey: config.SENDGRID_WEBHOOK_PUBLIC_KEY }
        : {}),
      ...(config.TWILIO_AUTH_TOKEN ? { twilioAuthToken: config.TWILIO_AUTH_TOKEN } : {}),
      webhookBase: config.WEBHOOK_BASE_URL.replace(/\/+$/, ''),
      ...(outbox ? { outbox } : {}),
    }),
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: intakeHandlers({ schema: SCHEMA, templates, sealer: seal }),
      afterCommit: () => jobs.kick(),
    }),
    ready: () => pingDatabase(pool),
    close: async () => {
      jobs();
      await jobs.settled();
      await pool.end();
    },
  };
}
