/**
 * Log collectors for drain tests, on loopback: a syslog receiver (TCP or TLS,
 * RFC 6587 octet counting) and an HTTP(S) receiver of logplex-1 batches.
 * Both parse strictly, so a wrong byte count or field fails the test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, or undefined without the openssl CLI. */
export function selfSignedCert(): TlsMaterial | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One RFC 5424 message, split into its header fields. */
export interface SyslogMessage {
  pri: number;
  version: string;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  /** What follows PROCID: `- - msg` from a syslog drain, `- msg\n` from an HTTP drain. */
  rest: string;
}

const HEADER = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) ([\s\S]*)$/;

export function parseSyslog(msg: string): SyslogMessage {
  const m = HEADER.exec(msg);
  if (!m) throw new Error(`not an RFC 5424 message: ${JSON.stringify(msg)}`);
  const [, pri, version, timestamp, hostname, appName, procId, rest] = m as unknown as [string, ...string[]];
  return { pri: Number(pri), ...{ version, timestamp, hostname, appName, procId, rest } } as SyslogMessage;
}

/** Splits octet-counted frames off the front of `buf`; returns the messages and what is left. */
export function takeFrames(buf: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  for (;;) {
    const space = buf.indexOf(0x20);
    if (space < 0) break;
    const lenText = buf.subarray(0, space).toString('latin1');
    if (!/^[1-9]\d*$/.test(lenText)) throw new Error(`bad frame length ${JSON.stringify(lenText)}`);
    const len = Number(lenText);
    if (buf.length < space + 1 + len) break;
    messages.push(buf.subarray(space + 1, space + 1 + len).toString('utf8'));
    buf = buf.subarray(space + 1 + len);
  }
  return { messages, rest: buf };
}

export interface Receiver {
  port: number;
  /** Stops listening and drops every connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** TLS handshakes that failed (an untrusted certificate, for example). */
  readonly handshakeFailures: number;
}

/** A server that can be stopped and started again on the same port. */
async function restartable(make: () => Server): Promise<Receiver> {
  let server: Server | undefined;
  let port = 0;
  let failures = 0;
  const sockets = new Set<Socket>();
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const s = make();
      s.on('connection', (c: Socket) => {
        sockets.add(c);
        c.on('close', () => sockets.delete(c));
      });
      s.on('tlsClientError', () => failures++);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  await start();
  return {
    get port() {
      return port;
    },
    get handshakeFailures() {
      return failures;
    },
    start,
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      for (const c of sockets) c.destroy();
      await closed;
    },
  };
}

export interface SyslogReceiver extends Receiver {
  /** Every message received, in arrival order. */
  messages: SyslogMessage[];
}

/** A syslog collector over TCP, or over TLS with `tls`. */
export async function startSyslogReceiver(tls?: TlsMaterial): Promise<SyslogReceiver> {
  const messages: SyslogMessage[] = [];
  const onConnection = (c: Socket) => {
    let buf: Buffer = Buffer.alloc(0);
    c.on('data', (chunk: Buffer) => {
      const { messages: got, rest } = takeFrames(Buffer.concat([buf, chunk]));
      buf = rest;
      messages.push(...got.map(parseSyslog));
    });
    c.on('error', () => c.destroy());
  };
  const receiver = await restartable(() =>
    tls ? createTlsServer({ key: tls.key, cert: tls.cert }, onConnection) : createTcpServer(onConnection),
  );
  return Object.assign(receiver, { messages });
}

export interface LogplexRequest {
  headers: IncomingHttpHeaders;
  path: string;
  status: number;
  messages: SyslogMessage[];
}

export interface HttpReceiver extends Receiver {
  /** Every request received, in arrival order, with the status it was answered. */
  requests: LogplexRequest[];
  /** Answers the next requests with these statuses, then 200 again. */
  answerNext(...statuses: number[]): void;
}

/** A logplex-1 HTTP collector (HTTPS with `tls`). */
export async function startHttpReceiver(tls?: TlsMaterial): Promise<HttpReceiver> {
  const requests: LogplexRequest[] = [];
  const script: number[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { messages, rest } = takeFrames(Buffer.concat(chunks));
      if (rest.length) throw new Error(`trailing bytes in a logplex body: ${rest.toString()}`);
      const status = script.shift() ?? 200;
      requests.push({ headers: req.headers, path: req.url ?? '', status, messages: messages.map(parseSyslog) });
      res.writeHead(status).end();
    });
  };
  const receiver = await restartable(() =>
    tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handle) : createHttpServer(handle),
  );
  return Object.assign(receiver, { requests, answerNext: (...s: number[]) => void script.push(...s) });
}
