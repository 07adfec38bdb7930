/**
 * Every route of every registry function, read from the function's own definition
 * (`def.create(env).routes`): the hostile suite attacks them and `make docs` documents them, so a new
 * function or route is covered without touching either. Works from the sources (jest) and from
 * dist/ (`make docs`).
 */
import { join } from 'node:path';
import { registry, type FunctionSpec } from '../../functions/registry';
import { senderEnv } from '../../functions/shared/eventing/local-issuer';
import type { Route } from '../../functions/shared/http';
import { repoRoot } from '../../functions/shared/paths';
import { definitionOf } from '../../functions/shared/register';
import {
  DEV_INDEXER_SECRET,
  DEV_KEY_SECRET,
  DEV_NOTIFY_CLIENT_SECRET,
  DEV_ORDER_CLIENT_SECRET,
} from '../../functions/user/seed';

/** A registry function's definition, loaded as either host loads it. */
export function definitionFor(fn: FunctionSpec) {
  const compiled = __filename.endsWith('.js');
  const base = compiled ? join(__dirname, '..', '..') : repoRoot();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(join(base, 'functions', fn.name, 'index'));
  const def = definitionOf(fn.name);
  if (!def) throw new Error(`functions/${fn.name}/index registered no definition named ${fn.name}`);
  return def;
}

/** One function's route table. */
export interface FunctionRoutes {
  fn: FunctionSpec;
  routes: Route[];
}

/**
 * The route tables of every registry function with HTTP routes: each is created with `envOf(fn)`
 * (its pools connect lazily; nothing is served or contacted), its routes read, and closed again.
 */
export async function routeTables(
  envOf: (fn: FunctionSpec) => NodeJS.ProcessEnv,
  functions: readonly FunctionSpec[] = registry,
): Promise<FunctionRoutes[]> {
  const out: FunctionRoutes[] = [];
  for (const fn of functions.filter((f) => f.routes.length > 0)) {
    const instance = definitionFor(fn).create(envOf(fn));
    try {
      out.push({ fn, routes: instance.routes });
    } finally {
      await instance.close();
    }
  }
  return out;
}

/** A closed port: the documents' environment names servers it never reaches. */
const NOWHERE = 'http://127.0.0.1:9';

/**
 * The environment the API documents are generated in: production settings with the dev secrets and
 * unreachable URLs, independent of the caller's own environment, so `make docs` writes the same
 * documents on every machine. Dev-only routes (the notification outbox) are absent from it.
 */
export function docsEnv(fn: FunctionSpec): NodeJS.ProcessEnv {
  const issuer = { issuer: `${NOWHERE}/issuer`, jwks: { keys: [] } };
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://docs:docs@127.0.0.1:9/docs',
    GATEWAY_URL: NOWHERE,
    AUTH_JWKS_URL: `${NOWHERE}/.well-known/jwks.json`,
    USERS_KEY_SECRET: DEV_KEY_SECRET,
    AUTH_CLIENT_SECRET: DEV_INDEXER_SECRET,
    ORDER_CLIENT_SECRET: DEV_ORDER_CLIENT_SECRET,
    NOTIFY_CLIENT_SECRET: DEV_NOTIFY_CLIENT_SECRET,
    NOTIFY_SEAL_KEY: 'docs-seal-key-0123456789abcdef0123',
    ...fn.env,
    ...senderEnv(issuer as never, fn.name),
  };
}
