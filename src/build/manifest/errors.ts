import type { Document } from 'yaml';
import { yaml } from '../../shared/occasional.js';
import type * as z from 'zod';
import { PlatformError } from '../../shared/errors.js';

/** A build failure naming the file, the line (when known) and what was expected. */
export function manifestError(file: string, line: number | null, expected: string): PlatformError {
  return new PlatformError('build_failed', `${file}${line ? ` line ${line}` : ''}: ${expected}`, { file, line });
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A parsed YAML (or JSON) document that can tell the line of any path in it. */
export interface PositionedDoc {
  doc: Document;
  lineOf(path: readonly PropertyKey[]): number | null;
}

export function positioned(text: string): PositionedDoc {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  return {
    doc,
    lineOf(path) {
      // The deepest node that exists: a missing key is reported at its parent.
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lineCounter.linePos(node.range[0]).line;
      }
      return null;
    },
  };
}

/** Validates `value` against `schema`, failing with the first issue's path and line. */
export function validate<S extends z.ZodType>(file: string, value: unknown, schema: S, where: PositionedDoc | null): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw manifestError(file, null, 'invalid content');
  const path = issue.path.map(String).join('.');
  const what = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
  throw manifestError(file, where?.lineOf(issue.path) ?? null, `${path ? `${path}: ` : ''}${what}`);
}
