/**
 * Helpers the carrier adapters in this folder share, so that each is written once: the key of a
 * location-code table and the parser of such a table (GHN, ViettelPost), JSON given inline or as a
 * file path (config), Vietnamese phone numbers in their local form, and the constant-time compare
 * of webhook secrets (all four adapters). Pure functions; nothing here knows any one carrier.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { wardKey } from '../zones';

/** The table key of an address: the province id and the folded ward name. */
export function areaKey(province: string, ward: string): string {
  return `${province.trim().toLowerCase()}|${wardKey(ward)}`;
}

/** A plain JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON text, or the path of a file holding it (as the `*_AREA_CODES` variables may be either). */
export function readJsonOrFile(raw: string): unknown {
  return JSON.parse(raw.trimStart().startsWith('{') ? raw : readFileSync(raw, 'utf8'));
}

/**
 * Validates a location-code table `{"<province>|<ward name>": <codes>}`. Keys are normalised with
 * `areaKey`, so "ho-chi-minh|Phường Bến Thành" and "ho-chi-minh|ben thanh" are one; `read` turns
 * one entry's object into the carrier's codes, or `undefined` when it is not valid. Throws, naming
 * `shape` (how an entry looks, for the message), when the table is not an object, and naming every
 * key without a province and a ward, with a bad entry, or repeating an earlier key once normalised.
 */
export function areaTable<T>(
  table: unknown,
  shape: string,
  read: (v: Record<string, unknown>) => T | undefined,
): Map<string, T> {
  if (!isRecord(table)) throw new Error(`must be a JSON object of "<province>|<ward>": ${shape}`);
  const out = new Map<string, T>();
  const bad: string[] = [];
  for (const [key, v] of Object.entries(table)) {
    const bar = key.indexOf('|');
    const codes = bar > 0 && bar < key.length - 1 && isRecord(v) ? read(v) : undefined;
    const norm = codes === undefined ? '' : areaKey(key.slice(0, bar), key.slice(bar + 1));
    if (codes === undefined || out.has(norm)) {
      bad.push(key);
      continue;
    }
    out.set(norm, codes);
  }
  if (bad.length > 0) throw new Error(`has bad or repeated entries: ${bad.join(', ')}`);
  return out;
}

/** An E.164 Vietnamese number as GHN and ViettelPost write it: +84901234567 → 0901234567. */
export function localPhone(e164: string): string {
  const compact = e164.replace(/[\s.-]/g, '');
  return compact.startsWith('+84') ? `0${compact.slice(3)}` : compact.replace(/^\+/, '');
}

/**
 * Whether a secret received equals the one expected, in time independent of where they differ
 * (both hashed with SHA-256 to equal-length buffers); false when none was received.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given ?? ''), digest(expected)) && given !== undefined;
}
