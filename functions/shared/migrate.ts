/**
 * Forward-only, versioned migrations per function schema. Each schema gets the platform tables
 * (outbox, inbox) and then its own `functions/<name>/migrations/NNN_name.sql` files in order.
 * Applied files are recorded with a checksum; editing an applied file is an error. Run by an
 * explicit command (`make migrate`, and by `make dev`), never on a cold start.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { ident, withTransaction } from './db';
import { repoRoot } from './paths';
import { registry } from '../registry';

/** One migration track: the schema and the folders whose SQL files it applies, in order. */
export interface MigrationTrack {
  schema: string;
  folders: { prefix: string; dir: string }[];
}

/** What `migrate` did to one schema. */
export interface MigrationReport {
  schema: string;
  applied: string[];
}

const FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** The track of a function schema: platform tables, then the function's own migrations. */
export function functionTrack(fn: { name: string; schema?: string }): MigrationTrack | undefined {
  if (!fn.schema) return undefined;
  const root = repoRoot();
  return {
    schema: fn.schema,
    folders: [
      { prefix: 'platform', dir: join(root, 'functions/shared/eventing/migrations/platform') },
      { prefix: fn.name, dir: join(root, 'functions', fn.name, 'migrations') },
    ],
  };
}

/** The track of the local event router's own schema. */
export function routerTrack(schema = 'router'): MigrationTrack {
  return {
    schema,
    folders: [{ prefix: 'router', dir: join(repoRoot(), 'functions/shared/eventing/migrations/router') }],
  };
}

function pending(track: MigrationTrack): { version: string; sql: string; checksum: string }[] {
  return track.folders.flatMap(({ prefix, dir }) => {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((file) => {
        if (!FILE.test(file)) throw new Error(`Migration ${dir}/${file} must be named NNN_lower_snake.sql`);
        const sql = readFileSync(join(dir, file), 'utf8').replaceAll('{{schema}}', ident(track.schema));
        return {
          version: `${prefix}/${file}`,
          sql,
          checksum: createHash('sha256').update(sql).digest('hex'),
        };
      });
  });
}

/** Applies what is missing of each track, one transaction per schema, serialised by an advisory lock. */
export async function migrate(pool: Pool, tracks: MigrationTrack[]): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  for (const track of tracks) {
    const schema = ident(track.schema);
    const applied: string[] = [];
    await withTransaction(pool, async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tuoi.migrate'), hashtext($1))`, [track.schema]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
           version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await tx.query<{ version: string; checksum: string }>(
        `SELECT version, checksum FROM ${schema}.schema_migrations`,
      );
      const done = new Map(rows.map((r) => [r.version, r.checksum]));
      for (const m of pending(track)) {
        const previous = done.get(m.version);
        if (previous === m.checksum) continue;
        if (previous)
          throw new Error(
            `${track.schema}: ${m.version} was edited after it was applied; add a new migration`,
          );
        await tx.query(m.sql);
        await tx.query(`INSERT INTO ${schema}.schema_migrations (version, checksum) VALUES ($1, $2)`, [
          m.version,
          m.checksum,
        ]);
        applied.push(m.version);
      }
    });
    reports.push({ schema: track.schema, applied });
  }
  return reports;
}

/** Every schema of the registry plus the local router's queue. */
export function allTracks(routerSchema = 'router'): MigrationTrack[] {
  const tracks = registry.map(functionTrack).filter((t): t is MigrationTrack => t !== undefined);
  return [...tracks, routerTrack(routerSchema)];
}

/** Schemas that hold an outbox (every function schema). */
export function outboxSchemas(): string[] {
  return registry.flatMap((fn) => (fn.schema ? [fn.schema] : []));
}
