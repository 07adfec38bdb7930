/**
 * The cart's use cases over the storage port. Every change is a rule from domain.ts applied in a
 * compare-and-set loop: read, apply, write if nobody wrote meanwhile, else read again and re-apply.
 * So parallel adds of different SKUs all land and parallel adds of one SKU all sum; an update is
 * never lost. A merge takes three such steps, each safe to repeat, so a crash between any two of
 * them is finished by the next sign-in.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ConflictError, PreconditionFailedError } from '../shared/errors';
import { mergeInto, type MergeReport, type Outcome } from './domain';
import type { Cart } from './model';
import type { CartStore } from './ports';

/** Attempts before a compare-and-set loop gives up (only under pathological contention). */
const MAX_ATTEMPTS = 64;

/** A guest token: the cart id and 256 random bits, `<id>.<secret>`; only its hash is stored. */
export function newGuestToken(id: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${id}.${secret}`, hash: hashSecret(secret) };
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The cart id a guest token names, or undefined when it is not shaped like one. */
export function tokenCartId(token: string | undefined): string | undefined {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/.exec(
    token ?? '',
  );
  return m?.[1];
}

/** Whether `token` opens guest cart `cart` (constant-time on the hash). */
export function tokenOpens(cart: Cart, token: string | undefined): boolean {
  if (cart.owner.kind !== 'guest' || tokenCartId(token) !== cart.id) return false;
  const given = Buffer.from(hashSecret(token!.slice(cart.id.length + 1)), 'hex');
  const stored = Buffer.from(cart.owner.token_hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The use cases. */
export function cartUseCases(deps: { store: CartStore; now?: () => Date }) {
  const { store } = deps;
  const now = () => (deps.now?.() ?? new Date()).toISOString();

  const fresh = (id: string, owner: Cart['owner']): Cart => {
    const at = now();
    return {
      id,
      version: 1,
      status: 'active',
      owner,
      lines: [],
      coupons: [],
      merged_from: [],
      created_at: at,
      updated_at: at,
    };
  };

  /**
   * Applies `rule` to the stored cart until a compare-and-set lands. `expected` (If-Match) is
   * checked against the first read only: a client that read version n may change version n.
   * `read` is a copy the caller already read (the first attempt uses it instead of reading again).
   */
  async function mutate(
    id: string,
    rule: (cart: Cart) => Outcome,
    expected?: number,
    read?: Cart,
  ): Promise<Outcome & { cart?: Cart }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cart = attempt === 0 && read ? read : await store.get(id);
      if (!cart) return { ok: false, kind: 'not-found', message: `No cart ${id}` };
      if (attempt === 0 && expected !== undefined && expected !== cart.version)
        throw new PreconditionFailedError(`The cart is at version ${cart.version}, not ${expected}`);
      const outcome = rule(cart);
      if (!outcome.ok || outcome.cart === cart) return outcome;
      const next = { ...outcome.cart, version: cart.version + 1 };
      if (await store.compareAndSet(next, cart.version)) return { ok: true, cart: next };
    }
    throw new ConflictError('The cart is changing too fast; try again');
  }

  /** The customer's one active cart, created on first use (a crash mid-creation is finished here). */
  async function customerCart(customerId: string): Promise<Cart> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const id = await store.claimCustomerCart(customerId, randomUUID());
      const cart = await store.get(id);
      if (cart?.status === 'active') return cart;
      if (cart) {
        // Checked out but still holding the claim (a crash before release): free it, claim again.
        await store.releaseCustomerCart(customerId, id);
        continue;
      }
      try {
        await store.insert(fresh(id, { kind: 'customer', customer_id: customerId }));
      } catch {
        // Another instance finished the same claim first; read it on the next round.
      }
    }
    throw new ConflictError('Could not open your cart; try again');
  }

  return {
    mutate,
    customerCart,

    /** A new guest cart and the token that opens it (shown once). */
    async createGuest(): Promise<{ cart: Cart; token: string }> {
      const id = randomUUID();
      const { token, hash } = newGuestToken(id);
      const cart = fresh(id, { kind: 'guest', token_hash: hash });
      await store.insert(cart);
      return { cart, token };
    },

    get: (id: string) => store.get(id),

    /**
     * An order was confirmed from the cart: it is checked out (no more writes) and the customer's
     * claim freed, so their next cart is a new one. Repeating it changes nothing.
     */
    async checkOut(id: string, now: string): Promise<void> {
      const outcome = await mutate(id, (c) =>
        c.status === 'checked_out'
          ? { ok: true, cart: c }
          : { ok: true, cart: { ...c, status: 'checked_out', updated_at: now } },
      );
      const cart = outcome.ok ? outcome.cart : undefined;
      if (cart?.owner.kind === 'customer') await store.releaseCustomerCart(cart.owner.customer_id, cart.id);
    },

    /**
     * Merges the guest cart a token opens into the customer's cart, once: (1) the guest cart is
     * frozen as `merging` into the customer's, (2) its lines join the customer's cart, which
     * records it in `merged_from`, (3) it is marked `merged`. Repeating any step changes nothing,
     * so two devices signing in at once, or a retry after a crash, give the same cart.
     */
    async mergeGuest(
      customerId: string,
      token: string | undefined,
    ): Promise<{ cart: Cart; report?: MergeReport }> {
      const target = await customerCart(customerId);
      const guestId = tokenCartId(token);
      const guest = guestId ? await store.get(guestId) : undefined;
      if (!guest || !tokenOpens(guest, token)) return { cart: target };
      if (guest.status !== 'active' && guest.merged_into !== target.id) return { cart: target };
      // Frozen by this call or an earlier one; merged into another customer's cart, it stays theirs.
      const frozen = await mutate(guest.id, (g) =>
        g.status === 'active'
          ? { ok: true, cart: { ...g, status: 'merging', merged_into: target.id, updated_at: now() } }
          : { ok: true, cart: g },
      );
      if (!frozen.ok || frozen.cart?.merged_into !== target.id) return { cart: target };
      let report: MergeReport | undefined;
      const merged = await mutate(target.id, (t) => {
        const result = mergeInto(t, frozen.cart!, now());
        report = result.report;
        return { ok: true, cart: result.cart };
      });
      await mutate(guest.id, (g) =>
        g.status === 'merging'
          ? { ok: true, cart: { ...g, status: 'merged', updated_at: now() } }
          : { ok: true, cart: g },
      );
      return { cart: merged.ok ? merged.cart! : target, ...(report ? { report } : {}) };
    },
  };
}

/** The use cases' type. */
export type CartUseCases = ReturnType<typeof cartUseCases>;
