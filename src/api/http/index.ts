export { createApiHandler, type HandlerDeps } from './handler.js';
export { createRateLimiter, type RateLimiter } from './rate-limit.js';
export { paginate, type RangeFields } from './range.js';
export { readBody, parseJson, describeIssues } from './body.js';
export { apiKeyFrom } from './auth.js';
export { sendJson, sendError, sendThrown } from './respond.js';
export type { ApiRequest, Route, HandlerResult, JsonResponse, Method } from './types.js';
export { createSessions, sessionCookie, sessionIdFrom, csrfMatches, CSRF_HEADER, type Session, type Sessions } from './sessions.js';
