/**
 * Runs operations on the same key one after another (backup, restore, rotate,
 * destroy of one add-on must not overlap); different keys run in parallel.
 */
export function createSerializer() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = tails.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    const tail = next.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return next;
  };
}

export type Serializer = ReturnType<typeof createSerializer>;
