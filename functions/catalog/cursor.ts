/**
 * Keyset cursors of product listings: the last row's sort key and SKU, plus a fingerprint of the
 * query they belong to, as opaque base64url. A cursor replayed on another query, forged or
 * truncated is a 400 on `/cursor`, never a silently wrong page.
 */
import { createHash } from 'node:crypto';
import { SKU_PATTERN } from '../../events';
import { ValidationError } from '../shared/errors';

/** The position after which the next page starts. */
export interface KeysetPosition {
  /** The sort key of the last row, as the store renders it (integer, timestamp or folded name). */
  key: string;
  sku: string;
}

/** What a sort key looks like, per kind, so a decoded cursor never feeds the store a bad value. */
export type KeyKind = 'integer' | 'timestamp' | 'text';

const KEY_SHAPES: Record<KeyKind, (key: string) => boolean> = {
  integer: (k) => /^\d{1,10}$/.test(k),
  timestamp: (k) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(k),
  text: (k) => k.length <= 400 && !k.includes('\u0000'),
};
const SKU = new RegExp(SKU_PATTERN);

/** A short hash of everything but the position (filters, sort, language). */
export function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

/** The cursor of the page after `position` for the query with fingerprint `f`. */
export function encodeCursor(position: KeysetPosition, f: string): string {
  return Buffer.from(JSON.stringify({ k: position.key, s: position.sku, f })).toString('base64url');
}

const bad = (message: string) =>
  new ValidationError('The cursor is not valid for this query', [
    { field: '/cursor', code: 'cursor', message },
  ]);

/** Reads a cursor issued for the query with fingerprint `f` and sort key kind `kind`. */
export function decodeCursor(cursor: string, f: string, kind: KeyKind): KeysetPosition {
  if (!/^[A-Za-z0-9_-]{1,1200}$/.test(cursor)) throw bad('not a cursor this API issued');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a cursor this API issued');
  }
  const { k, s, f: owner } = (parsed ?? {}) as { k?: unknown; s?: unknown; f?: unknown };
  if (typeof k !== 'string' || typeof s !== 'string' || typeof owner !== 'string' || !SKU.test(s))
    throw bad('not a cursor this API issued');
  if (owner !== f) throw bad('the cursor belongs to a different query; start again without it');
  if (!KEY_SHAPES[kind](k)) throw bad('not a cursor this API issued');
  return { key: k, sku: s };
}
