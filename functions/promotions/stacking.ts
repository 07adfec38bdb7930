/**
 * Which of the eligible promotions combine: within a stack group only the one worth most to the
 * customer stays; an exclusive promotion never combines, so the best exclusive one is weighed
 * against everything else stacked, and the customer gets whichever is worth more (ties to the
 * stack). Every decision is by amount, then priority (higher first), then id: deterministic.
 */
import type { Vnd } from './money';
import type { Promotion } from './model';
import type { ReasonCode } from './reasons';

/** An eligible promotion and what it is worth alone on the undiscounted cart. */
export interface Candidate {
  promotion: Promotion;
  alone: Vnd;
}

/** The promotions to apply, in application order, and why each other one was left out. */
export interface Selection {
  chosen: Promotion[];
  rejected: { promotion: Promotion; code: ReasonCode }[];
}

/** Application order: priority, higher first, then id. */
export function byPriority(a: Promotion, b: Promotion): number {
  return b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Best for the customer first: larger amount, then priority order. */
function byValue(a: Candidate, b: Candidate): number {
  return b.alone - a.alone || byPriority(a.promotion, b.promotion);
}

/**
 * Selects the promotions to apply among `candidates` (each worth more than 0 alone). `worth`
 * prices a list of promotions applied together in order, so a stack is compared by what it really
 * gives, after each promotion has reduced what the next one sees. When the stack wins, `chosen`
 * is the very array `worth` was given, so the caller can reuse that pricing.
 */
export function selectPromotions(
  candidates: readonly Candidate[],
  worth: (chosen: Promotion[]) => Vnd,
): Selection {
  const rejected: Selection['rejected'] = [];
  const groupBest = new Map<string, Candidate>();
  for (const c of [...candidates].sort(byValue)) {
    const group = c.promotion.stackGroup;
    if (group === undefined) continue;
    if (groupBest.has(group)) rejected.push({ promotion: c.promotion, code: 'group_lost' });
    else groupBest.set(group, c);
  }
  const winners = candidates.filter(
    (c) => c.promotion.stackGroup === undefined || groupBest.get(c.promotion.stackGroup) === c,
  );
  const stack = winners
    .filter((c) => !c.promotion.exclusive)
    .map((c) => c.promotion)
    .sort(byPriority);
  const exclusives = winners.filter((c) => c.promotion.exclusive).sort(byValue);
  const best = exclusives[0];
  if (best !== undefined && best.alone > (stack.length > 0 ? worth(stack) : 0)) {
    for (const p of stack) rejected.push({ promotion: p, code: 'exclusive_blocked' });
    for (const c of exclusives.slice(1)) rejected.push({ promotion: c.promotion, code: 'exclusive_blocked' });
    return { chosen: [best.promotion], rejected };
  }
  for (const c of exclusives) rejected.push({ promotion: c.promotion, code: 'exclusive_lost' });
  return { chosen: stack, rejected };
}
