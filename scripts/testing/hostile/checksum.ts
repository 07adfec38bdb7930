/**
 * "For writes nothing changes": a checksum per table of a function's PostgreSQL schema, in one
 * query, so a refused write can be checked cheaply (a few ms on the suite's small seeds).
 */
import type { Pool } from 'pg';

/** Checksums by table name. */
export type SchemaChecksum = Record<string, string>;

/** Tables (or `table.column`) left out of a schema's checksum, each with the reason. */
export type Exclusions = Record<string, string>;

/** The ordinary tables of `schema`, minus excluded ones. */
async function tablesOf(pool: Pool, schema: string, exclusions: Exclusions): Promise<string[]> {
  const { rows } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  );
  return rows.map((r) => r.table_name).filter((t) => !(t in exclusions));
}

/** Quotes an identifier. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A checksum builder for one schema: lists its tables once, then each call returns, per table, its
 * row count and the sum of its rows' 64-bit hashes (order-independent), without excluded columns.
 */
export async function schemaChecksummer(
  pool: Pool,
  schema: string,
  exclusions: Exclusions = {},
): Promise<() => Promise<SchemaChecksum>> {
  const tables = await tablesOf(pool, schema, exclusions);
  if (tables.length === 0) return async () => ({});
  const parts: string[] = [];
  for (const table of tables) {
    const dropped = Object.keys(exclusions)
      .filter((k) => k.startsWith(`${table}.`))
      .map((k) => k.slice(table.length + 1));
    const row = dropped.length
      ? `(to_jsonb(t) - ${dropped.map((c) => `'${c.replace(/'/g, "''")}'`).join(' - ')})::text`
      : 't::text';
    // The row count and the sum of 64-bit row hashes: order-independent like a sorted digest, and
    // about five times cheaper (no md5, no sort), which matters for tables that grow during the run.
    parts.push(
      `SELECT '${table}' AS name, count(*)::text || ':' || coalesce(sum(hashtextextended(${row}, 0))::text, '-') AS sum
         FROM ${ident(schema)}.${ident(table)} t`,
    );
  }
  const sql = parts.join('\nUNION ALL\n');
  return async () => {
    const { rows } = await pool.query<{ name: string; sum: string }>(sql);
    return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
  };
}

/** The tables whose checksum differs between two snapshots. */
export function changedTables(before: SchemaChecksum, after: SchemaChecksum): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]);
}
