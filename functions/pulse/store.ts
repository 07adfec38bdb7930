/** PostgreSQL persistence of pulses (schema `pulse`). */
import type { Queryable, Tx } from '../shared/db';

/** A pulse as stored. */
export interface Pulse {
  id: string;
  note: string | null;
  emitted_at: Date;
  received_at: Date | null;
  deliveries: number;
}

/** The pulse function's tables. */
export function pulseStore(schema: string) {
  const table = `"${schema}".pulses`;
  return {
    async insert(tx: Tx, pulse: { id: string; note?: string; emittedAt: Date }): Promise<void> {
      await tx.query(`INSERT INTO ${table} (id, note, emitted_at) VALUES ($1, $2, $3)`, [
        pulse.id,
        pulse.note ?? null,
        pulse.emittedAt,
      ]);
    },
    async get(db: Queryable, id: string): Promise<Pulse | undefined> {
      const { rows } = await db.query<Pulse>(`SELECT * FROM ${table} WHERE id = $1`, [id]);
      return rows[0];
    },
    /** Records an arrival; false when no such pulse exists. */
    async markReceived(tx: Tx, id: string, at: Date): Promise<boolean> {
      const { rowCount } = await tx.query({
        name: `pulse-received-${schema}`,
        text: `UPDATE ${table} SET received_at = COALESCE(received_at, $2), deliveries = deliveries + 1 WHERE id = $1`,
        values: [id, at],
      });
      return rowCount === 1;
    },
  };
}

/** The store's type. */
export type PulseStore = ReturnType<typeof pulseStore>;
