import type { ServerResponse } from 'node:http';
import * as z from 'zod';
import { formatEntry, type LogEntry, type LogSession } from '../../logs/index.js';
import { isPlatformError, notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

/** Heroku's body (`dyno`, `lines`, `source`, `tail`) and its newer names (`dyno_name`, `type`). */
const CreateSession = z.lazy(() => z.strictObject({
  lines: z.coerce.number().int().min(0).max(1500).optional(),
  tail: z.boolean().optional(),
  dyno: z.string().min(1).optional(),
  dyno_name: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
}));

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

/** How often a live tail re-checks that its token and the reader's access still stand. */
const RECHECK_MS = 1000;

export function logSessionRoutes(ctx: ApiContext): Route[] {
  /** A stream lives only while the token that asked for it is unrevoked and unexpired and its user may still read the app. */
  const stillGranted = (s: LogSession): boolean => {
    const { userId, authorizationId } = s.grantedTo;
    const user = ctx.store.users.get(userId);
    if (!user || (authorizationId !== null && !ctx.store.users.authorizationValid(authorizationId))) return false;
    try {
      ctx.access.app(user, s.appId, 'read');
      return true;
    } catch (e) {
      if (isPlatformError(e)) return false;
      throw e;
    }
  };

  return [
    {
      method: 'POST',
      path: '/apps/:app/log-sessions',
      access: 'app:read',
      // Reading logs changes nothing: not an audit event.
      audit: false,
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(CreateSession);
        const s = ctx.logSessions.create({
          appId: app.id, lines: body.lines ?? 100, tail: body.tail ?? false, dyno: body.dyno ?? body.dyno_name,
          source: body.source ?? body.type, grantedTo: { userId: req.user.id, authorizationId: req.authorizationId },
        });
        const url = `${ctx.config.publicApiUrl}/log-streams/${s.id}?secret=${encodeURIComponent(s.secret)}`;
        return { status: 201, body: { id: s.id, logplex_url: url, created_at: s.createdAt, updated_at: s.createdAt } };
      },
    },
    {
      // The session's own secret authorizes the stream, so log viewers need no API key.
      method: 'GET',
      path: '/log-streams/:id',
      access: 'public',
      raw: true,
      handler: async (req, res) => {
        const s = ctx.logSessions.open(req.params.id as string, req.query.get('secret') ?? '');
        if (!s || !stillGranted(s)) throw notFound('log session (it may have expired; request a new one)', req.params.id as string);
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
        const recheck = live && setInterval(() => {
          if (!stillGranted(s)) live.close();
        }, RECHECK_MS);
        res.on('close', () => {
          clearInterval(recheck);
          live?.close();
        });
        for (const e of ctx.logs.recent(s.appId, s.lines, filter)) if (!(await send(res, format(e)))) return 'streamed';
        if (live) for await (const e of live) if (!(await send(res, format(e)))) break;
        res.end();
        return 'streamed';
      },
    },
  ];
}
