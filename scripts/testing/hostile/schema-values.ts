/**
 * Values from a route's TypeBox (JSON Schema) input schemas: one valid value to start from, the
 * slots (JSON pointers to every property, item and leaf) where hostile values go, and fast-check
 * arbitraries that follow the schema's shape with hostile leaves mixed in.
 */
import fc from 'fast-check';
import type { TSchema } from '@sinclair/typebox';
import { schemaIssues } from '../../../events/check';
import { EDGE_NUMBERS, WRONG_TYPES } from './corpus';

/** The JSON Schema keywords our schemas use (TypeBox schemas are plain JSON Schema objects). */
interface Json {
  type?: string | string[];
  properties?: Record<string, Json>;
  required?: string[];
  additionalProperties?: boolean | Json;
  patternProperties?: Record<string, Json>;
  anyOf?: Json[];
  oneOf?: Json[];
  allOf?: Json[];
  const?: unknown;
  enum?: unknown[];
  items?: Json;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

const FORMAT_EXAMPLES: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid({ version: 4 }),
  date: fc
    .date({ min: new Date('2027-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  'date-time': fc
    .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  email: fc.stringMatching(/^[a-z]{3,10}@example\.vn$/),
  uri: fc.stringMatching(/^https:\/\/img\.tuoi\.vn\/[a-z0-9]{1,12}\.jpg$/),
};

function lengthOk(s: Json, v: string): boolean {
  const n = [...v].length;
  return n >= (s.minLength ?? 0) && n <= (s.maxLength ?? Infinity);
}

function stringArbitrary(s: Json): fc.Arbitrary<string> {
  const byFormat = s.format ? FORMAT_EXAMPLES[s.format] : undefined;
  let arb: fc.Arbitrary<string>;
  if (byFormat) arb = byFormat;
  else if (s.pattern) arb = fc.stringMatching(new RegExp(s.pattern, 'u'));
  else arb = fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 24, 24) });
  if (s.pattern && byFormat) {
    const re = new RegExp(s.pattern, 'u');
    arb = arb.filter((v) => re.test(v));
  }
  return arb.filter((v) => lengthOk(s, v));
}

function numberArbitrary(s: Json, integer: boolean): fc.Arbitrary<number> {
  const low = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-6) : s.minimum;
  const high = s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-6) : s.maximum;
  if (integer)
    return fc.integer({
      min: Math.max(low ?? -1_000_000, -(2 ** 31)),
      max: Math.min(high ?? 1_000_000, 2 ** 31 - 1),
    });
  return fc.double({ min: low ?? -1e6, max: high ?? 1e6, noNaN: true, noDefaultInfinity: true });
}

/**
 * An arbitrary of values valid against `schema` (mostly: regex and length filters may still let a
 * rare invalid value through, which `validSample` discards). `hostile` mixes hostile leaves in.
 */
export function arbitraryOf(schema: TSchema | Json, hostile?: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const s = schema as Json;
  const leaf = (arb: fc.Arbitrary<unknown>) =>
    hostile ? fc.oneof({ arbitrary: arb, weight: 3 }, hostile) : arb;
  if (s.const !== undefined) return leaf(fc.constant(s.const));
  if (s.enum) return leaf(fc.constantFrom(...s.enum));
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...union.map((b) => arbitraryOf(b, hostile)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const props = s.properties ?? {};
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) shape[k] = arbitraryOf(v, hostile);
      const record = fc.record(shape, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
      if (!hostile) return record;
      // Hostile objects may also carry unknown and prototype keys.
      return fc
        .tuple(record, fc.option(fc.constantFrom('__proto__', 'constructor', 'zz_unknown', '')))
        .map(([r, extra]) =>
          extra === null ? r : JSON.parse(JSON.stringify({ ...(r as object), [extra]: { polluted: 1 } })),
        );
    }
    case 'array': {
      const item = s.items ? arbitraryOf(s.items, hostile) : fc.anything();
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 4, 4));
      return s.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'string':
      return leaf(stringArbitrary(s));
    case 'integer':
      return leaf(numberArbitrary(s, true));
    case 'number':
      return leaf(numberArbitrary(s, false));
    case 'boolean':
      return leaf(fc.boolean());
    case 'null':
      return leaf(fc.constant(null));
    default:
      return hostile ?? fc.jsonValue();
  }
}

/** One value valid against `schema`, deterministic for a seed; `hints` by property name win when valid. */
export function validSample(schema: TSchema, seed: number, hints: Record<string, unknown> = {}): unknown {
  const values = fc.sample(arbitraryOf(schema), { seed, numRuns: 50 });
  const valid = values.find((v) => schemaIssues(schema, v).length === 0) ?? values[0];
  return applyHints(schema, valid, hints);
}

/** Replaces properties named in `hints` (at any depth) by the hint when the result stays valid. */
function applyHints(schema: TSchema, value: unknown, hints: Record<string, unknown>): unknown {
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = k in hints ? hints[k] : visit(x);
      return out;
    }
    return v;
  };
  const hinted = visit(value);
  if (schemaIssues(schema, hinted).length === 0) return hinted;
  // One hint that does not fit leaves the value as it was (and ends the recursion below).
  if (Object.keys(hints).length <= 1) return value;
  // Hint by hint, keeping those that keep the value valid.
  let current = value;
  for (const [k, h] of Object.entries(hints)) {
    const next = applyHints(schema, current, { [k]: h });
    if (next !== current && schemaIssues(schema, next).length === 0) current = next;
  }
  return current;
}

/** A place in a JSON value where a hostile value can go, with the schema that governs it. */
export interface Slot {
  /** JSON pointer, e.g. `/lines/0/sku`. */
  pointer: string;
  schema: Json;
}

/**
 * The branches of a union (`anyOf`/`oneOf`) that describe a structure (not `null`), or the schema
 * itself when it is no union.
 */
export function branchesOf(schema: TSchema | Json): TSchema[] {
  const s = schema as Json;
  const union = s.anyOf ?? s.oneOf;
  return (union ? union.filter((b) => b.type !== 'null') : [s]) as TSchema[];
}

/**
 * Every property (at any depth, first array item) the schema declares, as slots. At a union, the
 * branch that `value` (the valid value the slots are filled in) matches describes the structure,
 * so a discriminated union's slots are those of the variant being sent; without a matching value,
 * the first non-null branch.
 */
export function slotsOf(schema: TSchema | Json, pointer = '', value?: unknown): Slot[] {
  const s = schema as Json;
  const out: Slot[] = [];
  const union = s.anyOf ?? s.oneOf;
  if (union) {
    const branches = branchesOf(s);
    const branch =
      (value === undefined ? undefined : branches.find((b) => schemaIssues(b, value).length === 0)) ??
      branches[0];
    return branch ? slotsOf(branch, pointer, value) : out;
  }
  const at = (k: string | number): unknown =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined;
  if (s.type === 'object' && s.properties)
    for (const [k, v] of Object.entries(s.properties)) {
      const p = `${pointer}/${k}`;
      out.push({ pointer: p, schema: v }, ...slotsOf(v, p, at(k)).filter((x) => x.pointer !== p));
    }
  if (s.type === 'array' && s.items) {
    const p = `${pointer}/0`;
    out.push({ pointer: p, schema: s.items }, ...slotsOf(s.items, p, at(0)).filter((x) => x.pointer !== p));
  }
  return out;
}

/** A copy of `value` with `replacement` at `pointer` (creating objects and arrays on the way). */
export function setAt(value: unknown, pointer: string, replacement: unknown): unknown {
  const keys = pointer.split('/').slice(1);
  const root: unknown = structuredClone(value ?? {});
  let node = root as Record<string, unknown>;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      Object.defineProperty(node, key, {
        value: replacement,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return;
    }
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = /^\d+$/.test(keys[i + 1] ?? '') ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  return root;
}

/** Hostile values for one slot: wrong types, numeric edges, and values just past its bounds. */
export function edgeValues(schema: Json): unknown[] {
  const out: unknown[] = [...WRONG_TYPES, ...EDGE_NUMBERS];
  const n = (x: number | undefined, d: number) => (x === undefined ? [] : [x - d, x + d]);
  if (schema.minimum !== undefined || schema.maximum !== undefined)
    out.push(...n(schema.minimum, 1), ...n(schema.maximum, 1), ...n(schema.maximum, 0.5));
  if (schema.maxLength !== undefined) out.push('x'.repeat(schema.maxLength + 1));
  if (schema.maxItems !== undefined) out.push(Array.from({ length: schema.maxItems + 1 }, () => 'x'));
  return out;
}
