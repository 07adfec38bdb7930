/** GoSend's wire format (wire.ts): statuses, phones, money by market, bodies both ways, webhook auth. */
import { WebhookAuthError, WebhookFormatError, type BookRequest } from '../../carrier';
import {
  checkGoSendWebhookAuth,
  fromGoSendPrice,
  fromGoSendStatus,
  fromGoSendWebhook,
  gosendPhone,
  gosendRefusal,
  gosendStatus,
  isDead,
  parseInstant,
  shipmentMethod,
  toGoSendBooking,
} from './wire';

const now = new Date('2026-03-02T03:00:00Z');

describe('gosendStatus', () => {
  it.each([
    ['confirmed', 'pending'],
    ['Finding Driver', 'pending'],
    ['allocated', 'assigned'],
    ['Driver Allocated', 'assigned'],
    ['out_for_pickup', 'assigned'],
    ['Enroute Pickup', 'assigned'],
    ['picked', 'picked_up'],
    ['Item Picked', 'picked_up'],
    ['out_for_delivery', 'in_transit'],
    ['Enroute Drop', 'in_transit'],
    ['on_hold', 'failed'],
    ['On Hold', 'failed'],
    ['delivered', 'delivered'],
    ['Completed', 'delivered'],
    ['cancelled', 'cancelled'],
    ['no_driver', 'cancelled'],
    ['Driver not found', 'cancelled'],
    ['rejected', 'returned'],
    ['DRIVER_FOUND', undefined], // a webhook `type`, not a status word
    ['lost', undefined],
    ['toString', undefined],
  ])('%s → %s', (raw, status) => {
    expect(gosendStatus(raw)).toBe(status);
  });

  it('counts only ended bookings as dead (a new one may be booked under the reference)', () => {
    expect(['cancelled', 'no_driver', 'Rejected'].map(isDead)).toEqual([true, true, true]);
    expect(['confirmed', 'Enroute Drop', 'delivered', 'on_hold', 'mystery'].map(isDead)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('phones and methods', () => {
  it.each([
    ['+6281234567890', 'ID', '6281234567890'],
    ['081234567890', 'ID', '6281234567890'],
    ['+65 9123 4567', 'SG', '6591234567'],
    ['091234567', 'SG', '6591234567'],
  ] as const)('%s in %s → %s', (phone, market, expected) => {
    expect(gosendPhone(phone, market)).toBe(expected);
  });

  it('books Instant unless a SameDay quote was taken', () => {
    expect(
      [undefined, 'Instant', 'SameDay', 'INSTANT'].map((service) => shipmentMethod({ service })),
    ).toEqual(['Instant', 'Instant', 'SameDay', 'Instant']);
  });
});

describe('parseInstant', () => {
  it.each([
    [1_772_420_400_000, '2026-03-02T03:00:00.000Z'],
    ['1772420400000', '2026-03-02T03:00:00.000Z'],
    [1_772_420_400, '2026-03-02T03:00:00.000Z'],
    ['2026-03-02T10:00:00+07:00', '2026-03-02T03:00:00.000Z'],
  ])('%j → %s', (raw, iso) => {
    expect(parseInstant(raw)?.toISOString()).toBe(iso);
  });

  it.each([[undefined], [null], [''], ['soon'], [0]])('%j → undefined', (raw) => {
    expect(parseInstant(raw)).toBeUndefined();
  });
});

describe('price answers', () => {
  const answer = (instant: Record<string, unknown>) => ({
    Instant: { shipment_method: 'Instant', serviceable: true, active: true, distance: 3.92, ...instant },
    SameDay: { shipment_method: 'SameDay', serviceable: true, active: true, price: { total_price: 16000 } },
  });

  it('prices IDR in whole rupiah and SGD in cents, never in đồng', () => {
    expect(fromGoSendPrice(answer({ price: { total_price: 22500 } }), 'Instant', 'ID')).toEqual({
      carrier: 'gosend',
      service: 'Instant',
      feeVnd: 0,
      currency: 'IDR',
      fee: 22_500,
      distanceMetres: 3_920,
    });
    expect(fromGoSendPrice(answer({ price: { total_price: 9.2 } }), 'Instant', 'SG')).toMatchObject({
      currency: 'SGD',
      fee: 920,
    });
    expect(fromGoSendPrice({ data: answer({ price: 30000 }) }, 'SameDay', 'ID')).toMatchObject({
      fee: 16_000,
    });
  });

  it('has no quote when the method is not serviceable, inactive, unpriced or absent', () => {
    expect(fromGoSendPrice(answer({ serviceable: false, price: null }), 'Instant', 'ID')).toBeUndefined();
    expect(
      fromGoSendPrice(answer({ active: false, price: { total_price: 1 } }), 'Instant', 'ID'),
    ).toBeUndefined();
    expect(fromGoSendPrice(answer({ price: null }), 'Instant', 'ID')).toBeUndefined();
    expect(fromGoSendPrice({}, 'Instant', 'ID')).toBeUndefined();
  });
});

describe('bodies', () => {
  const party = (name: string, phone: string) => ({
    name,
    phone,
    street: 'Jl. Sudirman 1',
    ward: 'Menteng',
    province: 'jakarta',
    geo: { lat: -6.195, lng: 106.823 },
  });
  const req: BookRequest = {
    reference: 'dlv-1',
    origin: party('Tươi Menteng', '+62215550100'),
    destination: party('Siti', '+6281234567890'),
    parcel: { weightGrams: 2_000, valueVnd: 0, items: [{ name: 'Bayam', qty: 2 }] },
    codVnd: 0,
    note: 'Ring twice',
  };

  it('sends one route with our reference as storeOrderId and corporate payment', () => {
    expect(toGoSendBooking(req, 'ID', 'Instant')).toMatchObject({
      paymentType: 3,
      shipment_method: 'Instant',
      routes: [
        {
          originContactName: 'Tươi Menteng',
          originContactPhone: '62215550100',
          originLatLong: '-6.195,106.823',
          originAddress: 'Jl. Sudirman 1, Menteng',
          destinationContactPhone: '6281234567890',
          destinationNote: 'Ring twice',
          item: '2x Bayam',
          storeOrderId: 'dlv-1',
        },
      ],
    });
  });

  it('reads a status answer: driver, tracking link, reference and the latest stamp', () => {
    const update = fromGoSendStatus(
      {
        orderNo: 'GK-11-1',
        storeOrderId: 'dlv-1',
        status: 'Enroute Drop',
        driverName: 'Budi',
        driverPhone: '6281298765432',
        vehicleNumber: 'B 1234 XYZ',
        liveTrackingUrl: 'https://gojek.com/t/1',
        orderCreatedTime: '2026-03-02T02:00:00Z',
        orderDispatchTime: '2026-03-02T02:30:00Z',
      },
      now,
    );
    expect(update).toEqual({
      carrier: 'gosend',
      carrierRef: 'GK-11-1',
      reference: 'dlv-1',
      status: 'in_transit',
      rawStatus: 'Enroute Drop',
      at: new Date('2026-03-02T02:30:00Z'),
      driver: { name: 'Budi', phone: '6281298765432', plate: 'B 1234 XYZ' },
      trackingUrl: 'https://gojek.com/t/1',
    });
    expect(() => fromGoSendStatus({ orderNo: 'GK-11-1' }, now)).toThrow(/bad_answer/);
  });

  it('reads a webhook with its event time, and says why a trip ended', () => {
    const hook = {
      booking_id: 'GK-11-2',
      status: 'no_driver',
      event_date: 1_772_420_400_000,
      driver_name: '',
    };
    expect(fromGoSendWebhook(hook, now)).toEqual({
      carrier: 'gosend',
      carrierRef: 'GK-11-2',
      status: 'cancelled',
      rawStatus: 'no_driver',
      at: new Date('2026-03-02T03:00:00Z'),
      reason: 'no_driver',
    });
    const held = { entity_id: 'GK-11-3', booking_status: 'on_hold', cancellation_reason: 'Hujan deras' };
    expect(fromGoSendWebhook(held, now)).toMatchObject({ status: 'failed', reason: 'Hujan deras', at: now });
    expect(fromGoSendWebhook({ booking_id: 'GK-11-4', status: 'teleported' }, now)).toMatchObject({
      status: undefined,
      rawStatus: 'teleported',
    });
    expect(() => fromGoSendWebhook({ status: 'picked' }, now)).toThrow(WebhookFormatError);
  });
});

describe('webhook auth and refusals', () => {
  it('compares the configured header, whatever its name', () => {
    const expected = { header: 'X-Callback-Token', token: 's3cret' };
    expect(() => checkGoSendWebhookAuth({ 'x-callback-token': 's3cret' }, expected)).not.toThrow();
    expect(() => checkGoSendWebhookAuth({ 'x-callback-token': 's3cre' }, expected)).toThrow(WebhookAuthError);
    expect(() => checkGoSendWebhookAuth({ authorization: 's3cret' }, expected)).toThrow(WebhookAuthError);
    expect(() => checkGoSendWebhookAuth({ authorization: 'x' }, { header: 'Authorization' })).toThrow(
      /not configured/,
    );
  });

  it('reads errors[0], a message, or the Error-Message header', () => {
    const body = JSON.stringify({ errors: [{ code: 'invalid_parameter', message: 'item is required' }] });
    expect(gosendRefusal(400, body)).toMatchObject({
      code: 'invalid_parameter',
      message: expect.stringMatching(/item/),
    });
    expect(gosendRefusal(409, '{"message":"cannot cancel"}')).toMatchObject({ code: 'http_409' });
    expect(gosendRefusal(400, '', 'Booking not found').message).toMatch(/Booking not found/);
  });
});
