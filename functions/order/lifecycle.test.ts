import {
  canMove,
  IllegalMoveError,
  move,
  STATUS_LABELS,
  STATUSES,
  TRANSITIONS,
  type OrderStatus,
} from './lifecycle';

const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]));
const allowed = (from: OrderStatus, to: OrderStatus) =>
  TRANSITIONS[from].includes(to) || (from === to && from !== 'partially_refunded');

describe('order lifecycle', () => {
  it.each(pairs.filter(([f, t]) => allowed(f, t)))('%s → %s is allowed', (from, to) => {
    expect(move(from, to)).toBe(to);
  });

  it.each(pairs.filter(([f, t]) => !allowed(f, t)))('%s → %s is refused', (from, to) => {
    expect(canMove(from, to)).toBe(false);
    expect(() => move(from, to)).toThrow(IllegalMoveError);
    expect(() => move(from, to)).toThrow(`An order that is ${from} cannot become ${to}`);
  });

  it('ends only in cancelled or refunded, and every status is reachable from placed', () => {
    expect(STATUSES.filter((s) => TRANSITIONS[s].length === 0)).toEqual(['cancelled', 'refunded']);
    const seen = new Set<OrderStatus>(['placed']);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of [...seen]) for (const t of TRANSITIONS[s]) if (!seen.has(t)) grew = !!seen.add(t);
    }
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });

  it('labels every status in English and Vietnamese', () => {
    for (const s of STATUSES) {
      expect(STATUS_LABELS[s].en.length).toBeGreaterThan(0);
      expect(STATUS_LABELS[s].vi.length).toBeGreaterThan(0);
      expect(STATUS_LABELS[s].vi).not.toBe(STATUS_LABELS[s].en);
    }
  });
});
