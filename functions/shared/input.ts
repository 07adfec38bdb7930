/**
 * Input hygiene every request gets before any schema or handler sees it: JSON nested no deeper
 * than a small bound, no NUL characters or unpaired surrogates in any string or key (PostgreSQL
 * text cannot hold NUL, and a lone surrogate is not Unicode), no prototype keys, and every string
 * normalised to NFC so that "Nguyễn" typed on a Mac (NFD) and on a phone (NFC) are stored and
 * compared as the same text, and no integer beyond ±2^53 (JSON parses it inexactly, and no column
 * of ours holds it). Failures are field-level issues for a 400, never exceptions.
 */
import type { FieldError } from './errors';

/** Deepest nesting of arrays and objects a JSON body may have. */
export const MAX_JSON_DEPTH = 32;

/** Keys that reach an object's prototype machinery in JavaScript: refused wherever they appear. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The nesting depth of JSON text, scanning at most until it passes `limit` (strings are skipped,
 * so brackets inside them do not count). Runs before `JSON.parse` so a 10,000-deep body never
 * reaches a recursive validator.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string is refused, or undefined when it is acceptable text. */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it has an unpaired surrogate)';
  return undefined;
}

/** A checked value: the NFC-normalised copy, and the issues found on the way. */
export interface Cleaned<T> {
  value: T;
  issues: FieldError[];
}

function pointer(at: string, key: string): string {
  return `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function clean(value: unknown, at: string, issues: FieldError[]): unknown {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) {
      issues.push({ field: at || '/', code: 'text', message: `The text ${problem}` });
      return value;
    }
    return value.normalize('NFC');
  }
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    issues.push({
      field: at || '/',
      code: 'range',
      message: 'The number is beyond ±2^53: it cannot be represented exactly',
    });
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => clean(v, `${at}/${i}`, issues));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const field = pointer(at, key);
      const problem = textProblem(key);
      if (problem) issues.push({ field, code: 'text', message: `The field name ${problem}` });
      else if (RESERVED_KEYS.has(key))
        issues.push({ field, code: 'reserved', message: `"${key}" is not accepted as a field name` });
      else out[key.normalize('NFC')] = clean((value as Record<string, unknown>)[key], field, issues);
    }
    return out;
  }
  return value;
}

/** Checks every string, key and integer of a parsed JSON value and returns it with text in NFC. */
export function cleanJson(value: unknown, at = ''): Cleaned<unknown> {
  const issues: FieldError[] = [];
  const out = clean(value, at, issues);
  return { value: out, issues };
}

/** Checks and normalises flat string parameters (query or path), naming each by `/<name>`. */
export function cleanParams(params: Record<string, string>): Cleaned<Record<string, string>> {
  const { value, issues } = cleanJson(params);
  return { value: value as Record<string, string>, issues };
}
