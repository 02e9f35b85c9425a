/** Heroku's limits: 8 KB per request or header line, 1000 headers, one Host. */
export const MAX_LINE_BYTES = 8192;
export const MAX_HEADERS = 1000;
/** Node's own cap on a request head; Heroku's 8 KB per line is checked separately (validate.ts). */
export const MAX_HEADER_BYTES = 256 * 1024;
/** A dyno's response head may be this long (Node's own default for `http.request`); longer is a malformed response. */
export const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;
