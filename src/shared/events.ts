/**
 * A typed, in-process event bus. Event shapes are a closed union declared by
 * the caller (see src/domain/events.ts), so every subscriber sees all cases.
 *
 * Events are published after the change they describe is committed, so a
 * subscriber that throws must neither fail the publisher (an API request
 * would answer 500 for a change that was made) nor keep the subscribers
 * after it from hearing the event: its error goes to `onError`. Without one
 * (tests), the first error is thrown to the publisher once every subscriber
 * has heard the event.
 */
export interface EventBus<E extends { type: string }> {
  publish(event: E): void;
  subscribe(handler: (event: E) => void): () => void;
}

export function createEventBus<E extends { type: string }>(onError?: (error: unknown, event: E) => void): EventBus<E> {
  const handlers = new Set<(event: E) => void>();
  return {
    publish(event) {
      let failed: { error: unknown } | undefined;
      for (const handler of [...handlers]) {
        try {
          handler(event);
        } catch (error) {
          if (onError) onError(error, event);
          else failed ??= { error };
        }
      }
      if (failed) throw failed.error;
    },
    subscribe(handler) {
      // A function subscribed twice hears each event twice, as with an EventEmitter.
      const own = (event: E) => handler(event);
      handlers.add(own);
      return () => handlers.delete(own);
    },
  };
}
