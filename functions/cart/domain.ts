/**
 * The cart's rules as pure functions over the stored document: add to a line, set one, remove one,
 * coupons, fulfilment, and the merge of a guest cart into a customer's. No I/O and no clock (`now`
 * is passed in): the service applies them inside a compare-and-set loop, so a rule runs again on
 * the fresh document whenever another write got there first.
 */
import type { FieldError } from '../shared/errors';
import type { Cart, CartLine, Fulfilment, Substitution } from './model';
import type { ProductInfo } from './ports';

/** Most lines in a cart. */
export const MAX_LINES = 200;
/** Most pieces on one line. */
export const MAX_PIECES = 50;
/** Most grams on one line (20 kg). */
export const MAX_GRAMS = 20_000;
/** Items sold by weight are bought in steps of this many grams. */
export const WEIGHT_STEP_G = 100;
/** Most coupon codes on a cart. */
export const MAX_COUPONS = 5;

/** What a client asks for a line. */
export interface LineInput {
  qty?: number;
  grams?: number;
  note?: string | null;
  substitution?: Substitution | null;
}

/** A rule's verdict: the changed cart, or why nothing changed. */
export type Outcome =
  | { ok: true; cart: Cart }
  | { ok: false; kind: 'invalid'; errors: FieldError[] }
  | { ok: false; kind: 'not-found'; message: string }
  | { ok: false; kind: 'closed'; message: string; mergedInto?: string };

const invalid = (field: string, code: string, message: string): Outcome => ({
  ok: false,
  kind: 'invalid',
  errors: [{ field, code, message }],
});

/** Refuses writes to a cart that is no longer open. */
export function closedOutcome(cart: Cart): Outcome | undefined {
  if (cart.status === 'active') return undefined;
  if (cart.status === 'checked_out')
    return { ok: false, kind: 'closed', message: 'This cart was checked out; start a new one' };
  return {
    ok: false,
    kind: 'closed',
    message: 'This cart was merged into your account cart',
    ...(cart.merged_into ? { mergedInto: cart.merged_into } : {}),
  };
}

/**
 * The amount a line input means for a product: pieces for items sold by the piece; grams for items
 * sold by weight (pieces of the nominal weight become grams, rounded up to the step).
 */
export function amountOf(
  input: Pick<LineInput, 'qty' | 'grams'>,
  product: ProductInfo,
): { qty: number } | { grams: number } | { error: FieldError } {
  if (product.sold_by === 'piece') {
    if (input.grams !== undefined)
      return {
        error: { field: '/grams', code: 'sold-by-piece', message: `${product.sku} is sold by the piece` },
      };
    if (input.qty === undefined)
      return { error: { field: '/qty', code: 'required', message: 'Give the number of pieces' } };
    return { qty: input.qty };
  }
  if ((input.qty === undefined) === (input.grams === undefined))
    return {
      error: {
        field: '/qty',
        code: 'one-of',
        message: `${product.sku} is sold by weight: give qty or grams`,
      },
    };
  if (input.grams !== undefined) {
    if (input.grams % WEIGHT_STEP_G !== 0)
      return {
        error: { field: '/grams', code: 'step', message: `Weights go in steps of ${WEIGHT_STEP_G} g` },
      };
    return { grams: input.grams };
  }
  const nominal = product.nominal_weight_g ?? WEIGHT_STEP_G;
  return { grams: Math.ceil((input.qty! * nominal) / WEIGHT_STEP_G) * WEIGHT_STEP_G };
}

function listPrice(product: ProductInfo): number {
  return product.sold_by === 'weight' ? (product.price_per_kg_vnd ?? product.price_vnd) : product.price_vnd;
}

function onSale(sku: string, product: ProductInfo | undefined, field = '/sku'): FieldError | undefined {
  if (!product || product.status === 'deleted')
    return { field, code: 'unknown-sku', message: `No product ${sku}` };
  if (product.status !== 'active') return { field, code: 'not-on-sale', message: `${sku} is not on sale` };
  return undefined;
}

function substitutionProblem(
  sku: string,
  s: Substitution | null | undefined,
  products: ReadonlyMap<string, ProductInfo>,
): FieldError | undefined {
  if (!s || s.mode !== 'specific') return undefined;
  if (s.skus.includes(sku))
    return { field: '/substitution/skus', code: 'self', message: 'A line cannot be its own substitute' };
  for (const [i, alt] of s.skus.entries()) {
    const problem = onSale(alt, products.get(alt), `/substitution/skus/${i}`);
    if (problem) return problem;
  }
  return undefined;
}

function withLines(cart: Cart, lines: CartLine[], now: string): Cart {
  return { ...cart, lines, updated_at: now, lines_touched_at: lines.length ? now : undefined };
}

function applyDetails(line: CartLine, input: LineInput): CartLine {
  const next = { ...line };
  if (input.note === null) delete next.note;
  else if (input.note !== undefined) next.note = input.note;
  if (input.substitution === null) delete next.substitution;
  else if (input.substitution !== undefined) next.substitution = input.substitution;
  return next;
}

/**
 * Adds to a line, as an "add to cart" button does: a new line, or more of an existing one (within
 * the per-line limit). `products` holds the SKU and any chosen substitutes.
 */
export function addToLine(
  cart: Cart,
  sku: string,
  input: LineInput,
  products: ReadonlyMap<string, ProductInfo>,
  now: string,
): Outcome {
  const closed = closedOutcome(cart);
  if (closed) return closed;
  const product = products.get(sku);
  const problem = onSale(sku, product) ?? substitutionProblem(sku, input.substitution, products);
  if (problem) return { ok: false, kind: 'invalid', errors: [problem] };
  const amount = amountOf(input, product!);
  if ('error' in amount) return { ok: false, kind: 'invalid', errors: [amount.error] };
  const at = cart.lines.findIndex((l) => l.sku === sku);
  if (at < 0) {
    if (cart.lines.length >= MAX_LINES)
      return invalid('/sku', 'too-many-lines', `A cart holds at most ${MAX_LINES} lines`);
    const fresh: CartLine = {
      sku,
      ...amount,
      price_at_add_vnd: listPrice(product!),
      added_at: now,
      updated_at: now,
    };
    const limit = lineLimit(fresh);
    if (limit) return limit;
    return { ok: true, cart: withLines(cart, [...cart.lines, applyDetails(fresh, input)], now) };
  }
  const line = cart.lines[at]!;
  const summed: CartLine = {
    ...line,
    ...('qty' in amount
      ? { qty: (line.qty ?? 0) + amount.qty }
      : { grams: (line.grams ?? 0) + amount.grams }),
    updated_at: now,
  };
  const limit = lineLimit(summed);
  if (limit) return limit;
  const lines = [...cart.lines];
  lines[at] = applyDetails(summed, input);
  return { ok: true, cart: withLines(cart, lines, now) };
}

function lineLimit(line: CartLine): Outcome | undefined {
  if (line.qty !== undefined && line.qty > MAX_PIECES)
    return invalid('/qty', 'line-limit', `At most ${MAX_PIECES} pieces of one product`);
  if (line.grams !== undefined && line.grams > MAX_GRAMS)
    return invalid('/grams', 'line-limit', `At most ${MAX_GRAMS / 1000} kg of one product`);
  return undefined;
}

/** Sets a line's amount, note or substitution (the line must exist). */
export function setLine(
  cart: Cart,
  sku: string,
  input: LineInput,
  products: ReadonlyMap<string, ProductInfo>,
  now: string,
): Outcome {
  const closed = closedOutcome(cart);
  if (closed) return closed;
  const at = cart.lines.findIndex((l) => l.sku === sku);
  if (at < 0) return { ok: false, kind: 'not-found', message: `No line for ${sku} in this cart` };
  const problem = substitutionProblem(sku, input.substitution, products);
  if (problem) return { ok: false, kind: 'invalid', errors: [problem] };
  let line: CartLine = { ...cart.lines[at]!, updated_at: now };
  if (input.qty !== undefined || input.grams !== undefined) {
    const product = products.get(sku);
    const sale = onSale(sku, product);
    if (sale) return { ok: false, kind: 'invalid', errors: [sale] };
    const amount = amountOf(input, product!);
    if ('error' in amount) return { ok: false, kind: 'invalid', errors: [amount.error] };
    const { qty: _q, grams: _g, ...rest } = line;
    line = { ...rest, ...amount };
    const limit = lineLimit(line);
    if (limit) return limit;
  }
  const lines = [...cart.lines];
  lines[at] = applyDetails(line, input);
  return { ok: true, cart: withLines(cart, lines, now) };
}

/** Removes a line (removing one that is not there changes nothing and is not an error). */
export function removeLine(cart: Cart, sku: string, now: string): Outcome {
  const closed = closedOutcome(cart);
  if (closed) return closed;
  if (!cart.lines.some((l) => l.sku === sku)) return { ok: true, cart };
  return {
    ok: true,
    cart: withLines(
      cart,
      cart.lines.filter((l) => l.sku !== sku),
      now,
    ),
  };
}

/** Adds a coupon code (upper-cased; adding it again changes nothing). */
export function addCoupon(cart: Cart, code: string, now: string): Outcome {
  const closed = closedOutcome(cart);
  if (closed) return closed;
  const upper = code.toUpperCase();
  if (cart.coupons.includes(upper)) return { ok: true, cart };
  if (cart.coupons.length >= MAX_COUPONS)
    return invalid('/code', 'too-many-coupons', `At most ${MAX_COUPONS} codes on a cart`);
  return { ok: true, cart: { ...cart, coupons: [...cart.coupons, upper], updated_at: now } };
}

export function removeCoupon(cart: Cart, code: string, now: string): Outcome {
  const closed = closedOutcome(cart);
  if (closed) return closed;
  const upper = code.toUpperCase();
  if (!cart.coupons.includes(upper)) return { ok: true, cart };
  return { ok: true, cart: { ...cart, coupons: cart.coupons.filter((c) => c !== upper), updated_at: now } };
}

export function setFulfilment(cart: Cart, fulfilment: Fulfilment, now: string): Outcome {
  const closed = closedOutcome(cart);
  if (closed) return closed;
  return { ok: true, cart: { ...cart, fulfilment, updated_at: now } };
}

/** What a merge did beyond adding: lines capped at the per-line limit, lines that did not fit. */
export interface MergeReport {
  capped: string[];
  dropped: string[];
}

/**
 * Merges `guest`'s lines into `target`: the same SKU adds up within the per-line limit, new SKUs
 * are appended while there is room, coupons join (up to the limit), and the target's fulfilment
 * wins. Merging a guest cart already in `merged_from` changes nothing: a merge happens once.
 */
export function mergeInto(target: Cart, guest: Cart, now: string): { cart: Cart; report: MergeReport } {
  const report: MergeReport = { capped: [], dropped: [] };
  if (target.merged_from.includes(guest.id) || guest.lines.length + guest.coupons.length === 0)
    return {
      cart: target.merged_from.includes(guest.id)
        ? target
        : { ...target, merged_from: [...target.merged_from, guest.id], updated_at: now },
      report,
    };
  const lines = [...target.lines];
  for (const g of guest.lines) {
    const at = lines.findIndex((l) => l.sku === g.sku);
    if (at < 0) {
      if (lines.length >= MAX_LINES) report.dropped.push(g.sku);
      else lines.push({ ...g, updated_at: now });
      continue;
    }
    const t = lines[at]!;
    const qty = t.qty !== undefined || g.qty !== undefined ? (t.qty ?? 0) + (g.qty ?? 0) : undefined;
    const grams =
      t.grams !== undefined || g.grams !== undefined ? (t.grams ?? 0) + (g.grams ?? 0) : undefined;
    const capQty = qty === undefined ? undefined : Math.min(qty, MAX_PIECES);
    const capGrams = grams === undefined ? undefined : Math.min(grams, MAX_GRAMS);
    if (capQty !== qty || capGrams !== grams) report.capped.push(g.sku);
    lines[at] = {
      ...t,
      ...(capQty !== undefined ? { qty: capQty } : {}),
      ...(capGrams !== undefined ? { grams: capGrams } : {}),
      note: t.note ?? g.note,
      substitution: t.substitution ?? g.substitution,
      updated_at: now,
    };
    if (lines[at]!.note === undefined) delete lines[at]!.note;
    if (lines[at]!.substitution === undefined) delete lines[at]!.substitution;
  }
  const coupons = [...target.coupons];
  for (const c of guest.coupons) if (!coupons.includes(c) && coupons.length < MAX_COUPONS) coupons.push(c);
  return {
    cart: {
      ...withLines(target, lines, now),
      coupons,
      ...((target.fulfilment ?? guest.fulfilment)
        ? { fulfilment: target.fulfilment ?? guest.fulfilment }
        : {}),
      merged_from: [...target.merged_from, guest.id],
    },
    report,
  };
}
