/**
 * Schema checking shared by producers, consumers and contract tests: TypeBox schemas compiled once,
 * failures reported per field as JSON pointers. Also checks the CloudEvents 1.0 envelope.
 */
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
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

function codeOf(schema: TSchema): string {
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
    out.push({ field, code: codeOf(e.schema), message: e.message });
    if (out.length >= limit) break;
  }
  return out;
}

const REQUIRED = ['id', 'source', 'specversion', 'type'] as const;
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const CONTEXT_ATTRIBUTES = new Set([
  ...REQUIRED,
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
]);

/** Checks the CloudEvents 1.0 envelope (required attributes, names, time) of a structured event. */
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
  for (const name of Object.keys(event))
    if (!CONTEXT_ATTRIBUTES.has(name) && !EXTENSION_NAME.test(name))
      issues.push({
        field: `/${name}`,
        code: 'pattern',
        message: 'extension names are 1-20 lower-case letters or digits',
      });
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
