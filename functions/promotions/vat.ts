/**
 * Vietnam VAT as effective-dated data. Retail prices are VAT-inclusive whole đồng; the VAT in a
 * line is extracted from its final amount, rounded per line, and summed per rate, so the parts
 * always sum to the VAT total. The rate is chosen by the pricing time's date in Vietnam (UTC+7).
 */
import { localDateOf } from '../shared/vietnam-time';
import type { Vnd } from './money';

/** A product's tax category (PROVIDERS.md §5): which rate table row applies. */
export type TaxCategory = 'VAT5' | 'VAT10_REDUCIBLE' | 'VAT10_EXCLUDED' | 'EXEMPT' | (string & {});

/**
 * One row of the rate table: `rateBp` basis points (800 = 8 %) for `category` from `from` to
 * `until` (Vietnam calendar dates `YYYY-MM-DD`, both inclusive; missing = open-ended). `exempt`
 * marks goods outside VAT (KCT), printed apart from a 0 % rate.
 */
export interface VatRate {
  category: TaxCategory;
  rateBp: number;
  from?: string;
  until?: string;
  exempt?: boolean;
}

/** The rate table: plain data, editable by staff in a later step. */
export type VatTable = readonly VatRate[];

/**
 * The default table, from PROVIDERS.md §5. Sources: VAT Law 2024 No. 48/2024/QH15 (in force
 * 1 Jul 2025; 10 % standard, 5 % list in Art. 9(2)); Decree 174/2025/NĐ-CP under Resolution
 * 204/2025/QH15: 8 % on 10 %-rate goods from 1 Jul 2025 to 31 Dec 2026, excluding goods under
 * special consumption tax (beer, wine, spirits, tobacco stay 10 %) and leaving 5 % goods at 5 %.
 * Fresh produce sold by a trading business at 5 % is the historical rule (Official Letter
 * 7062/BTC-TCT), unconfirmed under the new law.
 */
export const DEFAULT_VAT_TABLE: VatTable = [
  { category: 'VAT5', rateBp: 500 },
  { category: 'VAT10_REDUCIBLE', rateBp: 800, from: '2025-07-01', until: '2026-12-31' },
  { category: 'VAT10_REDUCIBLE', rateBp: 1000, from: '2027-01-01' },
  { category: 'VAT10_EXCLUDED', rateBp: 1000 },
  { category: 'EXEMPT', rateBp: 0, exempt: true },
];

/** The calendar date `YYYY-MM-DD` in Vietnam (UTC+7, no daylight saving) at instant `at`. */
export const vietnamDate = localDateOf;

/** A bug in the rate data: no row covers a category on a date. */
export class VatRateMissing extends Error {
  override readonly name = 'VatRateMissing';
  constructor(
    readonly category: string,
    readonly date: string,
  ) {
    super(`no VAT rate for ${category} on ${date}`);
  }
}

/** The row of `table` for `category` on Vietnam date `date` (the first that covers it). */
export function vatRateFor(table: VatTable, category: TaxCategory, date: string): VatRate {
  const row = table.find(
    (r) => r.category === category && (!r.from || r.from <= date) && (!r.until || date <= r.until),
  );
  if (!row) throw new VatRateMissing(category, date);
  return row;
}

/**
 * The VAT inside a VAT-inclusive amount: `gross × r / (1 + r)` rounded to the nearest đồng,
 * halves up (integer arithmetic, exact for any safe amount). Net is `gross − VAT`.
 */
export function extractVat(gross: Vnd, rateBp: number): Vnd {
  if (rateBp === 0 || gross === 0) return 0;
  const den = 10_000 + rateBp;
  const sign = gross < 0 ? -1 : 1;
  const g = BigInt(Math.abs(gross));
  return sign * Number((2n * g * BigInt(rateBp) + BigInt(den)) / (2n * BigInt(den)));
}

/** One VAT-inclusive amount to tax: its amount and its rate row. */
export interface Taxable {
  gross: Vnd;
  rate: VatRate;
}

/** VAT of one rate in a quote: gross (VAT-inclusive), net and VAT, `vat + net = gross`. */
export interface VatPart {
  /** `8%`, `10%`, … or `KCT` for exempt goods. */
  rate: string;
  rateBp: number;
  gross: Vnd;
  net: Vnd;
  vat: Vnd;
}

/** The label of a rate row as invoices print it. */
export function rateLabel(rate: VatRate): string {
  return rate.exempt ? 'KCT' : `${rate.rateBp / 100}%`;
}

/**
 * VAT per rate over already-taxed amounts (`vat` per amount, extracted per line): the parts, in
 * ascending rate order, sum to the VAT total by construction.
 */
export function vatBreakdown(items: readonly (Taxable & { vat: Vnd })[]): VatPart[] {
  const parts = new Map<string, VatPart>();
  for (const item of items) {
    const label = rateLabel(item.rate);
    const part = parts.get(label) ?? { rate: label, rateBp: item.rate.rateBp, gross: 0, net: 0, vat: 0 };
    part.gross += item.gross;
    part.vat += item.vat;
    part.net = part.gross - part.vat;
    parts.set(label, part);
  }
  return [...parts.values()].sort((a, b) => a.rateBp - b.rateBp || (a.rate < b.rate ? -1 : 1));
}

/**
 * Problems of a rate table as staff would write it: rows of one category must not overlap (the
 * rate on any date is unambiguous), and a row must not end before it starts.
 */
export function vatTableProblems(table: VatTable): { field: string; code: string; message: string }[] {
  const out: { field: string; code: string; message: string }[] = [];
  const lo = (r: VatRate) => r.from ?? '0000-01-01';
  const hi = (r: VatRate) => r.until ?? '9999-12-31';
  table.forEach((r, i) => {
    if (lo(r) > hi(r))
      out.push({ field: `/rates/${i}/until`, code: 'range', message: 'until is before from' });
    if (r.exempt && r.rateBp !== 0)
      out.push({ field: `/rates/${i}/rate_bp`, code: 'exempt', message: 'An exempt row has rate 0' });
    table.forEach((o, j) => {
      if (j <= i || o.category !== r.category) return;
      if (lo(r) <= hi(o) && lo(o) <= hi(r))
        out.push({
          field: `/rates/${j}`,
          code: 'overlap',
          message: `${o.category} already has a rate on some of these dates (row ${i})`,
        });
    });
  });
  return out;
}
