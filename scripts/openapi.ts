/**
 * `make docs`: the API contracts, generated from the code so they never drift from it.
 * - docs/openapi.json: OpenAPI 3.1 of every public route, from each function's route table (its
 *   TypeBox schemas for path, query and body, `auth` and `doc`), with problem+json errors.
 * - docs/openapi-webhooks.json: the provider webhook host's routes.
 * - docs/asyncapi.json: AsyncAPI 3 of every Kafka topic and CloudEvent type, from `events/` and the
 *   registry's subscriptions.
 * The gateway serves them (`/openapi.json`, `/asyncapi.json`, a reference page at `/docs`).
 */
import { STATUS_CODES } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { contracts } from '../events';
import { registry, triggers, type FunctionSpec } from '../functions/registry';
import { ROLE_SCOPES, SCOPES } from '../functions/shared/auth/principal';
import { topicFor } from '../functions/shared/eventing/kafka-binding';
import type { ResponseDoc, Route } from '../functions/shared/http';
import { repoRoot } from '../functions/shared/paths';
import { environments } from './manifests/environments';
import { docsEnv, routeTables, type FunctionRoutes } from './lib/route-walk';

type Json = Record<string, unknown>;

/** Which document a route belongs to: the API host's or the provider webhook host's. */
export type Audience = 'public' | 'webhooks';

/** The OpenAPI path of a route pattern: `/products/:sku` → `/products/{sku}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Whether a route is served on the webhook host (under one of its function's webhook prefixes). */
export function isWebhook(fn: FunctionSpec, path: string): boolean {
  return (fn.webhooks ?? []).some((p) => path === p || path.startsWith(p + '/'));
}

/**
 * A TypeBox schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), on a copy: symbol keys dropped,
 * draft-07 tuples (`items: [..]`, `additionalItems`) as `prefixItems`, unions of literals as `enum`.
 */
export function toJsonSchema(schema: TSchema | Json): Json {
  return convert(JSON.parse(JSON.stringify(schema)) as Json);
}

function convert(s: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$id') continue;
    if (k === 'properties' || k === 'patternProperties' || k === '$defs')
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([p, x]) => [p, convert(x as Json)]));
    else if (k === 'items' && Array.isArray(v)) {
      out.prefixItems = v.map((x) => convert(x as Json));
      out.items = false;
    } else if (k === 'additionalItems') continue;
    else if ((k === 'anyOf' || k === 'allOf' || k === 'oneOf') && Array.isArray(v))
      out[k] = v.map((x) => convert(x as Json));
    else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && v && typeof v === 'object')
      out[k] = convert(v as Json);
    else out[k] = v;
  }
  // `Type.Union([Type.Literal('a'), Type.Literal('b')])` reads better as an enum.
  const anyOf = out.anyOf as Json[] | undefined;
  if (
    anyOf &&
    anyOf.length > 0 &&
    anyOf.every((x) => 'const' in x && Object.keys(x).every((key) => key === 'const' || key === 'type')) &&
    new Set(anyOf.map((x) => x.type)).size === 1 &&
    anyOf[0]!.type !== undefined
  ) {
    delete out.anyOf;
    return { type: anyOf[0]!.type, enum: anyOf.map((x) => x.const), ...out };
  }
  return out;
}

/** `GET /orders/:id/lines/:sku/pick` in function `order` → `order.getOrdersByIdLinesBySkuPick`. */
export function operationId(fn: string, method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? `by-${seg.slice(1)}` : seg))
    .flatMap((seg) => seg.split(/[^A-Za-z0-9]+/).filter(Boolean));
  return `${fn}.${method.toLowerCase()}${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
}

const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description:
    'An RFC 9457 problem. Extensions sit beside the standard members: `errors` (one per invalid field, ' +
    'on 400), `retry_after` (seconds, on 429 and 503), `reason` (a stable code), and others per route.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri', examples: ['https://tuoi.vn/problems/validation'] },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'code', 'message'],
        properties: {
          field: { type: 'string', description: 'A JSON pointer into the request, e.g. `/body/lines/0/qty`' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
};

/** Media types whose body a JSON schema describes (a form's fields too). */
const STRUCTURED = /(^application\/json$|\+json$|^application\/x-www-form-urlencoded$)/;

/** The problem statuses a route answers because of its shape, before those its `doc` names. */
function impliedProblems(r: Route, hasBody: boolean): number[] {
  const out = new Set<number>();
  if (r.params || r.query || r.body || r.doc?.requestBody || r.doc?.query) out.add(400);
  if (r.auth) out.add(401).add(403);
  if (hasBody) out.add(413).add(415);
  if (r.doc?.ifMatch) out.add(412);
  out.add(429);
  for (const s of r.doc?.problems ?? []) out.add(s);
  return [...out].filter((s) => s < 500).sort((a, b) => a - b);
}

function response(d: ResponseDoc): Json {
  const out: Json = { description: d.description };
  if (d.headers)
    out.headers = Object.fromEntries(
      Object.entries(d.headers).map(([name, description]) => [
        name,
        { description, schema: { type: 'string' } },
      ]),
    );
  if (!d.empty)
    out.content = {
      [d.contentType ?? 'application/json']: d.body ? { schema: toJsonSchema(d.body) } : {},
    };
  return out;
}

function parameters(r: Route): Json[] {
  const out: Json[] = [];
  const props = (s: TSchema | undefined) => ((s as Json | undefined)?.properties ?? {}) as Json;
  const required = (s: TSchema | undefined) => ((s as Json | undefined)?.required ?? []) as string[];
  for (const name of r.path.split('/').filter((s) => s.startsWith(':'))) {
    const key = name.slice(1);
    out.push({
      name: key,
      in: 'path',
      required: true,
      schema: toJsonSchema((props(r.params)[key] as Json | undefined) ?? { type: 'string' }),
    });
  }
  const query = r.query ?? r.doc?.query;
  for (const [name, schema] of Object.entries(props(query))) {
    const s = toJsonSchema(schema as Json);
    const description = s.description;
    delete s.description;
    out.push({
      name,
      in: 'query',
      required: required(query).includes(name),
      ...(description ? { description } : {}),
      schema: s,
    });
  }
  for (const [name, h] of Object.entries(r.doc?.headers ?? {}))
    out.push({
      name,
      in: 'header',
      required: h.required ?? false,
      description: h.description,
      schema: h.schema ? toJsonSchema(h.schema) : { type: 'string' },
    });
  if (r.doc?.ifMatch)
    out.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'The ETag of the version this change is based on; 412 when it is no longer current.',
      schema: { type: 'string' },
    });
  return out;
}

function security(r: Route): Json[] {
  if (!r.auth) return [];
  if (!r.auth.required) return [{}, { bearer: [] }];
  return [{ bearer: r.auth.scope ? [r.auth.scope] : [] }];
}

function describe(r: Route): string | undefined {
  const parts = [r.doc?.description];
  if (r.auth?.scope) parts.push(`Requires scope \`${r.auth.scope}\`.`);
  if (r.auth?.note) parts.push(`Who may call it: ${r.auth.note}.`);
  const text = parts.filter(Boolean).join('\n\n');
  return text || undefined;
}

function operation(fn: FunctionSpec, r: Route): Json {
  const op: Json = {
    operationId: operationId(fn.name, r.method, r.path),
    tags: [fn.name],
    summary: r.doc?.summary ?? `${r.method} ${openApiPath(r.path)}`,
  };
  const description = describe(r);
  if (description) op.description = description;
  const params = parameters(r);
  if (params.length > 0) op.parameters = params;
  if (r.body)
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: toJsonSchema(r.body) } },
    };
  else if (r.doc?.requestBody) {
    const b = r.doc.requestBody;
    op.requestBody = {
      required: b.required ?? true,
      description: b.description,
      content: Object.fromEntries(
        b.contentTypes.map((t) => [
          t,
          !STRUCTURED.test(t)
            ? { schema: { type: 'string' } }
            : b.schema
              ? { schema: toJsonSchema(b.schema) }
              : {},
        ]),
      ),
    };
  }
  op.security = security(r);
  const responses: Json = {};
  const documented = Object.entries(r.doc?.responses ?? {});
  if (!documented.some(([status]) => Number(status) < 400)) responses['2XX'] = { description: 'Success' };
  for (const [status, d] of documented) responses[status] = response(d!);
  for (const s of impliedProblems(r, op.requestBody !== undefined))
    responses[String(s)] ??= { $ref: `#/components/responses/Problem${s}` };
  responses['5XX'] = { $ref: '#/components/responses/ServerProblem' };
  op.responses = responses;
  return op;
}

const API_DESCRIPTION = [
  'Grocery commerce for Vietnam: catalog, search, stock, carts, promotions, delivery windows, payments, orders',
  'and notifications, each served by its own function behind one gateway. Generated by `make docs` from the',
  'route definitions; do not edit by hand.',
  '',
  '**Conventions.** Money is integer đồng (VND). Send `Accept-Language: vi` or `en` for texts in that language',
  '(`Content-Language` says which you got). Every answer carries `x-request-id` and a W3C `traceparent`.',
  'Errors are RFC 9457 `application/problem+json`. Writes that create something take an `Idempotency-Key`',
  'where their description says so; changes to versioned resources take `If-Match` with the ETag.',
  '',
  '**Authentication.** A bearer access token (a JWT) from `POST /auth/login` (users) or `POST /auth/token`',
  '(service clients, client credentials). A route that needs a scope names it; roles hold these scopes:',
  '',
  '| scope | customer | staff | admin |',
  '|---|---|---|---|',
  ...SCOPES.map(
    (s) =>
      `| \`${s}\` | ${(['customer', 'staff', 'admin'] as const)
        .map((role) => (ROLE_SCOPES[role].includes(s) ? 'yes' : '-'))
        .join(' | ')} |`,
  ),
].join('\n');

const WEBHOOK_DESCRIPTION = [
  'The provider webhook host: payment, delivery and message providers call these with their own',
  'signatures, which each route verifies before it reads anything; a forgery gets 401 and changes nothing.',
  'Every notification is applied at most once, however often it is sent. Generated by `make docs`.',
].join('\n');

/** The OpenAPI 3.1 document of one audience, from the functions' route tables. */
export function renderOpenApi(tables: readonly FunctionRoutes[], audience: Audience): Json {
  const paths: Record<string, Json> = {};
  const tags: Json[] = [];
  const used = new Set<number>();
  for (const { fn, routes } of tables) {
    const mine = routes.filter((r) => isWebhook(fn, r.path) === (audience === 'webhooks'));
    if (mine.length === 0) continue;
    tags.push({ name: fn.name, description: `Routes of the \`${fn.name}\` function.` });
    for (const r of mine) {
      const op = operation(fn, r);
      for (const key of Object.keys(op.responses as Json))
        if (/^4\d\d$/.test(key) && '$ref' in ((op.responses as Json)[key] as Json)) used.add(Number(key));
      (paths[openApiPath(r.path)] ??= {})[r.method.toLowerCase()] = op;
    }
  }
  const problems: Json = {};
  for (const s of [...used].sort((a, b) => a - b))
    problems[`Problem${s}`] = {
      description: STATUS_CODES[s] ?? `Problem ${s}`,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  problems.ServerProblem = {
    description:
      'The platform or a provider failed; 503 carries `Retry-After` when trying again later may succeed',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  const hosts = environments.map((e) => ({
    url: `https://${audience === 'webhooks' ? e.webhookHost : e.apiHost}`,
    description: e.name,
  }));
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: audience === 'webhooks' ? 'Tươi provider webhooks' : 'Tươi API',
      version: '1',
      description: audience === 'webhooks' ? WEBHOOK_DESCRIPTION : API_DESCRIPTION,
    },
    servers: hosts,
    tags,
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      responses: problems,
      ...(audience === 'public'
        ? {
            securitySchemes: {
              bearer: {
                type: 'http',
                scheme: 'bearer',
                bearerFormat: 'JWT',
                description: 'An access token; scopes are listed per operation.',
              },
            },
          }
        : {}),
    },
  };
}

/** The AsyncAPI 3 document: a channel per producer's topic, a message per event type. */
export function renderAsyncApi(): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messageName = (type: string) => type.replace(/^io\.tuoi\./, '').replace(/\./g, '-');
  for (const producer of [...new Set(contracts.map((c) => c.producer))]) {
    const mine = contracts.filter((c) => c.producer === producer);
    const messages: Json = {};
    for (const c of mine)
      messages[messageName(c.type)] = {
        name: c.type,
        title: c.type,
        summary: c.description,
        contentType: 'application/json',
        headers: {
          type: 'object',
          description: 'CloudEvents binary mode on Kafka: the attributes as `ce_` headers',
          required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type'],
          properties: {
            ce_specversion: { type: 'string', const: '1.0' },
            ce_id: { type: 'string' },
            ce_source: { type: 'string', const: `/functions/${producer}` },
            ce_type: { type: 'string', const: c.type },
            ce_subject: { type: 'string', description: 'The entity id (also the record key)' },
            ce_time: { type: 'string', format: 'date-time' },
            ce_partitionkey: { type: 'string' },
            ce_traceparent: {
              type: 'string',
              description: 'W3C trace context of the request that caused it',
            },
          },
        },
        payload: toJsonSchema(c.data),
        bindings: {
          kafka: { key: { type: 'string', description: 'The entity id: one entity stays in order' } },
        },
      };
    const channel = `events-${producer}`;
    channels[channel] = {
      address: topicFor(producer),
      description: `Events of the \`${producer}\` function, relayed from its transactional outbox.`,
      messages,
    };
    operations[`${producer}-emits`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channel}` },
      summary: `The ${producer} function emits these (at least once, through its outbox)`,
      messages: Object.keys(messages).map((m) => ({ $ref: `#/channels/${channel}/messages/${m}` })),
    };
  }
  for (const t of triggers()) {
    const c = contracts.find((x) => x.type === t.type);
    if (!c) continue;
    const channel = `events-${c.producer}`;
    operations[t.name] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channel}` },
      summary: `${t.subscriber} consumes ${t.type}${t.ordered ? ', in order per entity' : ''}`,
      description:
        `Delivered to \`POST /cloudevents\` of \`${t.subscriber}\` by Trigger \`${t.name}\`: ` +
        `${t.delivery.retry} retries, ${t.delivery.backoffPolicy} backoff from ${t.delivery.backoffDelayMs} ms, ` +
        'then the dead-letter topic. Handled at most once per event id.',
      messages: [{ $ref: `#/channels/${channel}/messages/${messageName(t.type)}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Tươi events',
      version: '1',
      description:
        'Every CloudEvent type Tươi emits, on the Kafka topic of its producer. Generated by `make docs` from `events/` and the function registry.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: environments[0]!.kafka.bootstrap,
        protocol: 'kafka',
        description: 'The cluster (Strimzi); `make dev` uses a local broker.',
      },
    },
    channels,
    operations,
  };
}

/** Every document `make docs` writes, by file name under docs/. */
export async function renderContracts(): Promise<Record<string, Json>> {
  const tables = await routeTables(
    docsEnv,
    registry.filter((fn) => !fn.pages),
  );
  return {
    'openapi.json': renderOpenApi(tables, 'public'),
    'openapi-webhooks.json': renderOpenApi(tables, 'webhooks'),
    'asyncapi.json': renderAsyncApi(),
  };
}

/** The text of a document as committed. */
export const documentText = (doc: Json): string => `${JSON.stringify(doc, null, 2)}\n`;

if (require.main === module) {
  void renderContracts().then((docs) => {
    for (const [name, doc] of Object.entries(docs)) {
      writeFileSync(join(repoRoot(), 'docs', name), documentText(doc));
      console.log(`wrote docs/${name}`);
    }
  });
}
