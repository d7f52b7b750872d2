// The unit of work's view of one open transaction, the same on both backends.
import type { SqlRunner, TxSource } from './sql.js';

/**
 * A source bound to one open transaction (the unit of work's): bodies run on its runner, nested
 * `transaction` calls become savepoints so a failing inner call undoes only its own writes when the
 * caller catches it, and nothing commits until the unit of work does.
 */
export function boundSource(runner: SqlRunner): TxSource & { runner: SqlRunner } {
  let depth = 0;
  return {
    dialect: runner.dialect,
    runner,
    async transaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
      const name = `gt_sp_${++depth}`;
      await runner.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(runner);
        await runner.exec(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await runner.exec(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      } finally {
        depth--;
      }
    },
    read: <T>(fn: (sql: SqlRunner) => Promise<T>) => fn(runner),
  };
}
