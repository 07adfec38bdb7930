/** The only wiring of the pulse function: typed config → pool → store → handlers. */
import { pulseEmitted } from '../../events';
import { baseConfigSpec, parseConfig } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createEventConsumer } from '../shared/eventing/consumer';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork } from '../shared/unit-of-work';
import { onPulse, pulseRoutes, type PulseDeps } from './handler';
import { pulseStore } from './store';

/** Schema owned by the pulse function (see the registry). */
export const SCHEMA = 'pulse';

/** Configuration of the pulse function. */
export const pulseConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  /** Who may deliver CloudEvents (the Triggers' OIDC identities). */
  ...senderAuthConfigSpec,
};

/** Builds the pulse function from the environment; throws ConfigError naming bad variables. */
export function createPulse(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(pulseConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const deps: PulseDeps = {
    db: pool,
    work: unitOfWork(pool, SCHEMA),
    store: pulseStore(SCHEMA),
    now: () => new Date(),
  };
  return {
    routes: pulseRoutes(deps),
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: { [pulseEmitted.type]: onPulse(deps) },
    }),
    ready: () => pingDatabase(pool),
    close: () => pool.end(),
  };
}
