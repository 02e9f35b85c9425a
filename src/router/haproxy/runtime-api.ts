import { connect, type Socket } from 'node:net';

/** What HAProxy prints after each answer in interactive mode. */
const PROMPT = '\n> ';

export interface RuntimeApi {
  /**
   * Sends one command line (several commands may be joined with `;`) and
   * resolves with HAProxy's answer. The line is written synchronously when
   * the connection is up, so state pushed before a request reaches HAProxy first.
   */
  send(line: string): Promise<string>;
  close(): void;
}

/**
 * One long-lived interactive connection to HAProxy's Runtime API (stats
 * socket). Commands are answered in order; a dropped connection is reopened
 * on the next command.
 */
export function openRuntimeApi(socketPath: string): RuntimeApi {
  let socket: Socket | undefined;
  let buffer = '';
  let waiting: Array<{ resolve(answer: string): void; reject(e: Error): void }> = [];
  let closed = false;

  const fail = (e: Error) => {
    const pending = waiting;
    waiting = [];
    socket = undefined;
    buffer = '';
    pending.forEach((w) => w.reject(e));
  };

  const onData = (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf(PROMPT); end >= 0; end = buffer.indexOf(PROMPT)) {
      const answer = buffer.slice(0, end);
      buffer = buffer.slice(end + PROMPT.length);
      waiting.shift()?.resolve(answer.trim());
    }
  };

  const open = (): Socket => {
    const s = connect(socketPath);
    s.setEncoding('utf8');
    s.on('data', onData);
    // Only the current connection's end fails what is pending; a replaced one is history.
    s.on('error', (e) => s === socket && fail(new Error(`HAProxy Runtime API (${socketPath}): ${e.message}`)));
    s.on('close', () => s === socket && fail(new Error('HAProxy Runtime API connection closed')));
    // The answer to `prompt` itself is the first prompt.
    waiting.push({ resolve: () => {}, reject: () => {} });
    s.write('prompt\n');
    return s;
  };

  return {
    send(line) {
      if (closed) return Promise.reject(new Error('HAProxy Runtime API is closed'));
      socket ??= open();
      const answer = new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
      socket.write(`${line}\n`);
      return answer;
    },
    close() {
      closed = true;
      socket?.destroy();
    },
  };
}
