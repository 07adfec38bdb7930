/**
 * The checkout saga as a pure state machine: the saga's state and one input (a reply, the
 * customer's payment, a cancel, the clock) give the next state and the commands to send. The use
 * cases (orders.ts) persist the state and send the commands in one transaction, under the order's
 * row lock, so every input is applied once and in some order; this file decides what that order
 * means. Nothing here does I/O.
 *
 * Four steps, each owned by another function: pricing (promotions: the frozen price and its coupon
 * uses), stock (inventory), slot (delivery) and payment. Each step has three legs:
 * - forward: price, reserve, hold, create — round one sends the first three together; round two,
 *   once all three are done, creates the payment;
 * - finish: commit the uses, commit the stock, book the window — sent together once paid (or at
 *   once for cash on delivery); all three done is `confirmed`;
 * - undo: the compensation — release, release, release, void (or refund when money was taken).
 *
 * Rules that make every order end confirmed or cancelled with nothing left held:
 * - any refusal, a forward leg with no reply by its deadline, a failed or expired payment, the
 *   payment window passing, or the customer cancelling before confirmation → `cancelled`, and the
 *   undo leg of every step whose forward leg is done OR still unanswered is sent (a compensation
 *   that finds nothing has nothing to undo);
 * - a reply that arrives for a leg that is not waiting (a duplicate, or a forward step that
 *   succeeded after the saga gave up on it) changes nothing — except a late success on a cancelled
 *   order, which sends that step's undo again;
 * - finish and undo legs are never given up: with no reply by their deadline they are sent again,
 *   backing off, until the owner answers.
 */

/** The steps, each owned by one function. */
export const STEPS = ['pricing', 'stock', 'slot', 'payment'] as const;
export type Step = (typeof STEPS)[number];
/** The steps of round one (sent together) and of confirmation. */
export const RESERVING: readonly Step[] = ['pricing', 'stock', 'slot'];

export type LegName = 'forward' | 'finish' | 'undo';
/**
 * A leg: not sent, sent and waiting, answered done, answered refused, or given up (a forward leg
 * unanswered when the saga cancelled: its undo went out instead).
 */
export type LegState = 'idle' | 'sent' | 'done' | 'refused' | 'abandoned';

/** What each leg of each step is called in its command. */
export const ACTIONS: Record<Step, Record<LegName, string>> = {
  pricing: { forward: 'price', finish: 'commit', undo: 'release' },
  stock: { forward: 'reserve', finish: 'commit', undo: 'release' },
  slot: { forward: 'hold', finish: 'book', undo: 'release' },
  payment: { forward: 'create', finish: 'capture', undo: 'void' },
};

/** The leg an action answers, for a step's reply. */
export function legOf(step: Step, action: string): LegName | undefined {
  if (step === 'payment' && action === 'refund') return 'undo';
  // Stock already committed (a commit done before another step's refusal) is put back, not released.
  if (step === 'stock' && action === 'restock') return 'undo';
  const legs = ACTIONS[step];
  return (Object.keys(legs) as LegName[]).find((l) => legs[l] === action);
}

/**
 * Where the saga is: reserving (round one), paying (creating the payment), awaiting_payment (the
 * customer pays), confirming (finish legs sent), confirmed, cancelled (undo legs may still be
 * open until their owners answer).
 */
export type Phase = 'reserving' | 'paying' | 'awaiting_payment' | 'confirming' | 'confirmed' | 'cancelled';

/** A bilingual reason. */
export interface Reason {
  code: string;
  message: { en: string; vi: string };
}

/** One leg's state with when it was last sent and how often. */
export interface Leg {
  state: LegState;
  sentAt?: string;
  attempts?: number;
}

/** The saga's durable state (stored as JSON on the order). */
export interface SagaState {
  phase: Phase;
  legs: Record<Step, Record<LegName, Leg>>;
  /** The customer's payment is authorised or charged (it may arrive before the create reply). */
  paid: boolean;
  /** Money taken that a cancel must refund rather than void (VNPay charges at once). */
  capturedVnd: number;
  /** Cash on delivery: confirmed without waiting for a payment. */
  payLater: boolean;
  /** When the customer must have paid by (set on entering awaiting_payment). */
  payBy?: string;
  reason?: Reason;
}

/** What may happen to a saga. */
export type SagaInput =
  | { kind: 'start' }
  | { kind: 'reply'; step: Step; action: string; outcome: 'done' | 'refused'; reason?: Reason }
  | { kind: 'paid'; capturedVnd: number }
  | { kind: 'payment_failed'; reason: Reason }
  | { kind: 'cancel'; reason: Reason }
  | { kind: 'tick' };

/** A command to send: a step's leg (the use case builds its data). */
export interface Send {
  step: Step;
  leg: LegName;
}

/** What one input did. */
export interface Transition {
  state: SagaState;
  send: Send[];
  /** The phase changed (the use case emits the order event and updates the order's status). */
  entered?: Phase;
  /** The input was not allowed in this phase (a customer cancel after confirmation). */
  refused?: string;
}

/** Timings of the saga (seconds). */
export interface SagaTimings {
  /** A forward leg unanswered this long fails the checkout. */
  stepTimeoutS: number;
  /** The customer must pay within this. */
  paymentTimeoutS: number;
  /** First resend of a finish or undo leg; doubles up to `maxResendS`. */
  resendS: number;
  maxResendS: number;
  /**
   * A forward command the saga gave up on may still run later (a hung owner answering after its
   * broker's retries; its late success is then undone when its reply arrives). The saga counts as
   * settled only this long after giving up on one, so nothing is declared clean while a late
   * success is still possible; beyond it the owners' own hold TTLs are the backstop.
   */
  lateWindowS: number;
}

export const DEFAULT_TIMINGS: SagaTimings = {
  stepTimeoutS: 120,
  paymentTimeoutS: 15 * 60,
  // Longer than the broker's own retries (about a minute) and a burst's queue: a resend is for a
  // command that was dead-lettered, and sending again too early only adds to the queue.
  resendS: 120,
  maxResendS: 900,
  lateWindowS: 600,
};

const idleLegs = (): Record<LegName, Leg> => ({
  forward: { state: 'idle' },
  finish: { state: 'idle' },
  undo: { state: 'idle' },
});

/** A new saga, before `start`. */
export function newSaga(payLater: boolean): SagaState {
  return {
    phase: 'reserving',
    legs: { pricing: idleLegs(), stock: idleLegs(), slot: idleLegs(), payment: idleLegs() },
    paid: false,
    capturedVnd: 0,
    payLater,
  };
}

/** Reasons the saga itself gives (refusals from a step carry the owner's reason). */
export const SAGA_REASONS = {
  step_timeout: (step: Step): Reason => ({
    code: 'step_timeout',
    message: {
      en: `We could not ${{ pricing: 'price your order', stock: 'reserve your items', slot: 'hold your delivery window', payment: 'start your payment' }[step]} in time; nothing was charged`,
      vi: `Chúng tôi không kịp ${{ pricing: 'tính giá đơn hàng', stock: 'giữ hàng cho bạn', slot: 'giữ khung giờ giao hàng', payment: 'khởi tạo thanh toán' }[step]}; bạn chưa bị trừ tiền`,
    },
  }),
  payment_timeout: {
    code: 'payment_timeout',
    message: {
      en: 'The payment was not completed within 15 minutes',
      vi: 'Thanh toán chưa hoàn tất trong 15 phút',
    },
  },
  not_confirmed: {
    code: 'not_confirmed',
    message: {
      en: 'Your order could not be confirmed; any payment is being returned',
      vi: 'Không thể xác nhận đơn hàng; khoản thanh toán (nếu có) đang được hoàn lại',
    },
  },
} satisfies Record<string, Reason | ((s: Step) => Reason)>;

const clone = (s: SagaState): SagaState => JSON.parse(JSON.stringify(s)) as SagaState;

/** Legs that are sent and waiting for an answer. */
export function openLegs(s: SagaState): Send[] {
  const out: Send[] = [];
  for (const step of STEPS)
    for (const leg of ['forward', 'finish', 'undo'] as const)
      if (s.legs[step][leg].state === 'sent') out.push({ step, leg });
  return out;
}

/**
 * The saga is over at `now`: confirmed, or cancelled with every compensation answered and no
 * forward command it gave up on still able to land (see `lateWindowS`).
 */
export function settled(s: SagaState, now: Date, t: SagaTimings = DEFAULT_TIMINGS): boolean {
  if (s.phase === 'confirmed') return true;
  if (s.phase !== 'cancelled') return false;
  return STEPS.every((step) => {
    const { forward, undo } = s.legs[step];
    if (undo.state === 'sent') return false;
    return forward.state !== 'abandoned' || lateUntil(forward, t) <= now.getTime();
  });
}

const lateUntil = (leg: Leg, t: SagaTimings) =>
  Date.parse(leg.sentAt ?? '1970-01-01T00:00:00Z') + t.lateWindowS * 1000;

/** When the saga next needs the clock: the earliest leg deadline or the payment deadline. */
export function nextCheck(s: SagaState, t: SagaTimings = DEFAULT_TIMINGS): Date | undefined {
  const times: number[] = [];
  for (const { step, leg } of openLegs(s)) times.push(deadlineOf(s.legs[step][leg], leg, t));
  // The clock must come back to declare the saga settled once a late success can no longer land.
  for (const step of STEPS)
    if (s.legs[step].forward.state === 'abandoned') times.push(lateUntil(s.legs[step].forward, t));
  if (s.phase === 'awaiting_payment' && s.payBy) times.push(Date.parse(s.payBy));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

function deadlineOf(leg: Leg, name: LegName, t: SagaTimings): number {
  const sent = Date.parse(leg.sentAt ?? '1970-01-01T00:00:00Z');
  if (name === 'forward') return sent + t.stepTimeoutS * 1000;
  const backoff = Math.min(t.maxResendS, t.resendS * 2 ** Math.max(0, (leg.attempts ?? 1) - 1));
  return sent + backoff * 1000;
}

/** Applies one input at `now`. */
export function advance(
  before: SagaState,
  input: SagaInput,
  now: Date,
  t: SagaTimings = DEFAULT_TIMINGS,
): Transition {
  const s = clone(before);
  const send: Send[] = [];
  const at = now.toISOString();
  const dispatch = (step: Step, leg: LegName) => {
    const l = s.legs[step][leg];
    s.legs[step][leg] = { state: 'sent', sentAt: at, attempts: (l.attempts ?? 0) + 1 };
    send.push({ step, leg });
  };
  let entered: Phase | undefined;
  const enter = (phase: Phase) => {
    s.phase = phase;
    entered = phase;
  };

  /** Gives up: every step that may hold something gets its undo leg. */
  const cancel = (reason: Reason) => {
    s.reason = reason;
    enter('cancelled');
    for (const step of STEPS) {
      const { forward, undo } = s.legs[step];
      if (forward.state === 'sent') s.legs[step].forward = { ...forward, state: 'abandoned' };
      if ((forward.state === 'done' || forward.state === 'sent') && undo.state !== 'sent')
        dispatch(step, 'undo');
    }
    // A payment seen before its create reply is still money to give back.
    if (s.paid && s.legs.payment.undo.state !== 'sent') dispatch('payment', 'undo');
  };

  const confirmIfFinished = () => {
    if (RESERVING.every((step) => s.legs[step].finish.state === 'done')) enter('confirmed');
  };

  const startConfirming = () => {
    enter('confirming');
    for (const step of RESERVING) dispatch(step, 'finish');
  };

  const live = s.phase !== 'confirmed' && s.phase !== 'cancelled';

  switch (input.kind) {
    case 'start':
      if (s.phase === 'reserving' && RESERVING.every((step) => s.legs[step].forward.state === 'idle'))
        for (const step of RESERVING) dispatch(step, 'forward');
      break;

    case 'reply': {
      const leg = legOf(input.step, input.action);
      if (!leg) break;
      const current = s.legs[input.step][leg];
      if (s.phase === 'cancelled' && leg !== 'undo') {
        // A step that succeeded after the saga gave up on it. The undo sent with the cancel may
        // have reached its owner before this success did and found nothing, so undo it again
        // (idempotent). A duplicate of a success seen before the cancel was undone then.
        if (input.outcome === 'done' && current.state !== 'done') dispatch(input.step, 'undo');
        if (current.state === 'sent' || current.state === 'abandoned')
          s.legs[input.step][leg] = { ...s.legs[input.step][leg], state: input.outcome };
        break;
      }
      if (current.state !== 'sent') break; // a duplicate, or an answer to a leg not waiting
      s.legs[input.step][leg] = { ...current, state: input.outcome };
      if (leg === 'undo') break;
      if (input.outcome === 'refused') {
        cancel(input.reason ?? SAGA_REASONS.not_confirmed);
        break;
      }
      if (s.phase === 'reserving' && RESERVING.every((step) => s.legs[step].forward.state === 'done')) {
        enter('paying');
        dispatch('payment', 'forward');
      } else if (s.phase === 'paying' && input.step === 'payment' && leg === 'forward') {
        if (s.payLater || s.paid) startConfirming();
        else {
          enter('awaiting_payment');
          s.payBy = new Date(now.getTime() + t.paymentTimeoutS * 1000).toISOString();
        }
      } else if (s.phase === 'confirming' && leg === 'finish') confirmIfFinished();
      break;
    }

    case 'paid':
      s.capturedVnd = Math.max(s.capturedVnd, input.capturedVnd);
      if (s.paid) break;
      s.paid = true;
      if (s.phase === 'awaiting_payment') startConfirming();
      else if (s.phase === 'cancelled' && s.legs.payment.undo.state !== 'sent') dispatch('payment', 'undo');
      break;

    case 'payment_failed':
      if (live && s.phase !== 'confirming') cancel(input.reason);
      break;

    case 'cancel':
      if (!live || s.phase === 'confirming')
        return {
          state: before,
          send: [],
          refused: `The order is ${s.phase}; it can no longer be cancelled here`,
        };
      cancel(input.reason);
      break;

    case 'tick': {
      if (s.phase === 'awaiting_payment' && s.payBy && Date.parse(s.payBy) <= now.getTime()) {
        cancel(SAGA_REASONS.payment_timeout);
        break;
      }
      for (const { step, leg } of openLegs(s)) {
        if (deadlineOf(s.legs[step][leg], leg, t) > now.getTime()) continue;
        if (leg === 'forward' && live) {
          cancel(SAGA_REASONS.step_timeout(step));
          break;
        }
        // Finish and undo legs (and a forward leg of a cancelled saga, whose undo is out) are
        // sent again until answered; a forward leg of a cancelled saga is left to its undo.
        if (leg !== 'forward') dispatch(step, leg);
      }
      break;
    }
  }
  return { state: s, send, ...(entered ? { entered } : {}) };
}
