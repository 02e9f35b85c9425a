import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { formatEntry, type LogEntry } from '../../logs/index.js';
import { notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

/** Heroku's body (`dyno`, `lines`, `source`, `tail`) and its newer names (`dyno_name`, `type`). */
const CreateSession = z.strictObject({
  lines: z.coerce.number().int().min(0).max(1500).optional(),
  tail: z.boolean().optional(),
  dyno: z.string().min(1).optional(),
  dyno_name: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
});

/** Writes a chunk, waiting for the client to take it; false once the client is gone. */
function send(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

const plain = (e: LogEntry) => formatEntry(e) + '\n';
const sse = (e: LogEntry) => `id: ${e.seq}\ndata: ${formatEntry(e)}\n\n`;

export function logSessionRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/apps/:app/log-sessions',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        const body = await req.body(CreateSession);
        const s = ctx.logSessions.create({
          appId: app.id, lines: body.lines ?? 100, tail: body.tail ?? false, dyno: body.dyno ?? body.dyno_name,
          source: body.source ?? body.type,
        });
        const url = `${ctx.config.publicApiUrl}/log-streams/${s.id}?secret=${encodeURIComponent(s.secret)}`;
        return { status: 201, body: { id: s.id, logplex_url: url, created_at: s.createdAt, updated_at: s.createdAt } };
      },
    },
    {
      // The session's own secret authorizes the stream, so log viewers need no API key.
      method: 'GET',
      path: '/log-streams/:id',
      auth: 'none',
      raw: true,
      handler: async (req, res) => {
        const s = ctx.logSessions.open(req.params.id as string, req.query.get('secret') ?? '');
        if (!s) throw notFound('log session (it may have expired; request a new one)', req.params.id as string);
        const asSse = /text\/event-stream/.test(req.headers.accept ?? '');
        const format = asSse ? sse : plain;
        res.writeHead(200, {
          'Content-Type': asSse ? 'text/event-stream; charset=utf-8' : 'text/plain; charset=utf-8',
          'Cache-Control': 'no-cache',
        });
        // A tail may have nothing to say for a while; the client should know it is connected.
        res.flushHeaders();
        const filter = { dyno: s.dyno, source: s.source };
        // Subscribed before reading history, in the same tick: no line falls in between.
        const live = s.tail ? ctx.logs.tail(s.appId, filter) : undefined;
        res.on('close', () => live?.close());
        for (const e of ctx.logs.recent(s.appId, s.lines, filter)) if (!(await send(res, format(e)))) return 'streamed';
        if (live) for await (const e of live) if (!(await send(res, format(e)))) break;
        res.end();
        return 'streamed';
      },
    },
  ];
}
