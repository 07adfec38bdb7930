import fc from 'fast-check';
import {
  adoption,
  closedReason,
  planHolds,
  settle,
  type HoldRequest,
  type HoldRow,
  type SlotRow,
} from './holds';

const now = new Date('2026-12-08T01:00:00Z'); // 08:00 Vietnam time
const slot = (extra: Partial<SlotRow> = {}): SlotRow => ({
  id: 'z:2026-12-08:1800',
  calendar: 'z',
  day: '2026-12-08',
  starts_at: new Date('2026-12-08T11:00:00Z'),
  ends_at: new Date('2026-12-08T13:00:00Z'),
  cutoff_at: new Date('2026-12-08T09:30:00Z'),
  capacity: 3,
  unit_capacity: null,
  fee_vnd: 15_000,
  label: null,
  withdrawn: false,
  held: 0,
  booked: 0,
  held_units: 0,
  booked_units: 0,
  ...extra,
});
const req = (id: string, owner = `c-${id}`, units = 0): HoldRequest => ({
  id,
  slot: 'z:2026-12-08:1800',
  ttlSeconds: 900,
  units,
  owner,
  actor: owner,
});

describe('planHolds', () => {
  it.each([
    ['places left', slot(), ['a', 'b'], ['held', 'held']],
    ['full after the places', slot({ capacity: 2, booked: 1 }), ['a', 'b'], ['held', 'full']],
    ['no capacity at all', slot({ capacity: 0 }), ['a'], ['full']],
    ['capacity lowered below what is taken', slot({ capacity: 1, held: 2 }), ['a'], ['full']],
    ['withdrawn', slot({ withdrawn: true }), ['a'], ['closed']],
  ] as const)('%s', (_name, s, ids, kinds) => {
    const plan = planHolds(
      s,
      ids.map((id) => req(id)),
      new Map(),
      new Map(),
      5,
      now,
    );
    expect(plan.outcomes.map((o) => o.kind)).toEqual(kinds);
  });

  it('units: a hold is refused when its picking units do not fit', () => {
    const s = slot({ capacity: 10, unit_capacity: 100, booked_units: 60 });
    const plan = planHolds(
      s,
      [req('a', 'x', 30), req('b', 'y', 20), req('c', 'z', 10)],
      new Map(),
      new Map(),
      5,
      now,
    );
    expect(plan.outcomes.map((o) => o.kind)).toEqual(['held', 'full', 'held']);
    expect(plan.heldUnits).toBe(40);
  });

  it('the same id twice in a batch replays; a changed request under it conflicts', () => {
    const plan = planHolds(
      slot(),
      [req('a'), req('a'), { ...req('a'), units: 5 }],
      new Map(),
      new Map(),
      5,
      now,
    );
    expect(plan.outcomes.map((o) => o.kind)).toEqual(['held', 'held', 'conflict']);
    expect(plan.outcomes[1]).toMatchObject({ replayed: true });
    expect(plan.inserts).toHaveLength(1);
  });

  it('a customer at the cap is refused, counting holds made earlier in the batch', () => {
    const plan = planHolds(
      slot({ capacity: 10 }),
      [req('a', 'x'), req('b', 'x'), req('c', 'x')],
      new Map(),
      new Map([['x', 1]]),
      2,
      now,
    );
    expect(plan.outcomes.map((o) => o.kind)).toEqual(['held', 'too_many', 'too_many']);
  });

  it('never takes more places than are left, whatever the requests (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5 })), {
          maxLength: 60,
        }),
        (capacity, held, booked, raw) => {
          const requests = raw.map(([id, owner]) => req(`h${id}`, `o${owner}`));
          const plan = planHolds(slot({ capacity, held, booked }), requests, new Map(), new Map(), 3, now);
          const fresh = plan.outcomes.filter((o) => o.kind === 'held' && !o.replayed).length;
          expect(fresh).toBe(plan.inserts.length);
          expect(plan.held).toBe(held + fresh);
          expect(fresh).toBeLessThanOrEqual(Math.max(0, capacity - held - booked));
          // Full only when nothing was left at that point.
          if (plan.outcomes.some((o) => o.kind === 'full'))
            expect(plan.held + booked).toBeGreaterThanOrEqual(capacity);
          // No owner above the cap, no id inserted twice.
          const perOwner = new Map<string, number>();
          for (const h of plan.inserts) perOwner.set(h.owner, (perOwner.get(h.owner) ?? 0) + 1);
          for (const n of perOwner.values()) expect(n).toBeLessThanOrEqual(3);
          expect(new Set(plan.inserts.map((h) => h.id)).size).toBe(plan.inserts.length);
        },
      ),
    );
  });
});

describe('closedReason (Vietnam time, passed in as instants)', () => {
  it.each([
    ['before the cut-off', '2026-12-08T09:29:59Z', undefined],
    ['at the cut-off', '2026-12-08T09:30:00Z', 'after_cutoff'],
    ['during the window', '2026-12-08T12:00:00Z', 'after_cutoff'],
    ['after the window', '2026-12-08T13:00:00Z', 'past'],
  ])('%s', (_name, at, reason) => {
    expect(closedReason(slot(), new Date(at))).toBe(reason);
  });
});

describe('settle', () => {
  const hold = (state: HoldRow['state'], expires = '2026-12-08T01:15:00Z'): HoldRow => ({
    id: 'h',
    slot: 's',
    state,
    units: 0,
    owner: 'o',
    actor: 'o',
    order_id: null,
    request_hash: 'x',
    expires_at: new Date(expires),
    created_at: now,
    closed_at: null,
  });
  it.each([
    ['book a live hold', hold('held'), 'booked', 'apply'],
    ['book a lapsed hold', hold('held', '2026-12-08T00:59:59Z'), 'booked', 'refuse'],
    ['book twice', hold('booked'), 'booked', 'replay'],
    ['book a released hold', hold('released'), 'booked', 'refuse'],
    ['book an expired hold', hold('expired'), 'booked', 'refuse'],
    ['release a live hold', hold('held'), 'released', 'apply'],
    ['release a booked place (order cancelled)', hold('booked'), 'released', 'apply'],
    ['release twice', hold('released'), 'released', 'replay'],
    ['release an expired hold', hold('expired'), 'released', 'replay'],
  ] as const)('%s → %s', (_name, h, to, kind) => {
    expect(settle(h, to, now).kind).toBe(kind);
  });
});

describe('adoption (the saga naming the customer’s own hold)', () => {
  const hold = (extra: Partial<HoldRow> = {}): HoldRow => ({
    id: 'pick',
    slot: 's',
    state: 'held',
    units: 0,
    owner: 'cus',
    actor: 'cus',
    order_id: null,
    request_hash: 'x',
    expires_at: new Date('2026-12-08T01:15:00Z'),
    created_at: now,
    closed_at: null,
    ...extra,
  });
  const want = { slot: 's', owner: 'cus', orderId: 'ord-1' };
  it.each([
    ['the customer’s live hold', hold(), 'adopt'],
    ['already this order’s', hold({ order_id: 'ord-1' }), 'replay'],
    ['booked for this order', hold({ state: 'booked', order_id: 'ord-1' }), 'replay'],
    ['another customer’s', hold({ owner: 'other' }), 'mismatch'],
    ['another window’s', hold({ slot: 't' }), 'mismatch'],
    ['another order’s', hold({ order_id: 'ord-2' }), 'mismatch'],
    ['booked without this order', hold({ state: 'booked' }), 'mismatch'],
    ['past its expiry (not yet swept)', hold({ expires_at: new Date('2026-12-08T00:59:59Z') }), 'lapsed'],
    ['expired', hold({ state: 'expired' }), 'lapsed'],
    ['released', hold({ state: 'released' }), 'lapsed'],
  ] as const)('%s → %s', (_name, h, kind) => {
    expect(adoption(h, want, now).kind).toBe(kind);
  });
});
