import type { IncomingMessage } from 'node:http';
import * as z from 'zod';
import { PlatformError } from '../../shared/errors.js';

/** Reads a request body, refusing (413) once it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (limit: number) =>
  new PlatformError('payload_too_large', `Request body is larger than the limit of ${limit} bytes.`);

/** Parses JSON and validates it; an empty body counts as `{}`. */
export function parseJson<S extends z.ZodType>(raw: Buffer, schema: S): z.infer<S> {
  let value: unknown = {};
  const text = raw.toString('utf8').trim();
  if (text) {
    let protoKey = false;
    try {
      value = JSON.parse(text, (key, v: unknown) => {
        if (key === '__proto__') protoKey = true;
        return v;
      });
    } catch (e) {
      throw new PlatformError('bad_request', `Request body is not valid JSON: ${(e as Error).message}`);
    }
    // Validators drop such a key silently; refusing it says so instead of answering 200.
    if (protoKey) throw new PlatformError('invalid_params', 'Request body must not contain the key "__proto__".');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new PlatformError('invalid_params', describeIssues(parsed.error));
  return parsed.data;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length ? `${i.path.join('.')}: ` : '';
      if (i.code === 'unrecognized_keys') return `${where}unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${where}${i.message}`;
    })
    .join('; ');
}
