/** Response schemas of the order function (TypeBox), as the API documents its answers (`orderView`). */
import { Type, type TSchema } from '@sinclair/typebox';
import { STATUSES } from './lifecycle';
import { RAILS } from './rails';

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Bilingual = Type.Object({ en: Type.String(), vi: Type.String() });
const Reason = Type.Object({ code: Type.String(), message: Bilingual });
/** A reason with its text in the answer's language. */
const ReasonText = Type.Object({ code: Type.String(), message: Bilingual, text: Type.String() });
const SoldBy = literals(['piece', 'weight'] as const);

const Line = Type.Object({
  sku: Type.String(),
  name: Bilingual,
  /** The name in the answer's language. */
  name_text: Type.String(),
  sold_by: SoldBy,
  qty: Type.Optional(Type.Integer()),
  grams: Type.Optional(Type.Integer()),
  substitution: Type.Union([
    Type.Object({ mode: Type.Literal('best_match') }),
    Type.Object({ mode: Type.Literal('specific'), skus: Type.Array(Type.String()) }),
    Type.Object({ mode: Type.Literal('none') }),
  ]),
  note: Type.Optional(Type.String()),
});

const PickingLine = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  sold_by: SoldBy,
  ordered: Type.Integer(),
  picked: Type.Integer(),
  state: literals(['open', 'picked', 'short'] as const),
  estimate_vnd: Type.Integer(),
  substitute: Type.Optional(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      amount: Type.Integer(),
      state: literals(['pending', 'proposed', 'approved', 'rejected', 'expired', 'unavailable'] as const),
      price_vnd: Type.Optional(Type.Integer()),
      deadline_at: Type.Optional(Instant),
    }),
  ),
});

const Bill = Type.Object({
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Bilingual,
      sold_by: SoldBy,
      ordered: Type.Integer(),
      picked: Type.Integer(),
      estimate_vnd: Type.Integer(),
      charged_vnd: Type.Integer(),
      difference_vnd: Type.Integer(),
      substitute: Type.Optional(
        Type.Object({
          sku: Type.String(),
          name: Bilingual,
          amount: Type.Integer(),
          charged_vnd: Type.Integer(),
        }),
      ),
    }),
  ),
  delivery_vnd: Type.Integer(),
  estimate_vnd: Type.Integer(),
  total_vnd: Type.Integer(),
  difference_vnd: Type.Integer(),
});

/** An order as the API answers it (`orderView`); optional keys appear once the order got that far. */
export const OrderView = Type.Object({
  id: Type.String(),
  status: literals(STATUSES),
  /** The status in the answer's language. */
  status_label: Type.String(),
  status_labels: Bilingual,
  customer_id: Type.String(),
  cart_id: Type.String(),
  lang: literals(['en', 'vi'] as const),
  location: Type.String(),
  fulfilment: Type.Object({
    kind: literals(['delivery', 'pickup'] as const),
    slot: Type.String(),
    hold_id: Type.String(),
    window: Type.Object({ starts_at: Instant, ends_at: Instant, fee_vnd: Type.Integer() }),
    /** A snapshot of the delivery address as the customer saved it. */
    address: Type.Optional(Type.Object({})),
  }),
  lines: Type.Array(Line),
  coupons: Type.Array(Type.String()),
  payment: Type.Object({
    id: Type.String(),
    rail: literals(RAILS),
    next_action: Nullable(literals(['redirect', 'client_secret', 'none'] as const)),
    redirect_url: Type.Optional(Type.String()),
    amount_vnd: Nullable(Type.Integer()),
  }),
  /** The frozen quote (promotions' pricing), once priced. */
  quote: Nullable(Type.Object({})),
  total_vnd: Nullable(Type.Integer()),
  refund_vnd: Type.Integer(),
  reason: Type.Optional(ReasonText),
  /** Whether every step of the checkout has answered. */
  settled: Type.Boolean(),
  created_at: Instant,
  updated_at: Instant,
  confirmed_at: Type.Optional(Instant),
  cancelled_at: Type.Optional(Instant),
  picking: Type.Optional(Type.Array(PickingLine)),
  bill: Type.Optional(Bill),
  final_vnd: Type.Optional(Type.Integer()),
  captured_vnd: Type.Integer(),
  refunds: Type.Array(
    Type.Object({
      id: Type.String(),
      amount_vnd: Type.Integer(),
      reason: ReasonText,
      skus: Type.Array(Type.String()),
      state: literals(['sent', 'done', 'refused'] as const),
      refusal: Type.Optional(Reason),
    }),
  ),
  tracking: Type.Optional(
    Type.Object({
      delivery_id: Type.String(),
      carrier: Type.Optional(Type.String()),
      status: Type.Optional(Type.String()),
      tracking_url: Type.Optional(Nullable(Type.String())),
      eta_at: Type.Optional(Nullable(Type.String())),
      ready_at: Type.Optional(Type.String()),
    }),
  ),
  /** Commands after confirmation an owner refused, for staff to look at. */
  attention: Type.Array(Type.Object({ command: Type.String(), reason: Type.Optional(Reason) })),
  packed_at: Type.Optional(Instant),
  completed_at: Type.Optional(Instant),
});

/** A page of orders, newest first; `next` is the cursor of the next page. */
export const OrderPage = Type.Object({ items: Type.Array(OrderView), next: Nullable(Type.String()) });

/** An order's saga state and log. */
export const SagaView = Type.Object({
  order_id: Type.String(),
  state: Type.Object({}),
  log: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      input: Type.Unknown(),
      phase: Type.String(),
      sent: Type.Unknown(),
      at: Instant,
    }),
  ),
});
