import fc from 'fast-check';
import {
  ACTIONS,
  advance,
  newSaga,
  nextCheck,
  openLegs,
  RESERVING,
  settled,
  STEPS,
  type LegName,
  type SagaInput,
  type SagaState,
  type Send,
  type Step,
} from './saga';

const T0 = new Date('2026-12-08T02:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const reason = { code: 'x', message: { en: 'x', vi: 'x' } };
const reply = (step: Step, leg: LegName, outcome: 'done' | 'refused' = 'done'): SagaInput => ({
  kind: 'reply',
  step,
  action: ACTIONS[step][leg],
  outcome,
  ...(outcome === 'refused' ? { reason } : {}),
});

/** Runs inputs in order from a new saga; returns the last state and every command sent. */
function run(inputs: SagaInput[], payLater = false, from: SagaState = newSaga(payLater)) {
  let s = from;
  const sent: Send[] = [];
  const phases: string[] = [];
  inputs.forEach((input, i) => {
    const t = advance(s, input, at(i));
    s = t.state;
    sent.push(...t.send);
    if (t.entered) phases.push(t.entered);
  });
  return { s, sent, phases };
}
const key = (x: Send) => `${x.step}.${x.leg}`;

describe('checkout saga', () => {
  it('commands price, stock and slot together, then the payment, then the finishes once paid', () => {
    const { s, sent, phases } = run([
      { kind: 'start' },
      reply('stock', 'forward'),
      reply('pricing', 'forward'),
      reply('slot', 'forward'),
      reply('payment', 'forward'),
      { kind: 'paid', capturedVnd: 0 },
      reply('pricing', 'finish'),
      reply('stock', 'finish'),
      reply('slot', 'finish'),
    ]);
    expect(sent.map(key)).toEqual([
      'pricing.forward',
      'stock.forward',
      'slot.forward',
      'payment.forward',
      'pricing.finish',
      'stock.finish',
      'slot.finish',
    ]);
    expect(phases).toEqual(['paying', 'awaiting_payment', 'confirming', 'confirmed']);
    expect(settled(s, at(9))).toBe(true);
    expect(nextCheck(s)).toBeUndefined();
  });

  it('confirms cash on delivery without waiting for a payment', () => {
    const { s, phases } = run(
      [
        { kind: 'start' },
        ...RESERVING.map((st) => reply(st, 'forward')),
        reply('payment', 'forward'),
        ...RESERVING.map((st) => reply(st, 'finish')),
      ],
      true,
    );
    expect(phases).toEqual(['paying', 'confirming', 'confirmed']);
    expect(s.phase).toBe('confirmed');
  });

  it('confirms when the payment is seen before the create reply', () => {
    const { phases } = run([
      { kind: 'start' },
      ...RESERVING.map((st) => reply(st, 'forward')),
      { kind: 'paid', capturedVnd: 0 },
      reply('payment', 'forward'),
    ]);
    expect(phases).toEqual(['paying', 'confirming']);
  });

  it.each(RESERVING)('a %s refusal cancels and undoes exactly the steps that hold something', (refused) => {
    const others = RESERVING.filter((st) => st !== refused);
    const { s, sent } = run([
      { kind: 'start' },
      reply(others[0]!, 'forward'),
      reply(refused, 'forward', 'refused'),
    ]);
    expect(s.phase).toBe('cancelled');
    expect(s.reason).toEqual(reason);
    // The answered success and the unanswered step are undone; the refused one holds nothing.
    expect(sent.slice(3).map(key).sort()).toEqual([`${others[0]}.undo`, `${others[1]}.undo`].sort());
    expect(settled(s, at(3))).toBe(false);
    const after = run([reply(others[0]!, 'undo'), reply(others[1]!, 'undo')], false, s);
    // Every undo answered, but the step it gave up on could still land for the late window.
    expect(settled(after.s, at(10))).toBe(false);
    // (the forward commands were sent at the start, at(0)).
    expect(nextCheck(after.s)).toEqual(at(600));
    expect(settled(after.s, at(600))).toBe(true);
  });

  it('undoes a step that succeeds after the cancel, even when its first undo already found nothing', () => {
    const { s, sent } = run([
      { kind: 'start' },
      reply('pricing', 'forward', 'refused'),
      reply('stock', 'undo'), // the release overtook the reserve: nothing to release yet
      reply('stock', 'forward'), // now the reserve lands
    ]);
    expect(sent.filter((x) => key(x) === 'stock.undo')).toHaveLength(2);
    expect(s.legs.stock.undo.state).toBe('sent');
  });

  it('ignores duplicate replies', () => {
    const once = run([{ kind: 'start' }, reply('stock', 'forward')]);
    const twice = run([{ kind: 'start' }, reply('stock', 'forward'), reply('stock', 'forward')]);
    expect(twice.sent).toEqual(once.sent);
    expect(twice.s.legs).toEqual(once.s.legs);
  });

  it('cancels when the payment is not completed in time, voiding it', () => {
    let s = run([
      { kind: 'start' },
      ...RESERVING.map((st) => reply(st, 'forward')),
      reply('payment', 'forward'),
    ]).s;
    expect(s.phase).toBe('awaiting_payment');
    const early = advance(s, { kind: 'tick' }, new Date(Date.parse(s.payBy!) - 1));
    expect(early.send).toEqual([]);
    const late = advance(s, { kind: 'tick' }, new Date(Date.parse(s.payBy!)));
    s = late.state;
    expect(s.phase).toBe('cancelled');
    expect(s.reason?.code).toBe('payment_timeout');
    expect(late.send.map(key).sort()).toEqual(['payment.undo', 'pricing.undo', 'slot.undo', 'stock.undo']);
  });

  it('a payment that arrives after the cancel is given back', () => {
    const { s, sent } = run([
      { kind: 'start' },
      ...RESERVING.map((st) => reply(st, 'forward')),
      reply('payment', 'forward'),
      { kind: 'cancel', reason },
      reply('payment', 'undo'),
      { kind: 'paid', capturedVnd: 50_000 },
    ]);
    expect(sent.filter((x) => key(x) === 'payment.undo')).toHaveLength(2);
    expect(s.capturedVnd).toBe(50_000);
  });

  it('refuses a customer cancel once paid', () => {
    const { s } = run([
      { kind: 'start' },
      ...RESERVING.map((st) => reply(st, 'forward')),
      reply('payment', 'forward'),
      { kind: 'paid', capturedVnd: 0 },
    ]);
    const t = advance(s, { kind: 'cancel', reason }, at(100));
    expect(t.refused).toMatch(/confirming/);
    expect(t.state).toBe(s);
  });

  it('fails a forward step unanswered past its deadline, and resends undo legs until answered', () => {
    let s = run([{ kind: 'start' }, reply('pricing', 'forward'), reply('slot', 'forward')]).s;
    const t = advance(s, { kind: 'tick' }, at(121));
    s = t.state;
    expect(s.reason?.code).toBe('step_timeout');
    expect(t.send.map(key).sort()).toEqual(['pricing.undo', 'slot.undo', 'stock.undo']);
    // No answers: sent again after 120 s, then 240 s.
    const r1 = advance(s, { kind: 'tick' }, at(121 + 120));
    expect(r1.send).toHaveLength(3);
    const r2 = advance(r1.state, { kind: 'tick' }, at(121 + 120 + 239));
    expect(r2.send).toHaveLength(0);
    const r3 = advance(r1.state, { kind: 'tick' }, at(121 + 120 + 240));
    expect(r3.send).toHaveLength(3);
  });

  /**
   * The owners as a model: each step's thing is held after its forward command is processed with
   * success and released by its undo (which always succeeds, finding nothing or not); commands are
   * delivered in any order, some twice, some refused; the customer pays, fails or cancels at any
   * time; the clock runs. At the end every command is answered and the clock has passed every
   * deadline: the order is confirmed with everything committed, or cancelled with nothing held.
   */
  it('ends confirmed or cancelled with nothing held, whatever the order of events', () => {
    const action = fc.record({
      pick: fc.nat(),
      duplicate: fc.boolean(),
      refuse: fc.boolean(),
      event: fc.constantFrom('deliver', 'deliver', 'deliver', 'paid', 'failed', 'cancel', 'tick'),
    });
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), fc.boolean(), (script, payLater) => {
        let s = newSaga(payLater);
        let clock = 0;
        const held: Record<Step, 'no' | 'held' | 'committed'> = {
          pricing: 'no',
          stock: 'no',
          slot: 'no',
          payment: 'no',
        };
        const queue: Send[] = [];
        const apply = (input: SagaInput) => {
          const t = advance(s, input, at(clock));
          s = t.state;
          queue.push(...t.send);
        };
        /** An owner processes a command and answers. */
        const process = (c: Send, refuse: boolean) => {
          if (c.leg === 'forward') {
            const ok = !refuse || c.step === 'payment';
            if (ok) held[c.step] = held[c.step] === 'committed' ? 'committed' : 'held';
            apply(reply(c.step, 'forward', ok ? 'done' : 'refused'));
          } else if (c.leg === 'finish') {
            if (held[c.step] === 'held') held[c.step] = 'committed';
            apply(reply(c.step, 'finish', held[c.step] === 'committed' ? 'done' : 'refused'));
          } else {
            if (held[c.step] === 'held') held[c.step] = 'no';
            apply(reply(c.step, 'undo', held[c.step] === 'committed' ? 'refused' : 'done'));
          }
        };
        apply({ kind: 'start' });
        for (const a of script) {
          clock += 1;
          if (a.event === 'deliver' && queue.length) {
            const c = queue.splice(a.pick % queue.length, 1)[0]!;
            process(c, a.refuse);
            if (a.duplicate) process(c, a.refuse);
          } else if (a.event === 'paid' && held.payment !== 'no') apply({ kind: 'paid', capturedVnd: 0 });
          else if (a.event === 'failed' && held.payment !== 'no') apply({ kind: 'payment_failed', reason });
          else if (a.event === 'cancel') apply({ kind: 'cancel', reason });
          else if (a.event === 'tick') {
            clock += 45;
            apply({ kind: 'tick' });
          }
        }
        // Drain: answer everything (no refusals), let the clock pass every deadline.
        for (let round = 0; round < 50 && (queue.length || !settled(s, at(clock))); round++) {
          while (queue.length) process(queue.shift()!, false);
          clock += 3_600;
          apply({ kind: 'tick' });
        }
        expect(['confirmed', 'cancelled']).toContain(s.phase);
        expect(settled(s, at(clock))).toBe(true);
        expect(openLegs(s).filter((l) => l.leg !== 'forward')).toEqual([]);
        if (s.phase === 'confirmed') {
          for (const st of RESERVING) expect(held[st]).toBe('committed');
          expect(held.payment).toBe('held');
        } else {
          // A payment's undo is a void: modelled as releasing it.
          for (const st of STEPS) expect(held[st]).not.toBe('held');
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
