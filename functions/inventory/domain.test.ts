import { allocate, fefoCompare, isExpired, requestHash, shopDay, type LotStock } from './domain';

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
