/** Grab Express's wire format (wire.ts): statuses, service choice, bodies both ways, webhook auth. */
import { WebhookAuthError, WebhookFormatError, type BookRequest } from '../../carrier';
import {
  bookingServiceType,
  checkGrabWebhookAuth,
  fromGrabDelivery,
  fromGrabQuotes,
  fromGrabWebhook,
  grabRefusal,
  grabStatus,
  parseInstant,
  serviceTypeFor,
  toGrabDelivery,
} from './wire';

const now = new Date('2026-03-02T03:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

describe('grabStatus', () => {
  it.each([
    ['ALLOCATING', 'pending'],
    ['PENDING_PICKUP', 'assigned'],
    ['PICKING_UP', 'assigned'],
    ['PENDING_DROP_OFF', 'picked_up'],
    ['IN_DELIVERY', 'in_transit'],
    ['COMPLETED', 'delivered'],
    ['CANCELED', 'cancelled'],
    ['FAILED', 'failed'],
    ['IN_RETURN', 'returning'],
    ['RETURNED', 'returned'],
    ['CANCELLED', undefined], // Grab spells it with one L; the other spelling is not Grab's
    ['QUEUEING', undefined],
    ['toString', undefined],
  ])('%s → %s', (raw, status) => {
    expect(grabStatus(raw)).toBe(status);
  });
});

describe('service type', () => {
  it.each([
    ['no window', undefined, 'INSTANT'],
    ['a window starting in 30 minutes', { start: hours(0.5), end: hours(2.5) }, 'INSTANT'],
    ['a window starting in exactly an hour', { start: hours(1), end: hours(3) }, 'INSTANT'],
    ['a window starting in three hours', { start: hours(3), end: hours(5) }, 'SAME_DAY'],
  ])('%s → %s', (_, window, expected) => {
    expect(serviceTypeFor(window, now)).toBe(expected);
  });

  it('keeps the quoted service, but not SAME_DAY without a window', () => {
    const req = { window: undefined } as BookRequest;
    expect(bookingServiceType({ ...req, service: 'SAME_DAY' }, now)).toBe('INSTANT');
    expect(
      bookingServiceType({ ...req, service: 'INSTANT', window: { start: hours(3), end: hours(5) } }, now),
    ).toBe('INSTANT');
  });
});

describe('parseInstant', () => {
  it.each([
    [1_772_420_400, '2026-03-02T03:00:00.000Z'],
    ['1772420400', '2026-03-02T03:00:00.000Z'],
    [1_772_420_400_123, '2026-03-02T03:00:00.123Z'],
    ['2026-03-02T10:00:00+07:00', '2026-03-02T03:00:00.000Z'],
  ])('%j → %s', (raw, iso) => {
    expect(parseInstant(raw)?.toISOString()).toBe(iso);
  });

  it.each([[undefined], [null], [''], ['soon'], [0], [-5]])('%j → undefined', (raw) => {
    expect(parseInstant(raw)).toBeUndefined();
  });
});

describe('bodies', () => {
  const party = {
    name: 'A',
    phone: '+84901234567',
    street: '1 Lê Lợi',
    ward: 'Phường Bến Thành',
    province: 'ho-chi-minh',
  };

  it('describes the bag in at most 500 characters and omits coordinates it does not have', () => {
    const items = Array.from({ length: 80 }, (_, i) => ({ name: `Món ${i}`, qty: 1 }));
    const body = toGrabDelivery(
      {
        reference: 'r',
        origin: party,
        destination: party,
        parcel: { weightGrams: 1_500.4, valueVnd: 1, items },
        codVnd: 0,
      },
      'INSTANT',
    );
    expect(body.packages[0]!.description).toHaveLength(500);
    expect(body.packages[0]!.dimensions.weight).toBe(1_500);
    expect(body.origin).toEqual({ address: '1 Lê Lợi, Phường Bến Thành', keywords: 'Phường Bến Thành' });
    expect(body).not.toHaveProperty('schedule');
  });

  it('reads the quote of the service asked for, with the service as an object or a word', () => {
    const answer = {
      quotes: [
        { service: { type: 'INSTANT' }, amount: 30_000, distance: 4_100.4 },
        { service: 'SAME_DAY', amount: 24_000, estimatedTimeline: { dropoff: hours(2).toISOString() } },
      ],
    };
    expect(fromGrabQuotes(answer, 'SAME_DAY', now)).toEqual({
      carrier: 'grab',
      service: 'SAME_DAY',
      feeVnd: 24_000,
      etaMinutes: 120,
    });
    expect(fromGrabQuotes(answer, 'INSTANT', now)).toMatchObject({ feeVnd: 30_000, distanceMetres: 4_100 });
    expect(fromGrabQuotes({ quotes: [] }, 'INSTANT', now)).toBeUndefined();
    expect(fromGrabQuotes({}, 'INSTANT', now)).toBeUndefined();
  });

  it('keeps an unknown status raw, with no status to apply', () => {
    const update = fromGrabDelivery({ deliveryID: 'IN-1', status: 'ON_HOLD', timeline: {} }, now);
    expect(update).toMatchObject({ carrierRef: 'IN-1', status: undefined, rawStatus: 'ON_HOLD', at: now });
  });

  it('dates a tracked status by the latest timeline entry and counts no COD when none was asked', () => {
    const update = fromGrabDelivery(
      {
        deliveryID: 'IN-1',
        status: 'COMPLETED',
        timeline: { create: hours(-2).toISOString(), completed: hours(-1).toISOString() },
      },
      now,
    );
    expect(update).toMatchObject({ status: 'delivered', at: hours(-1), codCollectedVnd: 0 });
  });

  it('refuses a webhook without deliveryID or status', () => {
    expect(() => fromGrabWebhook({ status: 'COMPLETED' }, now)).toThrow(WebhookFormatError);
    expect(() => fromGrabWebhook({ deliveryID: 'IN-1' }, now)).toThrow(WebhookFormatError);
    expect(() => fromGrabWebhook('COMPLETED', now)).toThrow(WebhookFormatError);
  });

  it('dates a webhook without a timestamp by when it arrived', () => {
    expect(fromGrabWebhook({ deliveryID: 'IN-1', status: 'FAILED', failedReason: 'x' }, now)).toEqual({
      carrier: 'grab',
      carrierRef: 'IN-1',
      status: 'failed',
      rawStatus: 'FAILED',
      at: now,
      reason: 'x',
    });
  });

  it.each([
    [
      400,
      '{"arg":"packages","code":"INVALID_ARGUMENT","message":"packages is required"}',
      'INVALID_ARGUMENT',
      'packages is required',
    ],
    [401, '{"error":"invalid_client","error_description":"no"}', 'invalid_client', 'no'],
    [422, 'Unprocessable', 'http_422', 'Unprocessable'],
    [403, '', 'http_403', 'HTTP 403'],
  ])('reads a %i refusal', (status, text, code, detail) => {
    expect(grabRefusal(status, text)).toMatchObject({
      carrier: 'grab',
      code,
      message: `grab refused: ${code}: ${detail}`,
    });
  });
});

describe('webhook authentication', () => {
  const expected = { authorization: 'Basic c2VjcmV0', authorizationId: 'tuoi-1' };

  it('accepts the agreed headers', () => {
    expect(() =>
      checkGrabWebhookAuth({ authorization: 'Basic c2VjcmV0', 'authorization-id': 'tuoi-1' }, expected),
    ).not.toThrow();
  });

  it.each([
    ['a wrong Authorization', { authorization: 'Basic c2VjcmV1', 'authorization-id': 'tuoi-1' }],
    ['a wrong Authorization-Id', { authorization: 'Basic c2VjcmV0', 'authorization-id': 'tuoi-2' }],
    ['a longer Authorization', { authorization: 'Basic c2VjcmV0X', 'authorization-id': 'tuoi-1' }],
    ['no Authorization-Id', { authorization: 'Basic c2VjcmV0' }],
    ['no headers', {}],
  ])('refuses %s', (_, headers) => {
    expect(() => checkGrabWebhookAuth(headers, expected)).toThrow(WebhookAuthError);
  });

  it('refuses everything when no credentials are configured', () => {
    expect(() => checkGrabWebhookAuth({ authorization: '', 'authorization-id': '' }, {})).toThrow(
      WebhookAuthError,
    );
  });
});
