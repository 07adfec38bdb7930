import type { OrderRow } from './order-store';
import type { PickLine } from './picking';
import { trackingDoc } from './tracking';

const names = (en: string, vi: string) => ({ en, vi });

function line(sku: string, sub?: PickLine['sub']): PickLine {
  return {
    sku,
    name: names(`Item ${sku}`, `Hàng ${sku}`),
    sold_by: 'piece',
    ordered: 2,
    preference: { mode: 'best_match' },
    estimate_vnd: 50_000,
    state: sub ? 'short' : 'picked',
    picked: sub ? 0 : 2,
    ...(sub ? { sub } : {}),
  };
}

function sub(sku: string, state: NonNullable<PickLine['sub']>['state'], more = {}): PickLine['sub'] {
  return {
    sku,
    name: names(`Sub ${sku}`, `Thay ${sku}`),
    sold_by: 'piece',
    amount: 2,
    reservation_id: `r-${sku}`,
    quote_id: `q-${sku}`,
    state,
    ...more,
  };
}

function row(patch: Partial<OrderRow> = {}): OrderRow {
  return {
    id: 'ord-1',
    customer_id: 'usr-1',
    lang: 'vi',
    status: 'picking',
    fulfilment: {
      kind: 'delivery',
      slot: 'hcm-q1:2026-12-08:18',
      hold_id: 'h-1',
      window: { starts_at: '2026-12-08T11:00:00.000Z', ends_at: '2026-12-08T12:00:00.000Z', fee_vnd: 15_000 },
    },
    picking: null,
    tracking: null,
    final_vnd: null,
    version: 7,
    updated_at: new Date('2026-12-07T09:00:00.000Z'),
    ...patch,
  } as OrderRow;
}

describe('trackingDoc', () => {
  it('mirrors status with its labels, the window, the version and updated_at', () => {
    expect(trackingDoc(row())).toEqual({
      order_id: 'ord-1',
      customer_id: 'usr-1',
      lang: 'vi',
      status: 'picking',
      status_label: { en: 'Being picked', vi: 'Đang soạn hàng' },
      kind: 'delivery',
      window: { starts_at: '2026-12-08T11:00:00.000Z', ends_at: '2026-12-08T12:00:00.000Z' },
      substitutions: [],
      delivery: null,
      ready_for_pickup: false,
      ready_at: null,
      final_vnd: null,
      version: 7,
      updated_at: '2026-12-07T09:00:00.000Z',
    });
  });

  it('lists proposed and decided substitutes with price and deadline, not pending ones', () => {
    const doc = trackingDoc(
      row({
        picking: [
          line('a'),
          line('b', sub('b2', 'proposed', { price_vnd: 42_000, deadline_at: '2026-12-07T09:15:00.000Z' })),
          line('c', sub('c2', 'pending')),
          line('d', sub('d2', 'rejected', { price_vnd: 9_000 })),
        ],
      }),
    );
    expect(doc.substitutions).toEqual([
      {
        sku: 'b',
        name: names('Item b', 'Hàng b'),
        substitute: { sku: 'b2', name: names('Sub b2', 'Thay b2') },
        price_vnd: 42_000,
        deadline_at: '2026-12-07T09:15:00.000Z',
        state: 'proposed',
      },
      {
        sku: 'd',
        name: names('Item d', 'Hàng d'),
        substitute: { sku: 'd2', name: names('Sub d2', 'Thay d2') },
        price_vnd: 9_000,
        deadline_at: null,
        state: 'rejected',
      },
    ]);
  });

  it('carries the delivery: carrier, status, ETA, tracking link, and the final amount', () => {
    const doc = trackingDoc(
      row({
        status: 'out_for_delivery',
        final_vnd: 123_000,
        tracking: {
          delivery_id: 'ord-1.d1',
          carrier: 'grab',
          status: 'in_transit',
          tracking_url: 'https://track.example/1',
          eta_at: '2026-12-08T11:30:00.000Z',
        },
      }),
    );
    expect(doc.status_label).toEqual({ en: 'Out for delivery', vi: 'Đang giao hàng' });
    expect(doc.delivery).toEqual({
      delivery_id: 'ord-1.d1',
      carrier: 'grab',
      status: 'in_transit',
      tracking_url: 'https://track.example/1',
      eta_at: '2026-12-08T11:30:00.000Z',
    });
    expect(doc.final_vnd).toBe(123_000);
    expect(doc.ready_for_pickup).toBe(false);
  });

  it('says when a pickup is ready', () => {
    const doc = trackingDoc(
      row({
        status: 'ready_for_pickup',
        fulfilment: { ...row().fulfilment, kind: 'pickup' },
        tracking: { delivery_id: 'pck-1', ready_at: '2026-12-08T10:00:00.000Z' },
      }),
    );
    expect(doc).toMatchObject({
      kind: 'pickup',
      delivery: null,
      ready_for_pickup: true,
      ready_at: '2026-12-08T10:00:00.000Z',
      status_label: { en: 'Ready for pickup', vi: 'Sẵn sàng để nhận' },
    });
  });
});
