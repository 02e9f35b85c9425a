/**
 * Domain errors with stable ids. The domain raises these; only the API layer
 * maps them to HTTP statuses (see src/api/http/respond.ts).
 */
export const ERROR_IDS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_acceptable: 406,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  requested_range_not_satisfiable: 416,
  invalid_params: 422,
  rate_limit: 429,
  build_failed: 422,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorId = keyof typeof ERROR_IDS;

export class PlatformError extends Error {
  constructor(
    readonly id: ErrorId,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

export const notFound = (what: string, key: string): PlatformError =>
  new PlatformError('not_found', `Couldn't find that ${what}: ${key}.`);

export const invalid = (message: string): PlatformError => new PlatformError('invalid_params', message);

export const conflict = (message: string): PlatformError => new PlatformError('conflict', message);

export const isPlatformError = (e: unknown): e is PlatformError => e instanceof PlatformError;

/** Text of any thrown value, for logs and user-facing summaries. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
