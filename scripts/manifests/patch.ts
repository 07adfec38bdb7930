/**
 * RFC 6902 JSON Patch between two renderings of one object: the overlays are the patches that
 * turn a base object into its environment's object. `applyPatch` is here so tests can check that
 * base + patch gives exactly what the generator renders for the environment.
 */

/** One JSON Patch operation (the three the diff produces). */
export type PatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON Pointer token (RFC 6901): `~` → `~0`, `/` → `~1`. */
const token = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** The operations that turn `from` into `to`; arrays of different lengths are replaced whole. */
export function diff(from: unknown, to: unknown, path = ''): PatchOp[] {
  if (isObject(from) && isObject(to)) {
    const ops: PatchOp[] = [];
    for (const key of Object.keys(from))
      if (!(key in to)) ops.push({ op: 'remove', path: `${path}/${token(key)}` });
    for (const [key, value] of Object.entries(to)) {
      const at = `${path}/${token(key)}`;
      if (!(key in from)) ops.push({ op: 'add', path: at, value });
      else ops.push(...diff(from[key], value, at));
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length)
    return from.flatMap((item, i) => diff(item, to[i], `${path}/${i}`));
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ op: 'replace', path, value: to }];
}

/** Applies `ops` to a deep copy of `doc` (only what `diff` produces; throws on a path that is not there). */
export function applyPatch<T>(doc: T, ops: PatchOp[]): T {
  const root = structuredClone(doc) as unknown;
  for (const op of ops) {
    const keys = op.path
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error('a patch of the whole document is not supported');
    let parent = root as Record<string, unknown>;
    for (const key of keys) {
      const next = parent[key];
      if (typeof next !== 'object' || next === null) throw new Error(`no ${op.path} to patch`);
      parent = next as Record<string, unknown>;
    }
    if (op.op === 'remove') {
      if (!(last in parent)) throw new Error(`no ${op.path} to remove`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else {
      if (op.op === 'replace' && !(last in parent)) throw new Error(`no ${op.path} to replace`);
      parent[last] = structuredClone(op.value);
    }
  }
  return root as T;
}
