import { EventEmitter } from 'node:events';

/**
 * A typed, in-process event bus. Event shapes are a closed union declared by
 * the caller (see src/domain/events.ts), so every subscriber sees all cases.
 */
export interface EventBus<E extends { type: string }> {
  publish(event: E): void;
  subscribe(handler: (event: E) => void): () => void;
}

export function createEventBus<E extends { type: string }>(): EventBus<E> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (event) => emitter.emit('event', event),
    subscribe: (handler) => {
      emitter.on('event', handler);
      return () => emitter.off('event', handler);
    },
  };
}
