import type { QuoteRequest } from '../../carrier';
import { metresBetween, ownFleetCarrier } from './adapter';

const party = (lat?: number, lng?: number) => ({
  name: 'x',
  phone: '+84901234567',
  street: '1 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'ho-chi-minh',
  ...(lat !== undefined && lng !== undefined ? { geo: { lat, lng } } : {}),
});
const trip = (to: ReturnType<typeof party>): QuoteRequest => ({
  origin: party(10.7731, 106.7005),
  destination: to,
  parcel: { weightGrams: 1_000, valueVnd: 100_000, items: [{ name: 'Sữa', qty: 1 }] },
  codVnd: 0,
});

describe('own fleet', () => {
  it('measures great-circle distance (Bến Thành → Thủ Đức ≈ 9.6 km)', () => {
    const d = metresBetween({ lat: 10.7731, lng: 106.7005 }, { lat: 10.8494, lng: 106.7537 });
    expect(d).toBeGreaterThan(9_500);
    expect(d).toBeLessThan(10_500);
  });

  it.each([
    ['inside the radius', party(10.7745, 106.6981), true],
    ['outside the radius', party(10.8494, 106.7537), false],
    ['without coordinates (the zone bounds it)', party(), true],
  ])('%s', async (_name, to, served) => {
    const quote = await ownFleetCarrier({ tripCostVnd: 25_000, radiusMetres: 8_000 }).quote(trip(to));
    expect(quote !== undefined).toBe(served);
    if (quote) expect(quote).toMatchObject({ carrier: 'own_fleet', feeVnd: 25_000 });
  });
});
