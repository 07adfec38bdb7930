/**
 * Hostile CloudEvent deliveries: for every (function, subscribed type) of the registry, a valid
 * event from the contract's fixtures, made hostile one attribute or one data slot at a time, in
 * structured and binary mode, signed with that Trigger's token as the broker would sign it (so
 * the cases reach the consumer, not only the sender check), plus envelope and token attacks. A
 * poison event must be a 4xx problem (dead-lettered, never retried) and change nothing; no input
 * may be a 5xx, which a broker retries as transient.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import type { TuoiCloudEvent } from '../../../events';
import { contractFor } from '../../../events';
import { schemaIssues } from '../../../events/check';
import type { FunctionSpec } from '../../../functions/registry';
import { routerToken } from '../../../functions/shared/eventing/testing';
import { repoRoot } from '../../../functions/shared/paths';
import { percentEncode, show, type HostileCase } from './cases';
import { EXTRA_STRINGS, WRONG_TYPES, deepJson } from './corpus';
import { branchesOf, edgeValues, setAt, slotsOf, validSample } from './schema-values';

/** Attributes a hostile value goes into (context attributes and our extensions). */
const ATTRIBUTES = ['id', 'source', 'subject', 'time', 'dataschema', 'partitionkey', 'traceparent', 'xtuoi'];

/** The valid fixtures of a type, by file name: whole CloudEvents as their producer emits them. */
export function validFixtures(type: string): TuoiCloudEvent[] {
  const dir = join(repoRoot(), 'events/fixtures', type, 'valid');
  return readdirSync(dir)
    .sort()
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as TuoiCloudEvent);
}

/** The first valid fixture of a type: a whole CloudEvent as its producer emits it. */
export function validFixture(type: string): TuoiCloudEvent {
  const first = validFixtures(type)[0];
  if (!first) throw new Error(`${type} has no valid fixture`);
  return first;
}

/**
 * One valid `data` per variant of a type's data schema (a union discriminated by `action` has one
 * per action; any other schema one): the first fixture of that variant, else a value drawn from
 * the variant's schema. Each variant's own fields are attacked on a valid value of that variant.
 */
export function validDataByVariant(type: string, data: TSchema): unknown[] {
  const fixtures = validFixtures(type).map((f) => f.data);
  const branches = branchesOf(data);
  if (branches.length <= 1) return fixtures.slice(0, 1);
  return branches.map((b) => fixtures.find((d) => schemaIssues(b, d).length === 0) ?? validSample(b, 13));
}

/**
 * Every hostile delivery of one subscribed type to one function: its data slots always; the
 * attribute, envelope and token attacks (the same consumer code for every type) when `envelope`.
 */
export function eventCasesFor(
  fn: FunctionSpec,
  type: string,
  corpus: readonly string[],
  envelope: boolean,
): HostileCase[] {
  const contract = contractFor(type);
  if (!contract) throw new Error(`${fn.name} subscribes to ${type}, which has no contract`);
  const valid = validFixture(type);
  const route = { fn, method: 'POST' as const, path: `/cloudevents ${type}`, params: [], guarded: true };
  const token = routerToken(fn.name, type);
  const out: HostileCase[] = [];
  const add = (label: string, headers: Record<string, string>, body: Buffer | string) =>
    out.push({
      route,
      label,
      method: 'POST',
      target: '/cloudevents',
      headers: { authorization: `Bearer ${token}`, ...headers },
      body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
      caller: 'none',
    });
  // Each case is a new event (a fresh id), or the inbox would answer every later one as a duplicate.
  const fresh = (): Record<string, unknown> => ({ ...valid, id: randomUUID() });
  const structured = (label: string, event: unknown) =>
    add(label, { 'content-type': 'application/cloudevents+json' }, JSON.stringify(event));
  const binary = (label: string, event: Record<string, unknown>, raw: Record<string, string> = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [k, v] of Object.entries(event))
      if (k !== 'data' && k !== 'datacontenttype' && v !== undefined)
        headers[`ce-${k}`] = percentEncode(typeof v === 'string' ? v : JSON.stringify(v));
    add(label, { ...headers, ...raw }, JSON.stringify(event.data ?? null));
  };

  // Data: every slot of the contract's schema gets the extras, edge values and a corpus share.
  const share = corpus.filter((_, i) => i % 8 === type.length % 8);
  const variants = validDataByVariant(type, contract.data);
  for (const data of variants) {
    const variant = variants.length > 1 ? `${show((data as { action?: unknown })?.action ?? data)} ` : '';
    for (const slot of slotsOf(contract.data, '', data)) {
      const put = (v: unknown) =>
        structured(`data ${variant}${slot.pointer} = ${show(v)}`, {
          ...fresh(),
          data: setAt(data, slot.pointer, v),
        });
      for (const s of EXTRA_STRINGS) put(s);
      for (const v of edgeValues(slot.schema)) put(v);
      for (const s of share.slice(0, 6)) put(s);
    }
  }
  if (!envelope) return out;

  // Attributes: a corpus share in structured mode (any string), the extras also in binary mode.
  for (const attr of ATTRIBUTES) {
    for (const s of share) structured(`attribute ${attr} = ${show(s)}`, { ...fresh(), [attr]: s });
    for (const s of EXTRA_STRINGS) {
      structured(`attribute ${attr} = ${show(s)}`, { ...fresh(), [attr]: s });
      binary(`binary ce-${attr} = ${show(s)}`, { ...fresh(), [attr]: s });
    }
    for (const v of [...WRONG_TYPES, { a: 1 }, [1], 2 ** 31, -(2 ** 31) - 1, 1.5])
      structured(`attribute ${attr} = ${show(v)}`, { ...fresh(), [attr]: v });
  }
  // Envelopes and bodies.
  const event = fresh();
  const { specversion: _s, ...withoutVersion } = event;
  structured('no specversion', withoutVersion);
  structured('specversion 0.3', { ...fresh(), specversion: '0.3' });
  structured('unknown type', { ...fresh(), type: 'io.tuoi.nobody.nothing.v1' });
  structured('a type this function does not consume', { ...fresh(), type: 'io.tuoi.platform.pulse.v1' });
  structured('data null', { ...fresh(), data: null });
  structured('data a string', { ...fresh(), data: 'x' });
  structured('data with __proto__', { ...fresh(), data: JSON.parse(`{"__proto__":{"polluted":true}}`) });
  structured('data_base64 not base64', { ...fresh(), data: undefined, data_base64: '%%%' });
  structured('data_base64 of not JSON', {
    ...fresh(),
    data: undefined,
    data_base64: Buffer.from('not json').toString('base64'),
  });
  structured('both data and data_base64', { ...fresh(), data_base64: 'e30=' });
  structured('100 extensions', {
    ...fresh(),
    ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x${i}`, 'v'])),
  });
  structured('extension name with upper case', { ...fresh(), Xtuoi: 'v' });
  add(
    'structured: 10,000-deep',
    { 'content-type': 'application/cloudevents+json' },
    deepJson(10_000, 'object'),
  );
  add('structured: not JSON', { 'content-type': 'application/cloudevents+json' }, '{"id":');
  add('structured: a JSON array', { 'content-type': 'application/cloudevents+json' }, '[]');
  add('batch mode', { 'content-type': 'application/cloudevents-batch+json' }, JSON.stringify([event]));
  binary('binary: malformed percent-encoding', fresh(), { 'ce-id': '%zz%' });
  binary('binary: text/plain data', fresh(), { 'content-type': 'text/plain' });
  add(
    'binary: 10,000-deep data',
    {
      'ce-specversion': '1.0',
      'ce-id': randomUUID(),
      'ce-source': valid.source,
      'ce-type': type,
      'content-type': 'application/json',
    },
    deepJson(10_000),
  );
  add(
    'binary: invalid UTF-8 data',
    {
      'ce-specversion': '1.0',
      'ce-id': randomUUID(),
      'ce-source': valid.source,
      'ce-type': type,
      'content-type': 'application/json',
    },
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  );
  // Tokens: none, junk, and another Trigger's (valid, but not a sender this function allows).
  const signedElsewhere = routerToken(fn.name === 'pulse' ? 'catalog' : 'pulse');
  for (const [label, authorization] of [
    ['no token', ''],
    ['junk token', 'Bearer x.y.z'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz'],
    ["another function's Trigger token", `Bearer ${signedElsewhere}`],
    ['token with a NUL-free but huge value', `Bearer ${'a'.repeat(8_000)}`],
  ] as const)
    out.push({
      route,
      label,
      method: 'POST',
      target: '/cloudevents',
      headers: {
        'content-type': 'application/cloudevents+json',
        ...(authorization ? { authorization } : {}),
      },
      body: Buffer.from(JSON.stringify(fresh())),
      caller: 'none',
    });
  return out;
}
