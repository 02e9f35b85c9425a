import { Agent } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * The keep-alive pool to dynos. Node's `keepSocketAlive` runs every time a
 * socket goes back to the pool: keep-alive probe setsockopt calls, and
 * building the response's header object just to read its Keep-Alive hint.
 * None of it changes between requests on one socket, so it runs once per
 * socket; later returns only do the one thing that matters (unref, so an idle
 * pooled socket does not keep the process alive).
 */
export class DynoAgent extends Agent {
  private readonly prepared = new WeakSet<Duplex>();

  constructor() {
    // LIFO reuse keeps the fewest sockets warm; no socket limit, so a request never queues for a socket.
    super({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, keepAliveMsecs: 1000, scheduling: 'lifo' });
  }

  override keepSocketAlive(socket: Duplex): boolean {
    if (!this.prepared.has(socket)) {
      this.prepared.add(socket);
      // Node returns false to drop the socket (a Keep-Alive hint of a second or less); @types/node says void.
      return (super.keepSocketAlive(socket) as unknown as boolean | undefined) !== false;
    }
    // The agent only pools net sockets to dynos.
    (socket as Socket).unref();
    return true;
  }
}
