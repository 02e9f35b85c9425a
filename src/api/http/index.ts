export { createApiHandler, type HandlerDeps, type Caller, type AuditedRequest } from './handler.js';
export { createRateLimiter, type RateLimiter } from './rate-limit.js';
export { paginate, type RangeFields } from './range.js';
export { readBody, parseJson, describeIssues } from './body.js';
export { bearerToken, basicCredentials } from './auth.js';
export { sendJson, sendError, sendThrown } from './respond.js';
export type { ApiRequest, Route, HandlerResult, JsonResponse, Method, AuditNote } from './types.js';
export {
  createSessions, sessionCookie, sessionIdFrom, sessionToken, SESSION_LIFETIME_MS, type Session, type Sessions,
} from './sessions.js';
