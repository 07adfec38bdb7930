import { commandFor } from './commands';
import type { OrderRow } from './order-store';
import { advance, newSaga, type SagaState, type Step } from './saga';

const at = new Date('2026-12-08T03:00:00Z');
const opts = { holdTtlS: 900, firstOrder: false, returnUrl: 'http://127.0.0.1:8080/track/x' };

/** A cash-on-delivery saga confirming, with the given finish legs answered. */
function confirming(done: Step[]): SagaState {
  let s = newSaga(true);
  const step = (input: Parameters<typeof advance>[1]) => (s = advance(s, input, at).state);
  step({ kind: 'start' });
  for (const st of ['pricing', 'stock', 'slot'] as const)
    step({
      kind: 'reply',
      step: st,
      action: { pricing: 'price', stock: 'reserve', slot: 'hold' }[st],
      outcome: 'done',
    });
  step({ kind: 'reply', step: 'payment', action: 'create', outcome: 'done' });
  for (const st of done)
    step({
      kind: 'reply',
      step: st,
      action: { pricing: 'commit', stock: 'commit', slot: 'book', payment: 'capture' }[st],
      outcome: 'done',
    });
  return s;
}

const order = (saga: SagaState) =>
  ({
    id: 'ord-0000000001abc',
    lines: [
      { sku: 'MILK-1L', qty: 2 },
      { sku: 'PORK-BELLY', grams: 500 },
    ],
    redemption_ids: ['ord-0000000001abc.c0'],
    fulfilment: { hold_id: 'ord-0000000001abc' },
    payment_id: 'ord-0000000001abc-p1',
    saga,
  }) as unknown as OrderRow;

describe('the compensation of a step whose finish was done', () => {
  it('puts committed stock back and gives committed uses back when a later commit is refused', () => {
    const before = confirming(['pricing', 'stock']);
    expect(before.phase).toBe('confirming');
    const t = advance(before, { kind: 'reply', step: 'slot', action: 'book', outcome: 'refused' }, at);
    expect(t.state.phase).toBe('cancelled');
    const sent = t.send.map((s) => commandFor(order(t.state), s, opts).data as Record<string, unknown>);
    expect(sent).toContainEqual({
      order_id: 'ord-0000000001abc',
      action: 'restock',
      reservation_id: 'ord-0000000001abc',
      restock_id: 'ord-0000000001abc.x1',
      lines: [
        { sku: 'MILK-1L', qty: 2 },
        { sku: 'PORK-BELLY', qty: 500 },
      ],
    });
    expect(sent).toContainEqual({
      order_id: 'ord-0000000001abc',
      action: 'release',
      redemption_ids: ['ord-0000000001abc.c0'],
      committed: true,
    });
    // The restock's answer closes the stock's compensation.
    const after = advance(t.state, { kind: 'reply', step: 'stock', action: 'restock', outcome: 'done' }, at);
    expect(after.state.legs.stock.undo.state).toBe('done');
  });

  it('releases stock and held uses as before when nothing was committed', () => {
    const t = advance(
      confirming([]),
      { kind: 'reply', step: 'slot', action: 'book', outcome: 'refused' },
      at,
    );
    const sent = t.send.map((s) => commandFor(order(t.state), s, opts).data as Record<string, unknown>);
    expect(sent).toContainEqual({
      order_id: 'ord-0000000001abc',
      action: 'release',
      reservation_id: 'ord-0000000001abc',
    });
    expect(sent).toContainEqual({
      order_id: 'ord-0000000001abc',
      action: 'release',
      redemption_ids: ['ord-0000000001abc.c0'],
    });
  });
});
