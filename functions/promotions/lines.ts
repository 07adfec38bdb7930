/**
 * The engine's working copy of a cart line: its list amount (per-line rounded), what is left of it
 * after the discounts applied so far, and which promotions' targets it falls under.
 */
import { fold, normalizeText } from '../shared/text';
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

/**
 * The lines of one quote indexed by SKU, category and brand, so a promotion finds its lines in
 * a few look-ups instead of testing every line (200 promotions × 30 lines per quote otherwise).
 * Positions are into the key-ordered working lines, which every copy of them keeps.
 */
export interface LineIndex {
  size: number;
  /** The sum of the lines' list amounts (what minimum order values are checked against). */
  listTotal: number;
  bySku: Map<string, number[]>;
  byCategory: Map<string, number[]>;
  byBrand: Map<string, number[]>;
  memo: Map<Target, readonly number[]>;
}

/**
 * The form brands are compared in: without accents, case or extra spaces, as the catalog's brand
 * filter compares them ("VINAMILK" is "Vinamilk" and "Bà  Tư" is "ba tu"; "Vina milk" is not).
 */
export function brandKey(brand: string): string {
  let key = brandKeys.get(brand);
  if (key === undefined) {
    key = fold(normalizeText(brand));
    // Brands are few (hundreds); the bound only keeps hostile input from growing the map.
    if (brandKeys.size >= 10_000) brandKeys.clear();
    brandKeys.set(brand, key);
  }
  return key;
}
const brandKeys = new Map<string, string>();

function push(map: Map<string, number[]>, id: string, i: number): void {
  const at = map.get(id);
  if (!at) map.set(id, [i]);
  else if (at[at.length - 1] !== i) at.push(i);
}

/** Indexes key-ordered working `lines`. */
export function indexLines(lines: readonly WorkLine[]): LineIndex {
  const index: LineIndex = {
    size: lines.length,
    listTotal: lines.reduce((sum, w) => sum + w.listAmount, 0),
    bySku: new Map(),
    byCategory: new Map(),
    byBrand: new Map(),
    memo: new Map(),
  };
  lines.forEach((w, i) => {
    push(index.bySku, w.line.sku, i);
    for (const c of w.line.categoryPath) push(index.byCategory, c, i);
    if (w.line.brand !== undefined) push(index.byBrand, brandKey(w.line.brand), i);
  });
  return index;
}

const NONE: readonly number[] = [];

/** Positions of the lines `target` applies to, ascending (so in key order); memoised per quote. */
export function targetPositions(target: Target, index: LineIndex): readonly number[] {
  let hit = index.memo.get(target);
  if (hit) return hit;
  const gather = (map: Map<string, number[]>, ids: readonly string[]): readonly number[] => {
    let found: number[] | undefined;
    let merged = false;
    for (const id of ids) {
      const at = map.get(id);
      if (!at) continue;
      if (!found) found = at;
      else {
        found = merged ? found.concat(at) : [...found, ...at];
        merged = true;
      }
    }
    if (!found) return NONE;
    return merged ? [...new Set(found)].sort((a, b) => a - b) : found;
  };
  switch (target.kind) {
    case 'skus':
      hit = gather(index.bySku, target.skus);
      break;
    case 'categories':
      hit = gather(index.byCategory, target.categories);
      break;
    case 'brands':
      hit = gather(index.byBrand, target.brands.map(brandKey));
      break;
    case 'order':
      hit = Array.from({ length: index.size }, (_, i) => i);
      break;
    case 'delivery':
      hit = [];
  }
  index.memo.set(target, hit);
  return hit;
}

/** The working lines `target` applies to, in key order. */
export function targeted(target: Target, lines: readonly WorkLine[], index: LineIndex): WorkLine[] {
  return targetPositions(target, index).map((i) => lines[i]!);
}
