/**
 * The route walker: every route of every function in the registry, with the input schemas it
 * validates, read from the function's own definition (`def.create(env).routes`) so a new function
 * or route is covered without touching the suite.
 */
import type { TSchema } from '@sinclair/typebox';
import { registry, type FunctionSpec } from '../../../functions/registry';
import type { Route } from '../../../functions/shared/http';
import { routeTables } from '../../lib/route-walk';

/**
 * POST and PUT routes without a body schema, with the reason (a body no JSON schema describes, or
 * none at all); the suite sends them only whole-body attacks. Every other POST and PUT must declare
 * `body` so its fields are attacked.
 */
export const WRITES_WITHOUT_BODY_SCHEMA: Record<string, string> = {
  'POST /products/import': 'CSV or a JSON array of up to 5,000 products, each row checked as ProductWrite',
  'POST /auth/introspect': 'RFC 7662 sends a form; JSON is accepted too; both checked as IntrospectBody',
  'POST /reservations/:id/commit': 'an action on the reservation: no body',
  'POST /reservations/:id/release': 'an action on the reservation: no body',
  'POST /carts': 'creates an empty cart: no body',
  'POST /carts/:id/coupons/:code': 'the code is in the path: no body',
  'POST /slot-holds/:id/book': 'an action on the hold; an optional { order_id } is checked as BookBody',
  'POST /slot-holds/:id/release': 'an action on the hold: no body',
  'POST /deliveries/:id/cancel': 'an action on the delivery: no body',
  'POST /deliveries/:id/ready': 'an action on the pickup: no body',
  'POST /delivery/webhooks/:carrier': "a carrier's own webhook body, authenticated and parsed by its adapter",
  'POST /payments/:id/void': 'an action on the payment: no body',
  'POST /payments/:id/confirm': 'the customer\'s "I paid": no body (the provider is asked)',
  'POST /payment/webhooks/:rail': "a provider's own notification, verified and parsed by its rail",
  'POST /orders/:id/cancel': "the customer's cancel of their order: an action on the order, no body",
  'POST /orders/:id/picking': 'staff start picking an order: an action on the order, no body',
  'POST /orders/:id/pack': 'staff pack an order at what was picked: an action on the order, no body',
  'POST /notification/webhooks/sendgrid':
    "SendGrid's signed event webhook: a JSON array, verified before it is read",
  'POST /notification/webhooks/twilio': "Twilio's status callback: a signed form, verified before it is read",
};

/** One route as the suite attacks it. */
export interface WalkedRoute {
  fn: FunctionSpec;
  method: Route['method'];
  /** The pattern with `:params`, e.g. `/products/:sku`. */
  path: string;
  params: string[];
  body?: TSchema;
  query?: TSchema;
  /** A schema of the path parameters, once the pipeline declares them. */
  paramsSchema?: TSchema;
  /** Has a guard (`guarded`): needs a token before its input is validated. */
  guarded: boolean;
}

/** The routes of one function instance, with their schemas. */
export function walkRoutes(fn: FunctionSpec, routes: Route[]): WalkedRoute[] {
  return routes.map((r) => {
    return {
      fn,
      method: r.method,
      path: r.path,
      params: r.path
        .split('/')
        .filter((s) => s.startsWith(':'))
        .map((s) => s.slice(1)),
      body: r.body,
      query: r.query,
      paramsSchema: r.params,
      guarded: r.guard !== undefined,
    };
  });
}

/** Every route of every registry function with HTTP routes (scripts/lib/route-walk.ts). */
export async function walkRegistry(
  envOf: (fn: FunctionSpec) => NodeJS.ProcessEnv,
  functions: readonly FunctionSpec[] = registry,
): Promise<WalkedRoute[]> {
  return (await routeTables(envOf, functions)).flatMap(({ fn, routes }) => walkRoutes(fn, routes));
}

/**
 * What the walker could not cover, as sentences (empty when every route is attackable): a public
 * prefix with no route behind it, a route outside its function's prefixes (unreachable through the
 * gateway), a path pattern the case builder cannot fill.
 */
export function coverageProblems(
  routes: readonly WalkedRoute[],
  functions: readonly FunctionSpec[] = registry,
): string[] {
  const problems: string[] = [];
  for (const fn of functions.filter((f) => f.routes.length > 0)) {
    const mine = routes.filter((r) => r.fn.name === fn.name);
    const under = (path: string, prefix: string) =>
      prefix === '/' || path === prefix || path.startsWith(prefix + '/');
    for (const prefix of fn.routes)
      if (!mine.some((r) => under(r.path, prefix)))
        problems.push(`${fn.name}: prefix ${prefix} has no route the walker found`);
    for (const r of mine) {
      if (!fn.routes.some((p) => under(r.path, p)))
        problems.push(`${fn.name}: ${r.method} ${r.path} is outside its public prefixes`);
      if (/[^a-zA-Z0-9/:._-]/.test(r.path))
        problems.push(`${fn.name}: ${r.method} ${r.path}: unparsable pattern`);
      // A page's form posts are URL-encoded forms its handlers read and check themselves.
      if (
        (r.method === 'POST' || r.method === 'PUT') &&
        !r.body &&
        !fn.pages &&
        !(`${r.method} ${r.path}` in WRITES_WITHOUT_BODY_SCHEMA)
      )
        problems.push(
          `${fn.name}: ${r.method} ${r.path} declares no body schema (declare one so the suite attacks its fields, or list it in WRITES_WITHOUT_BODY_SCHEMA with the reason)`,
        );
    }
  }
  return problems;
}
