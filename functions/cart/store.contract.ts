/// <reference types="jest" />
/**
 * The contract every CartStore keeps, as one jest suite that store.int.test.ts runs against each
 * real server (PostgreSQL, Redis), plus the builder its tests make carts with. What the port
 * promises (no lost write, one claim per customer, the idle scan) is checked under concurrency.
 */
import { randomBytes } from 'node:crypto';
import type { Cart, CartLine, Owner } from './model';
import type { CartStore } from './ports';

/** A store on its own connection (a new pool or client) to the server under test. */
export interface StoreConnection {
  store: CartStore;
  /** Closes the store and the connection made for it. */
  disconnect(): Promise<void>;
}

const run = randomBytes(3).toString('hex');
let serial = 0;

/** An id no other cart of this test run has. */
export const freshId = (kind = 'cart'): string => `${kind}-${run}-${++serial}`;

/** A guest owner with a fresh token hash. */
export const guest = (): Owner => ({ kind: 'guest', token_hash: randomBytes(32).toString('hex') });

/** A customer owner. */
export const customer = (customerId = freshId('cus')): Owner => ({
  kind: 'customer',
  customer_id: customerId,
});

/** A line added now at 25,000 đồng: one piece, unless `grams` is given. */
export function aLine(sku: string, overrides: Partial<CartLine> = {}): CartLine {
  const now = new Date().toISOString();
  const amount = overrides.grams === undefined ? { qty: 1 } : {};
  return { sku, ...amount, price_at_add_vnd: 25_000, added_at: now, updated_at: now, ...overrides };
}

/** An active, empty guest cart at version 1, written now. */
export function aCart(overrides: Partial<Cart> = {}): Cart {
  const now = new Date().toISOString();
  return {
    id: freshId(),
    version: 1,
    status: 'active',
    owner: guest(),
    lines: [],
    coupons: [],
    merged_from: [],
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}

/** A cart with every optional field of the cart and its lines set. */
export function aFullCart(): Cart {
  return aCart({
    version: 7,
    status: 'merging',
    owner: customer(),
    lines: [
      aLine('RAU-MUONG-500G', {
        qty: 2,
        note: 'Lá non, không héo',
        substitution: { mode: 'specific', skus: ['RAU-CAI-500G', 'RAU-DEN-300G'] },
      }),
      aLine('CA-LOC-TUOI', { grams: 750, price_at_add_vnd: 180_000, substitution: { mode: 'none' } }),
      aLine('SUA-TUOI-1L', { substitution: { mode: 'best_match' } }),
    ],
    coupons: ['TET2026', 'WELCOME'],
    fulfilment: { kind: 'delivery', zone: 'hcm-q1', location: 'store-q1', address_id: 'addr-1' },
    merged_from: [freshId(), freshId()],
    merged_into: freshId(),
    created_at: '2026-01-02T03:04:05.006Z',
    updated_at: '2026-01-02T04:05:06.007Z',
    lines_touched_at: '2026-01-02T04:00:00.000Z',
    abandoned_at: '2026-01-02T03:30:00.000Z',
  });
}

/** Get → change → compare-and-set, again on a lost race, until the change is written. */
export async function update(store: CartStore, id: string, change: (cart: Cart) => Cart): Promise<Cart> {
  for (;;) {
    const cart = await store.get(id);
    if (!cart) throw new Error(`Cart ${id} is gone`);
    const next = { ...change(cart), version: cart.version + 1 };
    if (await store.compareAndSet(next, cart.version)) return next;
  }
}

const at = (iso: string) => new Date(iso);
const idsOf = (carts: Cart[]) => carts.map((c) => c.id);

/** The shared suite: `connect` opens a new connection to the same server and namespace each call. */
export function describeCartStore(name: string, connect: () => Promise<StoreConnection>): void {
  describe(`CartStore contract (${name})`, () => {
    let conn: StoreConnection;
    let store: CartStore;
    beforeAll(async () => {
      conn = await connect();
      store = conn.store;
      await store.ready();
    });
    afterAll(() => conn?.disconnect());

    it('gives back the cart it stored, every optional field included; nothing for an unknown id', async () => {
      const cart = aFullCart();
      await store.insert(cart);
      expect(await store.get(cart.id)).toEqual(cart);
      expect(await store.get(freshId())).toBeUndefined();
    });

    it('refuses to insert over an existing cart and keeps the stored one', async () => {
      const cart = aCart({ lines: [aLine('GAO-ST25-5KG')] });
      await store.insert(cart);
      await expect(store.insert({ ...cart, lines: [] })).rejects.toThrow(/already exists/);
      expect(await store.get(cart.id)).toEqual(cart);
    });

    it('compare-and-set writes at the stored version and bumps it; a stale version writes nothing', async () => {
      const cart = aCart();
      await store.insert(cart);
      const v2 = { ...cart, version: 2, coupons: ['WELCOME'] };
      expect(await store.compareAndSet(v2, 1)).toBe(true);
      expect(await store.get(cart.id)).toEqual(v2);

      expect(await store.compareAndSet({ ...cart, version: 2, coupons: ['STALE'] }, 1)).toBe(false);
      expect(await store.get(cart.id)).toEqual(v2);

      expect(await store.compareAndSet({ ...aCart(), version: 2 }, 1)).toBe(false);
      await expect(store.compareAndSet({ ...v2, version: 2 }, 2)).rejects.toThrow(/must carry 3/);
      expect(await store.get(cart.id)).toEqual(v2);
    });

    it('lets exactly one of 50 concurrent writes at the same version win', async () => {
      const cart = aCart();
      await store.insert(cart);
      const attempts = Array.from({ length: 50 }, (_, i) => ({ ...cart, version: 2, coupons: [`C${i}`] }));
      const won = await Promise.all(attempts.map((attempt) => store.compareAndSet(attempt, 1)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await store.get(cart.id)).toEqual(attempts[won.indexOf(true)]);
    });

    it('loses none of 50 lines added by concurrent writers that retry a lost race', async () => {
      const cart = aCart();
      await store.insert(cart);
      const skus = Array.from({ length: 50 }, (_, i) => `SKU-${String(i).padStart(2, '0')}`);
      await Promise.all(
        skus.map((sku) => update(store, cart.id, (c) => ({ ...c, lines: [...c.lines, aLine(sku)] }))),
      );
      const stored = await store.get(cart.id);
      expect(stored?.version).toBe(51);
      expect(stored?.lines.map((l) => l.sku).sort()).toEqual(skus);
    });

    it('answers one cart id to 20 concurrent claims for a customer; only the holder releases it', async () => {
      const customerId = freshId('cus');
      const candidates = Array.from({ length: 20 }, () => freshId());
      const answers = await Promise.all(candidates.map((id) => store.claimCustomerCart(customerId, id)));
      const holder = answers[0]!;
      expect(candidates).toContain(holder);
      expect(new Set(answers)).toEqual(new Set([holder]));

      const other = candidates.find((id) => id !== holder)!;
      await store.releaseCustomerCart(customerId, other);
      expect(await store.claimCustomerCart(customerId, freshId())).toBe(holder);

      await store.releaseCustomerCart(customerId, holder);
      const next = freshId();
      expect(await store.claimCustomerCart(customerId, next)).toBe(next);
      expect(await store.claimCustomerCart(freshId('cus'), holder)).toBe(holder);
    });

    it('reports active customer carts with lines untouched since the cutoff, until marked abandoned, again once touched', async () => {
      const touched = '2001-03-01T08:00:00.000Z';
      const line = [aLine('BANH-MI', { added_at: touched, updated_at: touched })];
      const ofCustomer = (overrides: Partial<Cart>) =>
        aCart({ owner: customer(), lines: line, lines_touched_at: touched, ...overrides });
      const idle = ofCustomer({});
      const later = ofCustomer({ lines_touched_at: '2001-03-01T09:00:00.000Z' });
      const reported = ofCustomer({ abandoned_at: '2001-03-01T10:00:00.000Z' });
      const reportedThenTouched = ofCustomer({
        lines_touched_at: '2001-03-01T11:00:00.000Z',
        abandoned_at: '2001-03-01T10:00:00.000Z',
      });
      const recent = ofCustomer({ lines_touched_at: '2001-03-03T08:00:00.000Z' });
      const empty = ofCustomer({ lines: [], lines_touched_at: undefined });
      const ofGuest = aCart({ lines: line, lines_touched_at: touched });
      const notActive = (['merging', 'merged', 'checked_out'] as const).map((status) =>
        ofCustomer({ status }),
      );
      const all = [idle, later, reported, reportedThenTouched, recent, empty, ofGuest, ...notActive];
      for (const cart of all) await store.insert(cart);
      const mine = new Set(idsOf(all));
      const scan = async (before: string) =>
        idsOf(await store.idleSince(at(before), 1000)).filter((id) => mine.has(id));

      expect(await scan('2001-03-02T00:00:00.000Z')).toEqual([idle.id, later.id, reportedThenTouched.id]);
      const found = await store.idleSince(at('2001-03-02T00:00:00.000Z'), 1000);
      expect(found.find((c) => c.id === idle.id)).toEqual(idle);

      await update(store, idle.id, (c) => ({ ...c, abandoned_at: '2001-03-02T00:00:00.000Z' }));
      expect(await scan('2001-03-02T00:00:00.000Z')).toEqual([later.id, reportedThenTouched.id]);
      expect(await scan('2001-03-04T00:00:00.000Z')).toEqual([later.id, reportedThenTouched.id, recent.id]);

      await update(store, idle.id, (c) => ({ ...c, lines_touched_at: '2001-03-02T12:00:00.000Z' }));
      expect(await scan('2001-03-02T00:00:00.000Z')).toEqual([later.id, reportedThenTouched.id]);
      expect(await scan('2001-03-03T00:00:00.000Z')).toEqual([later.id, reportedThenTouched.id, idle.id]);

      await update(store, later.id, (c) => ({ ...c, status: 'checked_out' }));
      await update(store, reportedThenTouched.id, (c) => ({ ...c, lines: [], lines_touched_at: undefined }));
      expect(await scan('2001-03-03T00:00:00.000Z')).toEqual([idle.id]);
    });

    it('reports idle carts oldest first, at most `limit` of them', async () => {
      const hours = [5, 1, 4, 2, 3];
      const carts = hours.map((h) =>
        aCart({
          owner: customer(),
          lines: [aLine('NUOC-MAM')],
          lines_touched_at: `1991-06-01T0${h}:00:00.000Z`,
        }),
      );
      for (const cart of carts) await store.insert(cart);
      const byAge = [1, 2, 3, 4, 5].map((h) => carts[hours.indexOf(h)]!.id);
      // 1991 is older than any other cart of the suite: these are the only ones before 1992.
      expect(idsOf(await store.idleSince(at('1992-01-01T00:00:00.000Z'), 3))).toEqual(byAge.slice(0, 3));
      expect(idsOf(await store.idleSince(at('1992-01-01T00:00:00.000Z'), 10))).toEqual(byAge);
      expect(idsOf(await store.idleSince(at('1991-06-01T03:00:00.000Z'), 10))).toEqual(byAge.slice(0, 2));
    });

    it('never purges a customer cart or a guest cart written after the cutoff', async () => {
      const old = '2020-01-01T00:00:00.000Z';
      const ofCustomer = aCart({ owner: customer(), created_at: old, updated_at: old });
      const recentGuest = aCart();
      await store.insert(ofCustomer);
      await store.insert(recentGuest);
      await store.purgeGuests(new Date(Date.now() - 60_000));
      expect(await store.get(ofCustomer.id)).toEqual(ofCustomer);
      expect(await store.get(recentGuest.id)).toEqual(recentGuest);
    });

    it('keeps carts and claims across connections', async () => {
      const cart = aCart({ owner: customer(), lines: [aLine('TRA-XANH')] });
      await store.insert(cart);
      const customerId = (cart.owner as { customer_id: string }).customer_id;
      expect(await store.claimCustomerCart(customerId, cart.id)).toBe(cart.id);

      const other = await connect();
      try {
        await other.store.ready();
        expect(await other.store.get(cart.id)).toEqual(cart);
        expect(await other.store.claimCustomerCart(customerId, freshId())).toBe(cart.id);
        const next = { ...cart, version: 2, coupons: ['FRESH'] };
        expect(await other.store.compareAndSet(next, 1)).toBe(true);
      } finally {
        await other.disconnect();
      }
      expect(await store.get(cart.id)).toEqual({ ...cart, version: 2, coupons: ['FRESH'] });
    });
  });
}
