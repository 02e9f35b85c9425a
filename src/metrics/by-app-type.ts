/** Entries per app (its id or its name), then per process type: a request finds its own without building a key string. */
export class ByAppType<T> {
  private readonly apps = new Map<string, Map<string, T>>();

  get(app: string, type: string): T | undefined {
    return this.apps.get(app)?.get(type);
  }

  /** The entry, made first if there is none (`make` should be a constant function: this runs per request). */
  at(app: string, type: string, make: (app: string, type: string) => T): T {
    let types = this.apps.get(app);
    if (!types) this.apps.set(app, (types = new Map()));
    let entry = types.get(type);
    if (entry === undefined) types.set(type, (entry = make(app, type)));
    return entry;
  }

  forget(app: string): void {
    this.apps.delete(app);
  }

  *entries(): IterableIterator<[app: string, type: string, entry: T]> {
    for (const [app, types] of this.apps) for (const [type, entry] of types) yield [app, type, entry];
  }

  *values(): IterableIterator<T> {
    for (const types of this.apps.values()) yield* types.values();
  }

  /** The app's entries by process type. */
  of(app: string): ReadonlyMap<string, T> {
    return this.apps.get(app) ?? new Map();
  }
}
