import {
  allocate,
  dueToExpire,
  fefoCompare,
  isExpired,
  planAdjustment,
  planReservations,
  planRestock,
  receiveRefusal,
  requestHash,
  restockHash,
  restockLineErrors,
  shopDay,
  stockWanted,
  type ExistingState,
  type LocatedLot,
  type LotStock,
  type ReserveRequest,
  type StoredReservation,
} from './domain';

const lot = (
  id: string,
  sku: string,
  free: number,
  expires_on: string | null,
  received = '2026-11-01',
): LotStock => ({
  id,
  sku,
  free,
  expires_on,
  received_at: new Date(`${received}T08:00:00+07:00`),
});

const today = '2026-11-22';

describe('shop day and expiry', () => {
  it('uses Vietnam time: 20:00 UTC is already the next day in Hà Nội', () => {
    expect(shopDay(new Date('2026-11-21T16:59:59Z'))).toBe('2026-11-21');
    expect(shopDay(new Date('2026-11-21T17:00:00Z'))).toBe('2026-11-22');
  });

  it('treats a lot as expired only after its expiry date', () => {
    expect(isExpired({ expires_on: '2026-11-21' }, today)).toBe(true);
    expect(isExpired({ expires_on: '2026-11-22' }, today)).toBe(false);
    expect(isExpired({ expires_on: null }, today)).toBe(false);
  });
});

describe('FEFO order', () => {
  it('puts the earliest expiry first, lots without expiry last, then first received, then id', () => {
    const lots = [
      lot('c', 'S', 1, null),
      lot('b2', 'S', 1, '2026-11-25', '2026-11-03'),
      lot('a', 'S', 1, '2026-11-30'),
      lot('b1', 'S', 1, '2026-11-25', '2026-11-02'),
      lot('b0', 'S', 1, '2026-11-25', '2026-11-02'),
    ];
    expect(lots.sort(fefoCompare).map((l) => l.id)).toEqual(['b0', 'b1', 'b2', 'a', 'c']);
  });
});

describe('allocate', () => {
  it('takes from the lot that expires first, spilling into the next', () => {
    const lots = [lot('late', 'MILK', 10, '2026-12-01'), lot('soon', 'MILK', 3, '2026-11-24')];
    const out = allocate([{ sku: 'MILK', qty: 5 }], lots, { allowPartial: false, today });
    expect(out).toEqual({
      ok: true,
      lines: [{ sku: 'MILK', qty: 5, held: 5 }],
      allocations: [
        { lot_id: 'soon', sku: 'MILK', qty: 3 },
        { lot_id: 'late', sku: 'MILK', qty: 2 },
      ],
    });
    expect(lots.map((l) => l.free)).toEqual([8, 0]);
  });

  it('never allocates an expired lot, even when it is the only stock', () => {
    const lots = [lot('old', 'FISH', 50, '2026-11-21'), lot('fresh', 'FISH', 2, '2026-11-23')];
    const out = allocate([{ sku: 'FISH', qty: 3 }], lots, { allowPartial: false, today });
    expect(out).toEqual({ ok: false, shortfall: [{ sku: 'FISH', requested: 3, available: 2 }] });
    expect(lots.map((l) => l.free)).toEqual([50, 2]);
  });

  it('is all-or-nothing across lines: one short line refuses the whole reservation', () => {
    const lots = [lot('r1', 'RICE', 10, null), lot('e1', 'EGGS', 1, '2026-11-30')];
    const out = allocate(
      [
        { sku: 'RICE', qty: 4 },
        { sku: 'EGGS', qty: 6 },
        { sku: 'SALT', qty: 1 },
      ],
      lots,
      { allowPartial: false, today },
    );
    expect(out).toEqual({
      ok: false,
      shortfall: [
        { sku: 'EGGS', requested: 6, available: 1 },
        { sku: 'SALT', requested: 1, available: 0 },
      ],
    });
    expect(lots.map((l) => l.free)).toEqual([10, 1]);
  });

  it('holds what is free with allowPartial', () => {
    const lots = [lot('r1', 'RICE', 10, null), lot('e1', 'EGGS', 1, '2026-11-30')];
    const out = allocate(
      [
        { sku: 'RICE', qty: 4 },
        { sku: 'EGGS', qty: 6 },
        { sku: 'SALT', qty: 1 },
      ],
      lots,
      { allowPartial: true, today },
    );
    expect(out.ok && out.lines).toEqual([
      { sku: 'RICE', qty: 4, held: 4 },
      { sku: 'EGGS', qty: 6, held: 1 },
      { sku: 'SALT', qty: 1, held: 0 },
    ]);
  });

  it('shares lots between consecutive calls: the second buyer sees what the first left', () => {
    const lots = [lot('hot', 'HOT', 3, null)];
    const results = Array.from({ length: 5 }, () =>
      allocate([{ sku: 'HOT', qty: 1 }], lots, { allowPartial: false, today }),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, false]);
    expect(lots[0]!.free).toBe(0);
  });
});

describe('requestHash', () => {
  it('ignores key order and changes with any value', () => {
    expect(requestHash({ a: 1, b: [{ x: 1, y: 2 }] })).toBe(requestHash({ b: [{ y: 2, x: 1 }], a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });
});

describe('planReservations', () => {
  const now = new Date('2026-11-22T03:00:00Z'); // 10:00 in Vietnam
  const at = (l: LotStock, location = 'Q1'): LocatedLot => ({ ...l, location });
  const req = (
    id: string,
    lines: [string, number][],
    extra: Partial<ReserveRequest> = {},
  ): ReserveRequest => ({
    id,
    owner: `o-${id}`,
    location: 'Q1',
    lines: lines.map(([sku, qty]) => ({ sku, qty })),
    ttlSeconds: 600,
    allowPartial: false,
    hash: `h-${id}-${lines.join()}`,
    actor: `actor-${id}`,
    ...extra,
  });
  const stored = (r: ReserveRequest): StoredReservation => ({
    id: r.id,
    owner: r.owner,
    location: r.location,
    status: 'committed',
    request_hash: r.hash,
    lines: r.lines.map((l) => ({ ...l, held: l.qty })),
    created_at: new Date('2026-11-21T00:00:00Z'),
    expires_at: new Date('2026-11-21T00:10:00Z'),
    closed_at: new Date('2026-11-21T00:05:00Z'),
    allocations: r.lines.map((l) => ({ lot_id: `old-${l.sku}`, sku: l.sku, qty: l.qty, expires_on: null })),
  });
  const state = (reservations: StoredReservation[] = []): ExistingState => ({
    reservations: new Map(reservations.map((r) => [r.id, r])),
    activeSkus: new Set(['MILK', 'RICE']),
    locations: new Set(['Q1', 'Q7']),
  });
  const milkLots = () => [
    at(lot('m-late', 'MILK', 5, '2026-12-01')),
    at(lot('m-soon', 'MILK', 2, '2026-11-24')),
    at(lot('m-q7', 'MILK', 50, null), 'Q7'),
  ];
  const kinds = (requests: ReserveRequest[], existing = state(), lots = milkLots()) =>
    planReservations(requests, existing, lots, now).outcomes.map((o) =>
      o.kind === 'held' ? (o.replayed ? 'replayed' : 'held') : o.kind,
    );

  const a = req('a', [['MILK', 3]]);
  it.each<[string, ReserveRequest[], ExistingState, string[]]>([
    ['one buyer within stock', [a], state(), ['held']],
    [
      'buyers in arrival order until the stock runs out',
      [req('a', [['MILK', 4]]), req('b', [['MILK', 4]]), req('c', [['MILK', 3]])],
      state(),
      ['held', 'refused', 'held'],
    ],
    ['a stored id with the same request is replayed', [a], state([stored(a)]), ['replayed']],
    [
      'a stored id with another request is a conflict',
      [{ ...a, hash: 'other' }],
      state([stored(a)]),
      ['conflict'],
    ],
    ['a later duplicate in the batch replays the first', [a, a], state(), ['held', 'replayed']],
    [
      'a duplicate of a refused request is refused too',
      [req('x', [['MILK', 9]]), req('x', [['MILK', 9]])],
      state(),
      ['refused', 'refused'],
    ],
    [
      'a duplicate id with another request is a conflict',
      [a, { ...a, hash: 'other' }],
      state(),
      ['held', 'conflict'],
    ],
    [
      'an unknown SKU or location is invalid',
      [req('u', [['SALT', 1]]), req('v', [['MILK', 1]], { location: 'Q9' })],
      state(),
      ['invalid', 'invalid'],
    ],
    [
      'lots of another location are not used',
      [req('q7', [['MILK', 40]], { location: 'Q7' }), req('q1', [['MILK', 40]])],
      state(),
      ['held', 'refused'],
    ],
    ['partial holds what is free', [req('p', [['MILK', 9]], { allowPartial: true })], state(), ['held']],
  ])('%s', (_name, requests, existing, expected) => {
    expect(kinds(requests, existing)).toEqual(expected);
  });

  it('holds FEFO, names the lots and their expiry, and sets the TTL from now', () => {
    const plan = planReservations([a], state(), milkLots(), now);
    expect(plan.hold).toHaveLength(1);
    expect(plan.hold[0]!.reservation).toMatchObject({
      id: 'a',
      status: 'held',
      lines: [{ sku: 'MILK', qty: 3, held: 3 }],
      expires_at: new Date('2026-11-22T03:10:00Z'),
      allocations: [
        { lot_id: 'm-soon', sku: 'MILK', qty: 2, expires_on: '2026-11-24' },
        { lot_id: 'm-late', sku: 'MILK', qty: 1, expires_on: '2026-12-01' },
      ],
    });
    expect(plan.outcomes[0]).toMatchObject({
      kind: 'held',
      replayed: false,
      reservation: { closed_at: null },
    });
    expect(plan.hold.map((h) => h.actor)).toEqual(['actor-a']);
  });

  it('reports the shortfall, leaves its inputs untouched, and holds nothing for replays', () => {
    const lots = milkLots();
    const plan = planReservations(
      [
        req('big', [
          ['MILK', 8],
          ['RICE', 1],
        ]),
        a,
        a,
      ],
      state([]),
      lots,
      now,
    );
    expect(plan.outcomes[0]).toEqual({
      kind: 'refused',
      shortfall: [
        { sku: 'MILK', requested: 8, available: 7 },
        { sku: 'RICE', requested: 1, available: 0 },
      ],
    });
    expect(plan.hold.map((h) => h.reservation.id)).toEqual(['a']);
    expect(lots.map((l) => l.free)).toEqual([5, 2, 50]);
  });

  it('asks for the lots of fresh requests only', () => {
    const existing = state([stored(a)]);
    expect(stockWanted([a, req('b', [['RICE', 1]]), req('u', [['SALT', 1]])], existing)).toEqual([
      { sku: 'RICE', location: 'Q1' },
    ]);
  });
});

describe('receiveRefusal', () => {
  const lotIn = { sku: 'FISH', location: 'Q1' };
  const perishable = { is_perishable: true };
  it.each<[string, { expires_on?: string | null }, Parameters<typeof receiveRefusal>[1], string[]]>([
    ['a known SKU at a known location', {}, { sku: { is_perishable: false }, location: true }, []],
    ['a perishable lot with its expiry', { expires_on: today }, { sku: perishable, location: true }, []],
    ['an unknown SKU and location', {}, { location: false }, ['/sku:unknown', '/location:unknown']],
    [
      'a perishable lot without expiry',
      { expires_on: null },
      { sku: perishable, location: true },
      ['/expires_on:required'],
    ],
    [
      'a lot already expired',
      { expires_on: '2026-11-21' },
      { sku: perishable, location: true },
      ['/expires_on:expired'],
    ],
  ])('%s', (_name, extra, found, expected) => {
    const refusal = receiveRefusal({ ...lotIn, ...extra }, found, today);
    expect(refusal?.kind === 'invalid' ? refusal.errors.map((e) => `${e.field}:${e.code}`) : []).toEqual(
      expected,
    );
  });
});

describe('planAdjustment', () => {
  const lotNow = { id: 'L1', on_hand: 20, held: 5 };
  it.each<[string, Parameters<typeof planAdjustment>[0], string | number]>([
    ['a count sets on hand', { lot_id: 'L1', reason: 'count', quantity: 18 }, -2],
    ['a count may raise it', { lot_id: 'L1', reason: 'count', quantity: 25 }, 5],
    ['a count needs its quantity', { lot_id: 'L1', reason: 'count' }, 'invalid'],
    ['damage writes off its quantity', { lot_id: 'L1', reason: 'damage', quantity: 3 }, -3],
    ['damage needs a quantity', { lot_id: 'L1', reason: 'damage' }, 'invalid'],
    ['a zero write-off is refused', { lot_id: 'L1', reason: 'damage', quantity: 0 }, 'invalid'],
    ['expiry writes off everything not held', { lot_id: 'L1', reason: 'expiry' }, -15],
    ['never below what is held', { lot_id: 'L1', reason: 'count', quantity: 4 }, 'conflict'],
    ['an unknown lot', { lot_id: 'L9', reason: 'count', quantity: 1 }, 'invalid'],
  ])('%s', (_name, adjust, expected) => {
    const plan = planAdjustment(adjust, adjust.lot_id === 'L1' ? lotNow : undefined);
    expect(plan.ok ? plan.delta : plan.kind).toBe(expected);
  });

  it('names what is held when it refuses', () => {
    expect(planAdjustment({ lot_id: 'L1', reason: 'damage', quantity: 16 }, lotNow)).toMatchObject({
      kind: 'conflict',
      extensions: { held: 5, on_hand: 20 },
    });
  });
});

describe('dueToExpire', () => {
  it('keeps lots expiring from today to the horizon, both included', () => {
    const lots = ['2026-11-21', '2026-11-22', '2026-11-25', '2026-11-26', null].map((expires_on, i) => ({
      id: `l${i}`,
      expires_on,
    }));
    expect(dueToExpire(lots, { today, horizon: '2026-11-25' }).map((l) => l.id)).toEqual(['l1', 'l2']);
  });
});

describe('planRestock', () => {
  // A reservation that committed 2 of MILK from m1 (expires first), 3 from m2, 1 from m3 (no expiry), and 4 of RICE.
  const committed = [
    { lot_id: 'm1', sku: 'MILK', qty: 2, expires_on: '2026-11-23' },
    { lot_id: 'm2', sku: 'MILK', qty: 3, expires_on: '2026-11-28' },
    { lot_id: 'm3', sku: 'MILK', qty: 1, expires_on: null },
    { lot_id: 'r1', sku: 'RICE', qty: 4, expires_on: null },
  ];

  it('puts units back into the lots they came from, latest expiry first (no expiry first of all)', () => {
    expect(planRestock([{ sku: 'MILK', qty: 5 }], committed, [], today)).toEqual({
      lots: [
        { lot_id: 'm3', sku: 'MILK', qty: 1 },
        { lot_id: 'm2', sku: 'MILK', qty: 3 },
        { lot_id: 'm1', sku: 'MILK', qty: 1 },
      ],
      restocked: [{ sku: 'MILK', qty: 5 }],
    });
  });

  it('caps each lot at what was committed from it less what earlier restocks returned', () => {
    const earlier = [
      { lot_id: 'm3', sku: 'MILK', qty: 1 },
      { lot_id: 'm2', sku: 'MILK', qty: 2 },
      { lot_id: 'r1', sku: 'RICE', qty: 4 },
    ];
    const plan = planRestock(
      [
        { sku: 'MILK', qty: 10 },
        { sku: 'RICE', qty: 1 },
      ],
      committed,
      earlier,
      today,
    );
    expect(plan.lots).toEqual([
      { lot_id: 'm2', sku: 'MILK', qty: 1 },
      { lot_id: 'm1', sku: 'MILK', qty: 2 },
    ]);
    // RICE was all returned before: its line is left out.
    expect(plan.restocked).toEqual([{ sku: 'MILK', qty: 3 }]);
  });

  it('puts nothing back into a lot that has expired: those units count as not restocked', () => {
    const plan = planRestock([{ sku: 'MILK', qty: 6 }], committed, [], '2026-11-24');
    expect(plan.lots.map((l) => l.lot_id)).toEqual(['m3', 'm2']);
    expect(plan.restocked).toEqual([{ sku: 'MILK', qty: 4 }]);
  });
});

describe('restock lines', () => {
  const reservation = { lines: [{ sku: 'MILK', qty: 2, held: 2 }] };

  it('names SKUs listed twice and SKUs the reservation does not have', () => {
    expect(restockLineErrors([{ sku: 'MILK', qty: 1 }], reservation)).toBeUndefined();
    expect(
      restockLineErrors(
        [
          { sku: 'MILK', qty: 1 },
          { sku: 'MILK', qty: 1 },
          { sku: 'RICE', qty: 1 },
        ],
        reservation,
      ),
    ).toEqual({ duplicated: ['MILK'], notReserved: ['RICE'] });
  });

  it('hashes the same lines in any order alike, and other quantities differently', () => {
    const a = { sku: 'MILK', qty: 1 };
    const b = { sku: 'RICE', qty: 2 };
    expect(restockHash([a, b])).toBe(restockHash([b, a]));
    expect(restockHash([a, b])).not.toBe(restockHash([a, { ...b, qty: 3 }]));
  });
});
