/** AhaMove's v3 wire format (wire.ts): statuses with the drop's outcome, services, bodies, callback auth. */
import { WebhookAuthError, WebhookFormatError, type QuoteRequest } from '../../carrier';
import {
  ahamoveRawStatus,
  ahamoveRefusal,
  ahamoveService,
  ahamoveStatus,
  checkAhamoveWebhookAuth,
  fromAhamoveEstimates,
  fromAhamoveOrder,
  fromAhamoveWebhook,
  orderTime,
  toBooking,
} from './wire';

const now = new Date('2026-03-02T03:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
const order = (status: string, sub = '', drop = '', extra: Record<string, unknown> = {}) => ({
  _id: '24ABCD',
  status,
  sub_status: sub,
  path: [{ status: '' }, { status: drop, tracking_number: 'dlv-1', cod: 90_000 }],
  ...extra,
});

describe('ahamoveStatus', () => {
  it.each([
    ['IDLE', '', '', 'pending'],
    ['ASSIGNING', '', '', 'pending'],
    ['CONFIRMING', '', '', 'pending'],
    ['PAYING', '', '', 'pending'],
    ['ACCEPTED', '', '', 'assigned'],
    ['ACCEPTED', 'BOARDED', '', 'assigned'],
    ['IN PROCESS', '', '', 'in_transit'],
    ['IN PROCESS', 'COMPLETING', '', 'in_transit'],
    ['IN PROCESS', '', 'FAILED', 'failed'],
    ['COMPLETED', '', 'COMPLETED', 'delivered'],
    ['COMPLETED', '', 'FAILED', 'failed'],
    ['COMPLETED', 'IN_RETURN', 'FAILED', 'returning'],
    ['COMPLETED', 'RETURNED', 'FAILED', 'returned'],
    ['COMPLETED', '', '', undefined], // finished, but the drop does not say how
    ['CANCELLED', '', '', 'cancelled'],
    ['BOARDED', '', '', undefined],
    ['IN_PROCESS', '', '', undefined],
  ])('%s:%s (drop %s) → %s', (status, sub, drop, expected) => {
    expect(ahamoveStatus(order(status, sub, drop))).toBe(expected);
  });

  it.each([
    [order('ACCEPTED'), 'ACCEPTED'],
    [order('ACCEPTED', 'BOARDED'), 'ACCEPTED:BOARDED'],
    [order('COMPLETED', 'IN_RETURN', 'FAILED'), 'COMPLETED:IN_RETURN (drop FAILED)'],
  ])('keeps the raw status %#', (o, raw) => {
    expect(ahamoveRawStatus(o)).toBe(raw);
  });
});

describe('service and time', () => {
  const req = (province: string) => ({ origin: { province } }) as QuoteRequest;

  it.each([
    ['ho-chi-minh', 'SGN-BIKE'],
    ['ha-noi', 'HAN-BIKE'],
    ['da-nang', 'DAD-BIKE'],
    ['can-tho', undefined],
  ])('a pickup in %s → %s', (province, service) => {
    expect(ahamoveService(req(province))).toBe(service);
  });

  it('keeps the quoted service', () => {
    expect(ahamoveService({ ...req('ho-chi-minh'), service: 'SGN-ECO' })).toBe('SGN-ECO');
  });

  it.each([
    ['no window', undefined, 0],
    ['a window within the hour', { start: hours(0.75), end: hours(2) }, 0],
    ['a window in three hours', { start: hours(3), end: hours(5) }, Math.floor(hours(3).getTime() / 1000)],
  ])('order_time for %s', (_, window, expected) => {
    expect(orderTime(window, now)).toBe(expected);
  });
});

describe('answers', () => {
  it('reads the estimate of the service asked for; an error entry is no quote', () => {
    const answer = [
      { service_id: 'SGN-ECO', data: { total_price: 19_000, distance: 2.75, duration: 796 } },
      { service_id: 'SGN-BIKE', data: { total_price: 22_000, distance: 2.75, duration: 796 } },
      { service_id: 'HAN-BIKE', error: { title: 'OUT_OF_SERVICE_AREA' } },
    ];
    expect(fromAhamoveEstimates(answer, 'SGN-BIKE')).toEqual({
      carrier: 'ahamove',
      service: 'SGN-BIKE',
      feeVnd: 22_000,
      etaMinutes: 14,
      distanceMetres: 2_750,
    });
    expect(fromAhamoveEstimates(answer, 'HAN-BIKE')).toBeUndefined();
    expect(fromAhamoveEstimates({ title: 'odd' }, 'SGN-BIKE')).toBeUndefined();
  });

  it('dates an update by the time its status sets, else by now', () => {
    const accepted = order('ACCEPTED', '', '', { accept_time: 1_772_416_800.25 });
    expect(fromAhamoveOrder(accepted, now).at).toEqual(new Date(1_772_416_800_250));
    const delivered = order('COMPLETED', '', 'COMPLETED', { complete_time: 1_772_416_900 });
    expect(fromAhamoveOrder(delivered, now)).toMatchObject({
      at: new Date(1_772_416_900_000),
      codCollectedVnd: 90_000,
      reference: 'dlv-1',
    });
    expect(fromAhamoveOrder(order('ASSIGNING', '', '', { create_time: 0 }), now).at).toBe(now);
  });

  it('gives the cancel comment as the reason of a cancel', () => {
    const cancelled = order('CANCELLED', '', '', { cancel_comment: 'Auto cancel, no driver accepted' });
    expect(fromAhamoveOrder(cancelled, now)).toMatchObject({
      status: 'cancelled',
      reason: 'Auto cancel, no driver accepted',
    });
  });

  it('refuses a callback that is not an order', () => {
    expect(() => fromAhamoveWebhook({ status: 'ACCEPTED' }, now)).toThrow(WebhookFormatError);
    expect(() => fromAhamoveWebhook([], now)).toThrow(WebhookFormatError);
  });

  it('reads a create answer', () => {
    const answer = {
      order_id: '24ABCD',
      status: 'ASSIGNING',
      shared_link: 'https://s/24ABCD',
      order: { total_pay: 22_000 },
    };
    expect(toBooking(answer)).toEqual({
      carrier: 'ahamove',
      carrierRef: '24ABCD',
      feeVnd: 22_000,
      trackingUrl: 'https://s/24ABCD',
      status: 'pending',
      rawStatus: 'ASSIGNING',
    });
  });

  it.each([
    [
      406,
      '{"title":"INVALID_ORDER_STATUS","description":"Order not in valid status"}',
      'INVALID_ORDER_STATUS',
    ],
    [401, '{"title":"NOT_AUTHORIZED"}', 'NOT_AUTHORIZED'],
    [402, 'Not allowed', 'http_402'],
  ])('reads a %i refusal', (status, text, code) => {
    expect(ahamoveRefusal(status, text)).toMatchObject({ carrier: 'ahamove', code });
  });
});

describe('callback authentication', () => {
  it('accepts the registered apikey and refuses anything else', () => {
    expect(() => checkAhamoveWebhookAuth({ apikey: 'k-1' }, 'k-1')).not.toThrow();
    for (const headers of [{ apikey: 'k-2' }, { apikey: 'k-1 ' }, { authorization: 'Bearer k-1' }, {}])
      expect(() => checkAhamoveWebhookAuth(headers, 'k-1')).toThrow(WebhookAuthError);
  });

  it('refuses every callback when no apikey is configured', () => {
    expect(() => checkAhamoveWebhookAuth({ apikey: '' }, undefined)).toThrow(WebhookAuthError);
  });
});
