import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TuoiCloudEvent } from '../../events';
import { ValidationError } from '../shared/errors';
import { hashRequest } from '../shared/idempotency';
import type { CreateDelivery, CreateResult } from './deliveries';
import type { DeliveryRow } from './delivery-store';
import { createRequestOf, dispatchHandlers } from './dispatch';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(
      join(__dirname, '../../events/fixtures/io.tuoi.order.packed.v1/valid', `${name}.json`),
      'utf8',
    ),
  ) as TuoiCloudEvent<Record<string, unknown>>;

const delivery = fixture('delivery');
const pickup = fixture('pickup-cod');
type Packed = Parameters<typeof createRequestOf>[0];

function handlerWith(result: CreateResult | Error) {
  const seen: CreateDelivery[] = [];
  const handler = dispatchHandlers({
    deliveries: {
      async create(input) {
        seen.push(input);
        if (result instanceof Error) throw result;
        return result;
      },
    },
  })['io.tuoi.order.packed.v1']!;
  return { seen, run: (e: TuoiCloudEvent) => handler(e, undefined as never) };
}

describe('createRequestOf', () => {
  it('maps a delivery: id <order_id>.d1, kind, hold, destination as a party, parcel in the port’s units, COD', () => {
    expect(createRequestOf(delivery.data as Packed)).toEqual({
      id: 'ord-01jf8a2k3m4n5p6q7r8s9t0v1w.d1',
      order_id: 'ord-01jf8a2k3m4n5p6q7r8s9t0v1w',
      customer_id: 'c81e728d-9d4c-4f63-8e9a-2b1c3d4e5f60',
      kind: 'delivery',
      hold_id: 'ord-01jf8a2k3m4n5p6q7r8s9t0v1w',
      destination: {
        name: 'Nguyễn Thị Lan',
        phone: '+84901234567',
        street: '12 Lê Lợi',
        ward: 'Phường Bến Thành',
        province: 'ho-chi-minh',
      },
      parcel: {
        weightGrams: 3200,
        valueVnd: 251000,
        items: [
          { name: 'Sữa tươi TH true MILK 1 L', qty: 2 },
          { name: 'Thịt ba chỉ heo', qty: 1 },
        ],
      },
      cod_vnd: 0,
    });
  });

  it('keeps the destination’s geo when given; a pickup has no destination', () => {
    const withGeo = {
      ...(delivery.data as Packed),
      destination: { ...(delivery.data as Packed).destination!, geo: { lat: 10.77, lng: 106.7 } },
    };
    expect(createRequestOf(withGeo).destination?.geo).toEqual({ lat: 10.77, lng: 106.7 });
    const p = createRequestOf(pickup.data as Packed);
    expect(p).toMatchObject({ kind: 'pickup', cod_vnd: 251000 });
    expect('destination' in p).toBe(false);
  });

  it('gives the same request hash for the same order whatever the event’s time or language', () => {
    const data = delivery.data as Packed;
    const again = { ...data, lang: 'en' as const, at: '2026-12-08T11:00:00+07:00' };
    expect(hashRequest(createRequestOf(again))).toBe(hashRequest(createRequestOf(data)));
    expect(hashRequest(createRequestOf({ ...data, cod_vnd: 1 }))).not.toBe(
      hashRequest(createRequestOf(data)),
    );
  });
});

describe('the packed-order handler', () => {
  const row = { id: 'x.d1', status: 'pending', carrier: 'grab' } as DeliveryRow;

  it('creates once per event and is done on ok (new or replayed)', async () => {
    for (const replayed of [false, true]) {
      const h = handlerWith({ kind: 'ok', delivery: row, replayed });
      await expect(h.run(delivery)).resolves.toBeUndefined();
      expect(h.seen).toHaveLength(1);
    }
  });

  it.each([
    [
      { kind: 'invalid', field: '/hold_id', code: 'unknown', message: 'No hold' } as CreateResult,
      '/data/hold_id',
    ],
    [{ kind: 'conflict', message: 'Hold is released' } as CreateResult, '/data/order_id'],
  ])('rejects %j as poison: a 400, never a 409 the broker would retry', async (result, field) => {
    const err = await handlerWith(result)
      .run(delivery)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).status).toBe(400);
    expect((err as ValidationError).errors[0]?.field).toBe(field);
  });

  it('lets a database failure through (5xx: retried)', async () => {
    const boom = Object.assign(new Error('connection reset'), { code: '08006' });
    await expect(handlerWith(boom).run(delivery)).rejects.toBe(boom);
  });
});
