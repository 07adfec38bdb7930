/**
 * The engine's working copy of a cart line: its list amount (per-line rounded), what is left of it
 * after the discounts applied so far, and which promotions' targets it falls under.
 */
import { roundVnd, type Vnd } from './money';
import type { Adjustment, CartLine, Target } from './model';

/** A line being priced. `remaining` starts at `listAmount` and never goes below 0. */
export interface WorkLine {
  line: CartLine;
  /** Whole pieces (a weighted line counts its pieces too). */
  units: number;
  /** Grams priced for weighted lines, 0 for pieces. */
  grams: number;
  listAmount: Vnd;
  remaining: Vnd;
  adjustments: Adjustment[];
}

/** Grams a weighted line is priced at: the picked weight, else pieces × nominal weight. */
export function gramsOf(line: CartLine): number {
  if (line.soldBy !== 'weight') return 0;
  return line.pickedGrams ?? line.qty * line.nominalGrams;
}

/** The list amount of a line: price × pieces, or price per kg × grams / 1000 rounded to the đồng. */
export function listAmountOf(line: CartLine): Vnd {
  return line.soldBy === 'piece'
    ? line.unitPrice * line.qty
    : roundVnd((line.unitPrice * gramsOf(line)) / 1000);
}

/** Working lines for `lines`, sorted by key so that nothing depends on the order lines were added. */
export function toWorkLines(lines: readonly CartLine[]): WorkLine[] {
  return [...lines]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((line) => {
      const listAmount = listAmountOf(line);
      return {
        line,
        units: line.qty,
        grams: gramsOf(line),
        listAmount,
        remaining: listAmount,
        adjustments: [],
      };
    });
}

/** True when `line` is one `target` applies to (categories match the line's category or any ancestor). */
export function inTarget(target: Target, line: CartLine): boolean {
  switch (target.kind) {
    case 'skus':
      return target.skus.includes(line.sku);
    case 'categories':
      return line.categoryPath.some((c) => target.categories.includes(c));
    case 'brands':
      return line.brand !== undefined && target.brands.includes(line.brand);
    case 'order':
      return true;
    case 'delivery':
      return false;
  }
}

/** The working lines `target` applies to, in key order. */
export function targeted(target: Target, lines: readonly WorkLine[]): WorkLine[] {
  return lines.filter((w) => inTarget(target, w.line));
}
