/**
 * HTTP routes of the promotions function. Quotes and the list of what is on offer are public;
 * staff manage promotions, codes and VAT rates with promotions:read / promotions:write; checkout
 * reserves, commits and releases redemptions with promotions:redeem.
 */
import { Type } from '@sinclair/typebox';
import { hasScope, type Principal } from '../shared/auth/principal';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { ifMatchVersion, route, type HttpRequest, type Route } from '../shared/http';
import { isLive } from './announcements';
import type { Definition } from './definition';
import type { Customer } from './model';
import type { PromotionRow } from './promotion-store';
import { definitionOf, type promotionUseCases } from './promotions';
import { quote, type QuoteSources } from './quote';
import type { RedemptionRow } from './redemption-store';
import type { Redemptions } from './redemptions';
import type { QuoteBody as QuoteRequest } from './schemas';
import {
  CouponBatchBody,
  CouponBody,
  CreatePromotionBody,
  IdParam,
  PromotionBody,
  QuoteBody,
  RedemptionBody,
  RedemptionIdParam,
  VatRatesBody,
} from './schemas';
import {
  CouponBatchView,
  CouponView,
  NewCouponView,
  PromotionView,
  PublicPromotionView,
  QuoteView,
  RedemptionView,
  VatTableView,
} from './views';

/** What the routes need. */
export interface PromotionDeps {
  sources: QuoteSources;
  staff: ReturnType<typeof promotionUseCases>;
  redemptions: Redemptions;
  now?: () => Date;
}

/** Ids a promotion cannot take: they are paths. */
const RESERVED_IDS = new Set(['active']);

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(['draft', 'active', 'paused', 'ended'].map((s) => Type.Literal(s)))),
    after: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$' })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|100)$' })),
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('vi')])),
  },
  { additionalProperties: false },
);
const CouponListQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$' })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]{0,2}|1000)$' })),
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('vi')])),
  },
  { additionalProperties: false },
);
const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('vi')])) },
  { additionalProperties: false },
);
const SettleBody = Type.Object(
  { order_id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' })) },
  { additionalProperties: false },
);

const TAGGED = {
  etag: 'The version, `"v<n>"`, for If-Match',
  location: 'The promotion: `/promotions/{id}`',
};
const AT_LOCATION = { location: 'The redemption: `/coupon-redemptions/{id}`' };
const VAT_TAG = { etag: 'The version of the table, `"v<n>"`, for If-Match' };

const actorOf = (req: HttpRequest<unknown, unknown>) => req.auth?.sub ?? 'unknown';

/** The version an If-Match header asks for (`"v3"`), undefined without one or for `*`. */
export const expectedVersion = (header: string | undefined): number | undefined =>
  ifMatchVersion(header, 'v');

function promotionView(row: PromotionRow) {
  return {
    ...row.definition,
    used: row.used,
    live: row.announced,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
  };
}
const withTag = (row: PromotionRow, status = 200) => ({
  status,
  headers: { etag: `"v${row.version}"`, location: `/promotions/${row.definition.id}` },
  body: promotionView(row),
});

/** What a customer may claim about themselves in a quote; trusted callers may state anything. */
export function quoteCustomer(body: QuoteRequest['customer'], caller: Principal | undefined): Customer {
  const trusted = hasScope(caller, 'promotions:redeem') || hasScope(caller, 'promotions:read');
  const c = body ?? {};
  if (trusted)
    return {
      ...(c.id ? { id: c.id } : {}),
      firstOrder: c.first_order ?? false,
      staff: c.staff ?? false,
      dietary: c.dietary ?? [],
    };
  return {
    ...(caller ? { id: caller.sub } : {}),
    firstOrder: c.first_order ?? false,
    staff: caller?.role === 'staff' || caller?.role === 'admin',
    dietary: c.dietary ?? [],
  };
}

/** What customers see of a live promotion (never its limits or rules). */
function publicView(d: Definition) {
  return {
    id: d.id,
    name: d.name,
    label: d.label,
    kind: d.discount.kind,
    target: d.target,
    starts_at: d.starts_at ?? null,
    ends_at: d.ends_at ?? null,
    min_order_value_vnd: d.conditions?.min_order_value_vnd ?? null,
    first_order: d.conditions?.first_order ?? false,
  };
}

function redemptionAnswer(r: RedemptionRow, status: number) {
  const { request_hash: _hash, ...view } = r;
  return { status, headers: { location: `/coupon-redemptions/${r.id}` }, body: view };
}

/** Every route of the function. */
export function promotionRoutes(deps: PromotionDeps, check: Verifier): Route[] {
  const now = deps.now ?? (() => new Date());
  const read = (r: Route) => guarded(check, { scope: 'promotions:read' }, r);
  const write = (r: Route) => guarded(check, { scope: 'promotions:write' }, r);
  const redeem = (r: Route) => guarded(check, { scope: 'promotions:redeem' }, r);
  const settle = (kind: 'commit' | 'release') =>
    redeem(
      route({
        method: 'POST',
        path: `/coupon-redemptions/:id/${kind}`,
        params: RedemptionIdParam,
        body: SettleBody,
        doc: {
          summary:
            kind === 'commit'
              ? 'Commit a reserved redemption: the use counts for good'
              : 'Release a redemption: its use is given back',
          description:
            kind === 'commit'
              ? 'Repeating it answers 200 again; a released or expired redemption, or one whose hold ran out, is a 409.'
              : 'A held or committed use is given back (an order cancelled after commit); repeating it, or ' +
                'releasing an expired one, answers 200.',
          responses: {
            200: { description: 'The redemption after it', headers: AT_LOCATION, body: RedemptionView },
          },
          problems: kind === 'commit' ? [404, 409] : [404],
        },
        async handle(req) {
          const id = req.params.id!;
          const result =
            kind === 'commit'
              ? await deps.redemptions.commit(id, req.body.order_id)
              : await deps.redemptions.release(id);
          if (result.kind === 'not-found') throw new NotFoundError(`No redemption ${id}`);
          if (result.kind === 'conflict')
            throw new ConflictError(result.message, { state: result.redemption.state });
          return redemptionAnswer(result.redemption, 200);
        },
      }),
    );
  return [
    route({
      method: 'POST',
      path: '/pricing/quote',
      body: QuoteBody,
      query: LangQuery,
      auth: {
        required: false,
        note:
          'a caller with promotions:redeem or promotions:read may state any customer; anyone else ' +
          "is priced as the token's user (staff role from the token), anonymous without one",
      },
      doc: {
        summary: 'Price a cart with the promotions and VAT in force',
        description:
          'Automatic promotions and the given coupon codes are applied; codes that do not apply come back ' +
          'rejected with a reason. Nothing is reserved. A forged or expired token is a 401.',
        responses: { 200: { description: 'The priced cart', body: QuoteView } },
        problems: [401],
      },
      async handle(req) {
        const caller = await check.optional(req.headers);
        const customer = quoteCustomer(req.body.customer, caller);
        return { status: 200, body: await quote(deps.sources, req.body, customer, now()) };
      },
    }),
    route({
      method: 'GET',
      path: '/promotions/active',
      query: LangQuery,
      doc: {
        summary: 'Automatic promotions live now, as customers see them',
        description: 'Coupon-only and staff-only promotions are left out, and so are limits and rules.',
        responses: {
          200: {
            description: 'The live promotions at `at`',
            body: Type.Object({
              at: Type.String({ format: 'date-time' }),
              promotions: Type.Array(PublicPromotionView),
            }),
          },
        },
      },
      async handle() {
        const at = now();
        const live = (await deps.sources.active()).filter(
          (d) => isLive(d, at) && !d.requires_coupon && !d.conditions?.staff,
        );
        return {
          status: 200,
          headers: { 'cache-control': 'public, max-age=30' },
          body: { at: at.toISOString(), promotions: live.map(publicView) },
        };
      },
    }),
    read(
      route({
        method: 'GET',
        path: '/promotions',
        query: ListQuery,
        doc: {
          summary: 'Promotions by id, optionally of one status',
          description: 'Pages of `limit` (1-100, default 50); pass next_after as `after` for the next page.',
          responses: {
            200: {
              description: 'One page; next_after is null on the last page',
              body: Type.Object({
                promotions: Type.Array(PromotionView),
                next_after: Type.Union([Type.String(), Type.Null()]),
              }),
            },
          },
        },
        async handle(req) {
          const limit = Number(req.query.limit ?? 50);
          const rows = await deps.sources.promotions.list(deps.sources.db, {
            status: req.query.status,
            after: req.query.after,
            limit: limit + 1,
          });
          const page = rows.slice(0, limit);
          return {
            status: 200,
            body: {
              promotions: page.map(promotionView),
              next_after: rows.length > limit ? page[page.length - 1]!.definition.id : null,
            },
          };
        },
      }),
    ),
    write(
      route({
        method: 'POST',
        path: '/promotions',
        body: CreatePromotionBody,
        doc: {
          summary: 'Create a promotion',
          description: 'Cross-field rules and unknown SKUs are a 400; a taken id is a 409.',
          responses: { 201: { description: 'Created', headers: TAGGED, body: PromotionView } },
          problems: [409],
        },
        async handle(req) {
          const { id, ...body } = req.body;
          if (RESERVED_IDS.has(id))
            throw new ValidationError('The id is reserved', [
              { field: '/id', code: 'reserved', message: `${id} is a path` },
            ]);
          return withTag(await deps.staff.create(definitionOf(id, body), actorOf(req)), 201);
        },
      }),
    ),
    read(
      route({
        method: 'GET',
        path: '/promotions/:id',
        params: IdParam,
        query: LangQuery,
        doc: {
          summary: 'A promotion by id',
          responses: { 200: { description: 'The promotion', headers: TAGGED, body: PromotionView } },
          problems: [404],
        },
        async handle(req) {
          const row = await deps.sources.promotions.get(deps.sources.db, req.params.id!);
          if (!row) throw new NotFoundError(`No promotion ${req.params.id}`);
          return withTag(row);
        },
      }),
    ),
    write(
      route({
        method: 'PUT',
        path: '/promotions/:id',
        params: IdParam,
        body: PromotionBody,
        doc: {
          summary: 'Replace a promotion',
          description:
            'An ended promotion cannot change, and a global limit cannot go below the uses counted (409). ' +
            'If-Match (optional) takes the ETag `"v<n>"`; a stale one is a 412.',
          responses: {
            200: { description: 'The promotion after the change', headers: TAGGED, body: PromotionView },
          },
          problems: [404, 409, 412],
          ifMatch: true,
        },
        async handle(req) {
          const expected = expectedVersion(req.headers['if-match']);
          return withTag(
            await deps.staff.replace(definitionOf(req.params.id!, req.body), actorOf(req), expected),
          );
        },
      }),
    ),
    write(
      route({
        method: 'DELETE',
        path: '/promotions/:id',
        params: IdParam,
        doc: {
          summary: 'Delete a promotion nobody has used',
          description: 'A used promotion is a 409: set its status to ended instead.',
          responses: { 204: { description: 'Deleted', empty: true } },
          problems: [404, 409],
        },
        async handle(req) {
          await deps.staff.remove(req.params.id!);
          return { status: 204 };
        },
      }),
    ),
    read(
      route({
        method: 'GET',
        path: '/promotions/:id/coupons',
        params: IdParam,
        query: CouponListQuery,
        doc: {
          summary: "A promotion's coupon codes",
          description:
            'Pages of `limit` (1-1000, default 100) by code; pass next_after as `after` for the next page. ' +
            'An unknown promotion has no codes (an empty page, not a 404).',
          responses: {
            200: {
              description: 'One page; next_after is null on the last page',
              body: Type.Object({
                coupons: Type.Array(CouponView),
                next_after: Type.Union([Type.String(), Type.Null()]),
              }),
            },
          },
        },
        async handle(req) {
          const limit = Number(req.query.limit ?? 100);
          const rows = await deps.sources.promotions.coupons(deps.sources.db, req.params.id!, {
            after: req.query.after,
            limit: limit + 1,
          });
          const page = rows.slice(0, limit);
          return {
            status: 200,
            body: { coupons: page, next_after: rows.length > limit ? page[page.length - 1]!.code : null },
          };
        },
      }),
    ),
    write(
      route({
        method: 'POST',
        path: '/promotions/:id/coupons',
        params: IdParam,
        body: CouponBody,
        doc: {
          summary: 'Create a coupon code for a promotion',
          description:
            'The code is stored upper-case. The promotion must require a coupon and not have ended, and the ' +
            'code must be free (409 otherwise).',
          responses: { 201: { description: 'Created', body: NewCouponView } },
          problems: [404, 409],
        },
        async handle(req) {
          return { status: 201, body: await deps.staff.createCoupon(req.params.id!, req.body) };
        },
      }),
    ),
    write(
      route({
        method: 'POST',
        path: '/promotions/:id/coupon-batches',
        params: IdParam,
        body: CouponBatchBody,
        doc: {
          summary: 'Generate single-use coupon codes for a promotion',
          description:
            'Codes read `PREFIX-XXXX-XXXX`. The promotion must require a coupon and not have ended (409).',
          responses: { 201: { description: 'The codes generated', body: CouponBatchView } },
          problems: [404, 409],
        },
        async handle(req) {
          return { status: 201, body: await deps.staff.createBatch(req.params.id!, req.body) };
        },
      }),
    ),
    read(
      route({
        method: 'GET',
        path: '/vat-rates',
        query: LangQuery,
        doc: {
          summary: 'The VAT rate table',
          responses: { 200: { description: 'The table', headers: VAT_TAG, body: VatTableView } },
        },
        async handle() {
          const table = await deps.sources.promotions.vatTable(deps.sources.db);
          return { status: 200, headers: { etag: `"v${table.version}"` }, body: vatView(table) };
        },
      }),
    ),
    write(
      route({
        method: 'PUT',
        path: '/vat-rates',
        body: VatRatesBody,
        doc: {
          summary: 'Replace the VAT rate table',
          description:
            'Rows of one category must not overlap nor end before they start (400). If-Match ' +
            '(optional) takes the ETag `"v<n>"`; a stale one is a 412.',
          responses: { 200: { description: 'The table now in force', headers: VAT_TAG, body: VatTableView } },
          problems: [412],
          ifMatch: true,
        },
        async handle(req) {
          const expected = expectedVersion(req.headers['if-match']);
          const table = await deps.staff.replaceVat(req.body, actorOf(req), expected);
          return { status: 200, headers: { etag: `"v${table.version}"` }, body: vatView(table) };
        },
      }),
    ),
    redeem(
      route({
        method: 'POST',
        path: '/coupon-redemptions',
        body: RedemptionBody,
        doc: {
          summary: 'Reserve one use of a coupon code or a limited promotion',
          description:
            'Give either code or promotion_id. Idempotent by id: the same request again answers 200; the id ' +
            'with another request is a 409, and so is a use the limits refuse (with `reason`). An unknown ' +
            'code or promotion is a 404. The use is given back unless committed within ttl_seconds.',
          responses: {
            201: { description: 'Reserved', headers: AT_LOCATION, body: RedemptionView },
            200: { description: 'A replay of the same request', headers: AT_LOCATION, body: RedemptionView },
          },
          problems: [404, 409],
        },
        async handle(req) {
          const body = req.body;
          if ((body.code === undefined) === (body.promotion_id === undefined))
            throw new ValidationError('Give a code or a promotion_id', [
              { field: '/code', code: 'one-of', message: 'Give either code or promotion_id' },
            ]);
          const result = await deps.redemptions.reserve(body, actorOf(req));
          switch (result.kind) {
            case 'held':
              return redemptionAnswer(result.redemption, result.replayed ? 200 : 201);
            case 'unknown-code':
              throw new NotFoundError(`No coupon ${body.code?.toUpperCase()}`);
            case 'unknown-promotion':
              throw new NotFoundError(`No promotion ${body.promotion_id}`);
            case 'conflict':
              throw new ConflictError(result.message);
            case 'refused':
              throw new ConflictError(result.reason.en, { reason: result.reason });
          }
        },
      }),
    ),
    redeem(
      route({
        method: 'GET',
        path: '/coupon-redemptions/:id',
        params: RedemptionIdParam,
        doc: {
          summary: 'A redemption by id',
          responses: { 200: { description: 'The redemption', headers: AT_LOCATION, body: RedemptionView } },
          problems: [404],
        },
        async handle(req) {
          const r = await deps.redemptions.get(deps.sources.db, req.params.id!);
          if (!r) throw new NotFoundError(`No redemption ${req.params.id}`);
          return redemptionAnswer(r, 200);
        },
      }),
    ),
    settle('commit'),
    settle('release'),
  ];
}

function vatView(table: Awaited<ReturnType<QuoteSources['promotions']['vatTable']>>) {
  return {
    version: table.version,
    updated_at: table.updated_at,
    rates: table.rates.map((r) => ({
      category: r.category,
      rate_bp: r.rateBp,
      from: r.from ?? null,
      until: r.until ?? null,
      exempt: r.exempt ?? false,
    })),
  };
}
