/**
 * The rows of an `UPDATE/DELETE ... RETURNING` run through EntityManager.query: TypeORM's
 * PostgreSQL driver answers those two commands with `[rows, rowCount]` and every other command
 * with the rows alone.
 */
export function returningRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
