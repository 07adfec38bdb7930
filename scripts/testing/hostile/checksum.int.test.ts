/** The hostile suite's "nothing changed" checksum sees every insert, update and delete, and nothing else. */
import { freshDatabase, type TestDatabase } from '../../../functions/shared/testing/pg';
import { changedTables, schemaChecksummer } from './checksum';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase({ migrate: false, poolSize: 2 });
  await db.pool.query(`CREATE SCHEMA s; CREATE TABLE s.a (id int PRIMARY KEY, v text, seen timestamptz);
    CREATE TABLE s.b (id int PRIMARY KEY); INSERT INTO s.a SELECT g, 'v' || g, now() FROM generate_series(1, 500) g`);
});
afterAll(() => db?.drop());

it('changes with any write to a table, except in excluded columns', async () => {
  const sum = await schemaChecksummer(db.pool, 's', { 'a.seen': 'touched by a job' });
  const before = await sum();
  expect(changedTables(before, await sum())).toEqual([]);
  for (const write of [
    `UPDATE s.a SET v = 'w' WHERE id = 7`,
    `DELETE FROM s.a WHERE id = 8`,
    `INSERT INTO s.a VALUES (501, 'v501', now())`,
    `UPDATE s.a SET v = 'v7' WHERE id = 7`, // back to the start, but id 8 is still gone
  ]) {
    const was = await sum();
    await db.pool.query(write);
    expect(changedTables(was, await sum())).toEqual(['a']);
  }
  const was = await sum();
  await db.pool.query(`UPDATE s.a SET seen = now() + interval '1 day'`);
  expect(changedTables(was, await sum())).toEqual([]);
  await db.pool.query(`INSERT INTO s.b VALUES (1)`);
  expect(changedTables(was, await sum())).toEqual(['b']);
});
