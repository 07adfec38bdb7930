/**
 * Pricing engine benchmark (issue 15): `priceCart` in process on one thread, a 30-line cart (25
 * pieces, 5 weighted) against 200 active promotions of every kind over a 2,000-SKU catalogue
 * (SKU, category, brand, order and delivery targets; stack groups, exclusives, coupons, lots),
 * 100 different carts in turn. Three rounds of BENCH_DURATION_S seconds (default 3) after a
 * warm-up; prints Markdown with quotes/s and µs per quote per round. Needs nothing running.
 */
import { priceCart } from '../../functions/promotions/engine';
import type { Action, Cart, CartLine, Promotion, Target } from '../../functions/promotions/model';
import { piece, promo, weighed } from '../../functions/promotions/testing';
import { DEFAULT_VAT_TABLE } from '../../functions/promotions/vat';
import { rng } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const SKUS = 2_000;
const CATEGORIES = 40;
const BRANDS = 60;
const PROMOTIONS = 200;
const CARTS = 100;
const LINES = 30;
const AT = new Date('2026-12-06T18:00:00+07:00');

const rand = rng(15);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const sku = (i: number) => `TU-${String(i).padStart(5, '0')}`;
const categoryPath = (i: number) => ['food', `c${i % 8}`, `c${i % CATEGORIES}`];

function randomTarget(): Target {
  const r = rand();
  if (r < 0.55)
    return { kind: 'skus', skus: Array.from({ length: int(1, 20) }, () => sku(int(0, SKUS - 1))) };
  if (r < 0.8) return { kind: 'categories', categories: [`c${int(0, CATEGORIES - 1)}`] };
  if (r < 0.95) return { kind: 'brands', brands: [`b${int(0, BRANDS - 1)}`] };
  return { kind: 'order' };
}

function randomAction(): Action {
  switch (int(0, 6)) {
    case 0:
      return { kind: 'percentage', percent: int(5, 30) };
    case 1:
      return { kind: 'amountOff', amount: int(1, 20) * 1_000, allocation: pick(['each', 'across'] as const) };
    case 2:
      return { kind: 'fixedPrice', unitPrice: int(5, 100) * 1_000 };
    case 3:
      return {
        kind: 'buyXGetY',
        buy: int(1, 3),
        get: 1,
        percent: pick([50, 100]),
        maxApplications: int(1, 3),
      };
    case 4:
      return {
        kind: 'tiered',
        measure: 'quantity',
        tiers: [
          { min: 3, percent: 5 },
          { min: 6, percent: 10 },
        ],
      };
    case 5:
      return {
        kind: 'nearExpiry',
        withinDays: 3,
        schedule: [
          { daysLeft: 3, percent: 20 },
          { daysLeft: 1, percent: 40 },
        ],
      };
    default:
      return { kind: 'percentage', percent: int(1, 10) };
  }
}

function promotions(): Promotion[] {
  return Array.from({ length: PROMOTIONS }, (_, i) => {
    const id = `promo-${String(i).padStart(3, '0')}`;
    const extra: Partial<Promotion> = {
      target: randomTarget(),
      priority: int(0, 5),
      exclusive: rand() < 0.05,
      startsAt: '2026-12-01T00:00:00+07:00',
      endsAt: '2027-01-01T00:00:00+07:00',
      ...(rand() < 0.3 ? { stackGroup: `g${int(0, 9)}` } : {}),
      ...(rand() < 0.1 ? { code: `CODE${i}` } : {}),
      ...(rand() < 0.2 ? { conditions: { minOrderValue: int(1, 10) * 100_000 } } : {}),
    };
    if (i % 25 === 0)
      return promo(id, { kind: 'delivery', percent: 100 }, { ...extra, target: { kind: 'delivery' } });
    return promo(id, randomAction(), extra);
  });
}

function cart(): Cart {
  const lines: CartLine[] = Array.from({ length: LINES }, (_, i) => {
    const n = int(0, SKUS - 1);
    const common = { sku: sku(n), categoryPath: categoryPath(n), brand: `b${n % BRANDS}` };
    return i < 25
      ? piece(`line-${i}`, int(5, 200) * 1_000, int(1, 6), common)
      : weighed(`line-${i}`, int(50, 400) * 1_000, int(1, 3), 500, undefined, common);
  });
  return {
    lines,
    customer: { id: 'u-1' },
    couponCodes: ['CODE10', 'CODE20'],
    deliveryFee: 20_000,
    location: 'kho-q1',
    lots: lines.slice(0, 5).map((l) => ({ sku: l.sku, location: 'kho-q1', qty: 2, expiresOn: '2026-12-08' })),
  };
}

function round(carts: Cart[], promos: Promotion[], seconds: number): { quotes: number; perSecond: number } {
  let quotes = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end)
    for (let k = 0; k < 100; k++) priceCart(carts[quotes++ % carts.length]!, promos, DEFAULT_VAT_TABLE, AT);
  return { quotes, perSecond: quotes / ((performance.now() - start) / 1000) };
}

function main(): void {
  const promos = promotions();
  const carts = Array.from({ length: CARTS }, cart);
  const sample = priceCart(carts[0]!, promos, DEFAULT_VAT_TABLE, AT);
  round(carts, promos, 1);
  console.log(`| round | quotes | quotes/s | µs per quote |`);
  console.log(`|---|---|---|---|`);
  for (let r = 1; r <= 3; r++) {
    const { quotes, perSecond } = round(carts, promos, DURATION_S);
    console.log(
      `| ${r} | ${quotes.toLocaleString('en')} | ${Math.round(perSecond).toLocaleString('en')} | ${(1e6 / perSecond).toFixed(0)} |`,
    );
  }
  console.log(
    `\nFirst cart: ${sample.applied.length} applied, ${sample.notApplied.length} not applied, total ${sample.totals.total.toLocaleString('en')} đ`,
  );
}

main();
