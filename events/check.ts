/**
 * Schema checking shared by producers, consumers and contract tests: TypeBox schemas compiled once,
 * failures reported per field as JSON pointers. Also checks the CloudEvents 1.0 envelope.
 */
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { FORMATS } from './formats';
import { contractFor } from './index';
import type { TuoiCloudEvent } from './contract';

/** One failed rule at one field. */
export interface Issue {
  field: string;
  code: string;
  message: string;
}

// TypeBox ships no string formats; register the ones our schemas use (strict: see formats.ts).
for (const [name, check] of Object.entries(FORMATS))
  if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor(schema: TSchema): TypeCheck<TSchema> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

/** The JSON Schema keyword an error broke, named from TypeBox's error kind (`IntegerMaximum` → `maximum`). */
const KEYWORDS: [RegExp, string][] = [
  [/ExclusiveMaximum/, 'exclusiveMaximum'],
  [/ExclusiveMinimum/, 'exclusiveMinimum'],
  [/Maximum/, 'maximum'],
  [/Minimum/, 'minimum'],
  [/MinLength$/, 'minLength'],
  [/MaxLength$/, 'maxLength'],
  [/Pattern$/, 'pattern'],
  [/Format/, 'format'],
  [/MinItems$/, 'minItems'],
  [/MaxItems$/, 'maxItems'],
  [/UniqueItems$/, 'uniqueItems'],
];

function codeOf(e: ValueError): string {
  const kind = ValueErrorType[e.type] ?? '';
  for (const [re, code] of KEYWORDS) if (re.test(kind)) return code;
  const schema: TSchema = e.schema;
  for (const key of ['format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum', 'const'])
    if (key in schema) return key;
  return typeof schema.type === 'string' ? `type:${schema.type}` : 'invalid';
}

/** Lists what is wrong with `value` against `schema` (empty when valid), one issue per field. */
export function schemaIssues(schema: TSchema, value: unknown, prefix = '', limit = 50): Issue[] {
  const check = checkerFor(schema);
  if (check.Check(value)) return [];
  const out: Issue[] = [];
  const seen = new Set<string>();
  for (const e of check.Errors(value)) {
    const field = prefix + (e.path || '/');
    if (seen.has(field)) continue; // unions otherwise list every branch that did not match
    seen.add(field);
    out.push({ field, code: codeOf(e), message: e.message });
    if (out.length >= limit) break;
  }
  return out;
}

const REQUIRED = ['id', 'source', 'specversion', 'type'] as const;
/**
 * Extension names: lower-case ASCII letters and digits (MUST). The spec says they SHOULD NOT
 * exceed 20 characters, so longer names are accepted, up to a bound that keeps errors small.
 */
const EXTENSION_NAME = /^[a-z0-9]{1,128}$/;
const STRING_ATTRIBUTES = new Set([...REQUIRED, 'subject', 'time', 'datacontenttype', 'dataschema']);
const CONTEXT_ATTRIBUTES = new Set([...STRING_ATTRIBUTES, 'data', 'data_base64']);
const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };

/**
 * Characters a CloudEvents String may not hold: control characters U+0000-U+001F and
 * U+007F-U+009F, Unicode noncharacters, and surrogates that are not properly paired.
 */
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u;

/** Why a string is not a valid CloudEvents String, or undefined when it is. */
export function stringProblem(value: string): string | undefined {
  const bad = FORBIDDEN_CHARACTERS.exec(value);
  if (!bad) return undefined;
  const code = bad[0].codePointAt(0)!;
  return `contains U+${code.toString(16).toUpperCase().padStart(4, '0')}, which a CloudEvents String may not hold`;
}

function valueIssue(name: string, value: unknown): Issue | undefined {
  const field = `/${name}`;
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    return problem ? { field, code: 'pattern', message: `${name} ${problem}` } : undefined;
  }
  if (STRING_ATTRIBUTES.has(name))
    return { field, code: 'type:string', message: `CloudEvent attribute "${name}" must be a string` };
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= INT32.min && value <= INT32.max)
    return undefined;
  return {
    field,
    code: 'type',
    message: `extension "${name}" must be a string, a 32-bit integer or a boolean, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
  };
}

/**
 * Checks the CloudEvents 1.0 envelope of a structured event: required attributes, specversion,
 * time, attribute names, primitive attribute values, and no forbidden characters in any of them.
 */
export function envelopeIssues(event: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  for (const attr of REQUIRED)
    if (typeof event[attr] !== 'string' || event[attr] === '')
      issues.push({
        field: `/${attr}`,
        code: 'required',
        message: `CloudEvent attribute "${attr}" is required`,
      });
  if (typeof event.specversion === 'string' && event.specversion !== '1.0')
    issues.push({
      field: '/specversion',
      code: 'const',
      message: 'Only CloudEvents specversion 1.0 is accepted',
    });
  if (event.time !== undefined && (typeof event.time !== 'string' || !FORMATS['date-time']!(event.time)))
    issues.push({ field: '/time', code: 'format', message: 'time must be an RFC 3339 timestamp' });
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'data_base64') continue;
    if (!CONTEXT_ATTRIBUTES.has(name) && !EXTENSION_NAME.test(name)) {
      issues.push({
        field: `/${name.slice(0, 128)}`,
        code: 'pattern',
        message: 'attribute names are lower-case ASCII letters or digits (1-128 of them)',
      });
      continue;
    }
    const issue = value === undefined ? undefined : valueIssue(name, value);
    if (issue && !issues.some((i) => i.field === issue.field)) issues.push(issue);
  }
  return issues;
}

/** The verdict on one structured CloudEvent against the contract. */
export type EventCheck =
  | { ok: true; event: TuoiCloudEvent }
  | { ok: false; reason: 'envelope' | 'unknown-type' | 'data'; issues: Issue[] };

/** Checks envelope, type and data of a CloudEvent against the contract. */
export function checkEvent(event: Record<string, unknown>): EventCheck {
  const envelope = envelopeIssues(event);
  if (envelope.length > 0) return { ok: false, reason: 'envelope', issues: envelope };
  const contract = contractFor(event.type as string);
  if (!contract)
    return {
      ok: false,
      reason: 'unknown-type',
      issues: [{ field: '/type', code: 'enum', message: `Unknown CloudEvent type "${String(event.type)}"` }],
    };
  const issues = schemaIssues(contract.data, event.data, '/data');
  if (issues.length > 0) return { ok: false, reason: 'data', issues };
  return { ok: true, event: event as TuoiCloudEvent };
}
