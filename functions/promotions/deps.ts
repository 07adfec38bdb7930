/** The only wiring of the promotions function: typed config → pool, stores, use cases, caches, jobs → handlers. */
import type { Pool } from 'pg';
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { baseConfigSpec, int, parseConfig } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createEventConsumer } from '../shared/eventing/consumer';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork } from '../shared/unit-of-work';
import { cached } from './cache';
import { toEnginePromotion } from './definition';
import { promotionHandlers } from './events';
import { startJobs } from './jobs';
import { projectionStore } from './projection-store';
import { promotionStore } from './promotion-store';
import { promotionUseCases } from './promotions';
import type { QuoteSources } from './quote';
import { redemptionStore } from './redemption-store';
import { redemptionUseCases } from './redemptions';
import { promotionRoutes } from './routes';
import { pricingSagaHandler } from './saga';
import { vietnamDate } from './vat';

/** Schema owned by the promotions function (see the registry). */
export const SCHEMA = 'promotions';

/** Configuration of the promotions function. */
export const promotionsConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  /** Access tokens: staff with promotions:read/write, checkout with promotions:redeem. */
  ...authConfigSpec,
  /** How long an instance reuses the active promotions and VAT table it loaded (ms). */
  PROMOTIONS_CACHE_MS: int({ fallback: 1_000, min: 0, max: 60_000 }),
  /** How often held redemptions past their TTL are given back (ms). */
  PROMOTIONS_SWEEP_MS: int({ fallback: 1_000, min: 100, max: 600_000 }),
  /** How often promotions starting or ending by the clock are announced (ms). */
  PROMOTIONS_SCHEDULE_MS: int({ fallback: 5_000, min: 100, max: 600_000 }),
  /** Who may deliver CloudEvents (the Triggers' OIDC identities). */
  ...senderAuthConfigSpec,
};

/** Stores, use cases and quote sources of one schema over `pool`. */
export function promotionsUseCases(pool: Pool, schema: string, opts: { cacheMs: number }) {
  const projection = projectionStore(schema);
  const promotions = promotionStore(schema);
  const redemptions = redemptionStore(schema);
  const work = unitOfWork(pool, schema);
  // The definitions and, built once per load, the engine's automatic promotions (an engine
  // promotion also memoises its parsed schedule, so reusing them saves that work per quote too).
  const active = cached(async () => {
    const defs = await promotions.active(pool, new Date());
    return { defs, automatic: defs.filter((d) => !d.requires_coupon).map((d) => toEnginePromotion(d)) };
  }, opts.cacheMs);
  const vat = cached(async () => (await promotions.vatTable(pool)).rates, opts.cacheMs);
  const changed = () => {
    active.invalidate();
    vat.invalidate();
  };
  const sources: QuoteSources = {
    db: pool,
    projection,
    promotions,
    active: async () => (await active.get()).defs,
    automatic: async () => (await active.get()).automatic,
    vat: () => vat.get(),
  };
  return {
    stores: { projection, promotions, redemptions },
    sources,
    staff: promotionUseCases({ work, store: promotions, projection, changed }),
    redemptions: redemptionUseCases({ work, store: redemptions }),
    purgeLots: () => projection.purgeLots(pool, vietnamDate(new Date())),
  };
}

/** Builds the promotions function from the environment; throws ConfigError naming bad variables. */
export function createPromotions(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(promotionsConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const p = promotionsUseCases(pool, SCHEMA, { cacheMs: config.PROMOTIONS_CACHE_MS });
  const stopJobs = startJobs(
    {
      sweep: () => p.redemptions.sweep(),
      announceDue: () => p.staff.announceDue(),
      purgeLots: p.purgeLots,
    },
    { sweepMs: config.PROMOTIONS_SWEEP_MS, scheduleMs: config.PROMOTIONS_SCHEDULE_MS },
  );
  return {
    routes: promotionRoutes(p, verifierFromConfig(config)),
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: promotionHandlers(
        p.stores.projection,
        pricingSagaHandler({ sources: p.sources, redemptions: p.redemptions, schema: SCHEMA }),
      ),
    }),
    ready: () => pingDatabase(pool),
    close: async () => {
      stopJobs();
      await pool.end();
    },
  };
}
