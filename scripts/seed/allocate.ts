/** Splits a product count over the vocabulary's items: department shares first, then by item. */
import { categories, pathTo } from './categories';
import type { BaseItem } from './vocabulary';

/** Share of the catalog per department (top-level category), roughly a supermarket's assortment. */
export const DEPARTMENT_SHARE: Readonly<Record<string, number>> = {
  'rau-cu-qua': 0.075,
  'thit-ca-trung': 0.065,
  'dau-phu-do-chay': 0.01,
  'mon-an-san': 0.012,
  'banh-mi-banh-ngot': 0.012,
  sua: 0.075,
  'gao-mi-bot': 0.11,
  'gia-vi': 0.065,
  'do-uong': 0.068,
  'bia-ruou': 0.014,
  'banh-keo': 0.08,
  'do-dong-lanh': 0.025,
  'do-hop': 0.008,
  'cham-soc-ca-nhan': 0.088,
  've-sinh-nha-cua': 0.085,
  'me-va-be': 0.075,
  'thu-cung': 0.05,
};

/** Most of an item's combinations the allocation may use, so not every variant exists. */
export const MAX_USE = 0.9;

/** Department (top-level category id) of every category id. */
export const department: ReadonlyMap<string, string> = new Map(
  categories.map((c) => [c.id, pathTo(c.id)[0]?.id ?? c.id]),
);

/** Caps members' targets, handing each excess to uncapped members pro rata; returns what did not fit. */
function waterFill(target: number[], cap: readonly number[], members: readonly number[]): number {
  for (let round = 0; round < 60; round++) {
    let excess = 0;
    let open = 0;
    for (const k of members) {
      const t = target[k] ?? 0;
      const c = cap[k] ?? 0;
      if (t > c) {
        excess += t - c;
        target[k] = c;
      } else if (t < c) open += t;
    }
    if (excess < 1e-9) return 0;
    if (open === 0) return excess;
    for (const k of members) {
      const t = target[k] ?? 0;
      if (t < (cap[k] ?? 0)) target[k] = t + (excess * t) / open;
    }
  }
  return 0;
}

/**
 * How many products each item yields: department shares split by √capacity, capped at MAX_USE of
 * the item's combinations (a full department passes its excess to the others), then rounded.
 */
export function allocate(items: readonly BaseItem[], count: number): number[] {
  const dept = items.map((i) => department.get(i.leaf) ?? '');
  const weight = items.map((i) => Math.sqrt(Math.min(i.capacity, 600)));
  const members = new Map<string, number[]>();
  dept.forEach((d, k) => members.set(d, [...(members.get(d) ?? []), k]));
  const shareSum = [...members.keys()].reduce((s, d) => s + (DEPARTMENT_SHARE[d] ?? 0.01), 0);
  const cap = items.map((i) => Math.floor(i.capacity * MAX_USE));
  if (cap.reduce((a, b) => a + b, 0) < count)
    throw new Error(`the vocabulary cannot yield ${count} products`);
  const target = items.map(() => 0);
  let spill = 0;
  for (const [d, ks] of members) {
    const total = ks.reduce((s, k) => s + (weight[k] ?? 0), 0);
    for (const k of ks)
      target[k] = (count * (DEPARTMENT_SHARE[d] ?? 0.01) * (weight[k] ?? 0)) / shareSum / total;
    spill += waterFill(target, cap, ks);
  }
  if (spill > 0) {
    const open = target.reduce((s, t, k) => s + (t < (cap[k] ?? 0) ? t : 0), 0);
    target.forEach((t, k) => {
      if (t < (cap[k] ?? 0)) target[k] = t + (spill * t) / open;
    });
    waterFill(
      target,
      cap,
      items.map((_, k) => k),
    );
  }
  const quota = target.map(Math.floor);
  let left = count - quota.reduce((a, b) => a + b, 0);
  const byRemainder = target
    .map((t, k) => [t - Math.floor(t), k] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of byRemainder) {
    if (left <= 0) break;
    if ((quota[k] ?? 0) < (cap[k] ?? 0)) {
      quota[k] = (quota[k] ?? 0) + 1;
      left--;
    }
  }
  return quota;
}
