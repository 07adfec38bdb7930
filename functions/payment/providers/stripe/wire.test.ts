import { NotificationAuthError, NotificationFormatError, RailRefusedError } from '../../rail';
import {
  checkAmount,
  fromPaymentIntent,
  fromRefund,
  fromStripeEvent,
  piStatus,
  stripeRefusal,
  toCreateParams,
  toRefundReason,
  verifyStripeEvent,
} from './wire';

// Known answer: HMAC-SHA256(key "whsec_tuoi_known_answer", "1700000000." + BODY) in hex, computed
// independently with `openssl dgst -sha256 -hmac` and Python's hmac module.
const SECRET = 'whsec_tuoi_known_answer';
const T = 1_700_000_000;
const BODY = '{"id":"evt_kat","object":"event","type":"payment_intent.succeeded"}';
const SIG = 'b1eed75c9627e4f4bdffcbe078fb96614e4bc6e81092c6806a8dd3e6c4a17f84';
const AT = new Date((T + 10) * 1000);

describe('verifyStripeEvent', () => {
  it('accepts the known-answer signature and returns the event', () => {
    expect(verifyStripeEvent(BODY, `t=${T},v1=${SIG}`, SECRET, { receivedAt: AT })).toMatchObject({
      id: 'evt_kat',
    });
  });
  it('accepts when any v1 matches (secret rotation) and ignores v0', () => {
    const header = `t=${T},v1=${'0'.repeat(64)},v0=${SIG},v1=${SIG}`;
    expect(verifyStripeEvent(BODY, header, SECRET, { receivedAt: AT }).id).toBe('evt_kat');
  });
  it('refuses a changed body, another secret, a v0-only header, a missing header or secret', () => {
    const bad: [string, string | undefined, string | undefined][] = [
      [BODY.replace('kat', 'kit'), `t=${T},v1=${SIG}`, SECRET],
      [BODY, `t=${T},v1=${SIG}`, 'whsec_other'],
      [BODY, `t=${T + 1},v1=${SIG}`, SECRET],
      [BODY, `t=${T},v0=${SIG}`, SECRET],
      [BODY, undefined, SECRET],
      [BODY, `t=${T},v1=${SIG}`, undefined],
    ];
    for (const [body, header, secret] of bad)
      expect(() => verifyStripeEvent(body, header, secret, { receivedAt: AT })).toThrow(
        NotificationAuthError,
      );
  });
  it('refuses a signature older than 300 s', () => {
    const late = new Date((T + 301) * 1000);
    expect(() => verifyStripeEvent(BODY, `t=${T},v1=${SIG}`, SECRET, { receivedAt: late })).toThrow(
      NotificationAuthError,
    );
    const inTime = new Date((T + 300) * 1000);
    expect(verifyStripeEvent(BODY, `t=${T},v1=${SIG}`, SECRET, { receivedAt: inTime }).id).toBe('evt_kat');
  });
});

describe('amounts and parameters', () => {
  it('takes whole đồng from 15,000 to 99,999,999', () => {
    expect(() => checkAmount(15_000)).not.toThrow();
    expect(() => checkAmount(99_999_999)).not.toThrow();
    for (const bad of [14_999, 100_000_000, 150_000.5, 0, -1, NaN])
      expect(() => checkAmount(bad)).toThrow(RailRefusedError);
    expect(() => checkAmount(1, 1)).not.toThrow();
  });
  it('creates manual-capture VND with our ids in metadata', () => {
    const params = toCreateParams({
      paymentId: 'pay_1',
      attemptId: 'a2',
      amountVnd: 185_000,
      description: 'Tươi order 1',
      returnUrl: 'https://x',
      notifyUrl: 'https://y',
      lang: 'vi',
      idempotencyKey: 'k',
    });
    expect(params).toEqual({
      amount: 185_000,
      currency: 'vnd',
      capture_method: 'manual',
      description: 'Tươi order 1',
      metadata: { payment_id: 'pay_1', attempt_id: 'a2' },
    });
  });
  it("maps only Stripe's three refund reasons", () => {
    expect(toRefundReason('Requested_by_customer')).toBe('requested_by_customer');
    expect(toRefundReason('thiếu hàng')).toBeUndefined();
  });
});

describe('objects', () => {
  const now = new Date('2026-12-07T00:00:00Z');
  it('maps PaymentIntent statuses', () => {
    expect(piStatus({ status: 'requires_payment_method' })).toBe('pending');
    expect(piStatus({ status: 'requires_payment_method', last_payment_error: {} })).toBe('failed');
    expect(piStatus({ status: 'requires_action' })).toBe('requires_action');
    expect(piStatus({ status: 'processing' })).toBe('pending');
    expect(piStatus({ status: 'requires_capture' })).toBe('authorised');
    expect(piStatus({ status: 'succeeded' })).toBe('captured');
    expect(piStatus({ status: 'canceled' })).toBe('voided');
    expect(piStatus({ status: 'canceled', cancellation_reason: 'expired' })).toBe('expired');
  });
  it('reads a held PaymentIntent with its expanded charge', () => {
    const state = fromPaymentIntent(
      {
        id: 'pi_1',
        status: 'requires_capture',
        amount: 200_000,
        amount_capturable: 200_000,
        amount_received: 0,
        latest_charge: { amount_refunded: 0, payment_method_details: { card: { capture_before: T } } },
      },
      now,
    );
    expect(state).toEqual({
      providerRef: 'pi_1',
      status: 'authorised',
      authorisedVnd: 200_000,
      capturedVnd: 0,
      refundedVnd: 0,
      holdExpiresAt: new Date(T * 1000),
      at: now,
    });
  });
  it('reads a refund', () => {
    expect(fromRefund({ id: 're_1', status: 'succeeded', amount: 5_000 })).toEqual({
      refundRef: 're_1',
      status: 'succeeded',
      amountVnd: 5_000,
    });
    expect(
      fromRefund({ id: 're_2', status: 'failed', amount: 5_000, failure_reason: 'lost_or_stolen_card' }),
    ).toMatchObject({ status: 'failed', failure: { code: 'lost_or_stolen_card' } });
  });
  it('reads events; other types and events without our payment id are format errors', () => {
    const pi = {
      id: 'pi_1',
      object: 'payment_intent',
      status: 'succeeded',
      amount: 200_000,
      amount_received: 150_000,
    };
    const event = (type: string, object: unknown) => ({ id: 'evt_1', type, created: T, data: { object } });
    expect(
      fromStripeEvent(event('payment_intent.succeeded', { ...pi, metadata: { payment_id: 'pay_1' } }), now),
    ).toMatchObject({
      rail: 'stripe',
      eventId: 'evt_1',
      paymentId: 'pay_1',
      amountVnd: 200_000,
      state: { status: 'captured', capturedVnd: 150_000, at: new Date(T * 1000) },
    });
    const charge = {
      object: 'charge',
      payment_intent: 'pi_1',
      amount: 200_000,
      amount_captured: 150_000,
      amount_refunded: 20_000,
      captured: true,
      metadata: { payment_id: 'pay_1' },
    };
    expect(fromStripeEvent(event('charge.refunded', charge), now).state).toMatchObject({
      providerRef: 'pi_1',
      status: 'captured',
      refundedVnd: 20_000,
    });
    expect(() => fromStripeEvent(event('payment_intent.succeeded', pi), now)).toThrow(
      NotificationFormatError,
    );
    expect(() => fromStripeEvent(event('customer.created', {}), now)).toThrow(NotificationFormatError);
  });
  it('turns Stripe errors into refusals', () => {
    const e = stripeRefusal({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Declined',
    });
    expect(e).toMatchObject({
      code: 'card_declined',
      message: expect.stringContaining('insufficient_funds'),
    });
    expect(stripeRefusal({ type: 'idempotency_error', message: 'x' }).code).toBe('idempotency_error');
  });
});
