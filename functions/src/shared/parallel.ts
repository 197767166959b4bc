/**
 * Bounded parallelism: many small requests (one conditional write per device) finish sooner a few at a time,
 * without flooding the table or the connection pool.
 */

/**
 * Run `fn` over `items`, at most `limit` at a time. After a failure no further item starts; the ones running
 * finish, then the first error is thrown.
 */
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
      while (next < items.length && !failure) {
        const i = next++;
        try {
          await fn(items[i]!, i);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw failure.error;
}
