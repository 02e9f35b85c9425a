/**
 * The router's error codes (Heroku's H codes), with the description logged in
 * `desc="…"` and the page shown to clients. Every data plane renders these.
 */
export const ROUTER_ERRORS = {
  H10: { desc: 'App crashed', title: 'Application error' },
  H12: { desc: 'Request timeout', title: 'Application error' },
  H13: { desc: 'Connection closed without response', title: 'Application error' },
  H14: { desc: 'No web processes running', title: 'Application error' },
  H19: { desc: 'Backend connection timeout', title: 'Application error' },
  H21: { desc: 'Backend connection refused', title: 'Application error' },
  H27: { desc: 'Client Request Interrupted', title: 'Application error' },
  H80: { desc: 'Maintenance mode', title: 'Offline for maintenance' },
} as const;

export type RouterErrorCode = keyof typeof ROUTER_ERRORS;

/** The status a client sees for a code (H27 never reaches the client; 499 is for the log). */
export const routerErrorStatus = (code: RouterErrorCode): number => (code === 'H27' ? 499 : 503);

export interface ErrorPage {
  status: number;
  contentType: string;
  body: string;
}

const wantsHtml = (accept: string | undefined): boolean => !!accept && /text\/html/i.test(accept);

function html(title: string, text: string): string {
  return (
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title>` +
    '<style>body{font-family:sans-serif;margin:15vh auto;max-width:36em;color:#333}</style></head>' +
    `<body><h1>${title}</h1><p>${text}</p></body></html>\n`
  );
}

function page(status: number, accept: string | undefined, id: string, title: string, text: string): ErrorPage {
  return wantsHtml(accept)
    ? { status, contentType: 'text/html; charset=utf-8', body: html(title, text) }
    : { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ id, message: text }) + '\n' };
}

const TEXTS: Record<RouterErrorCode, string> = {
  H10: 'An error occurred in the application and your page could not be served. The app owner can run `cupaas logs --tail` for details.',
  H12: 'The application did not respond in time. The app owner can run `cupaas logs --tail` for details.',
  H13: 'The application closed the connection without responding. The app owner can run `cupaas logs --tail` for details.',
  H14: 'No web dynos are running for this application. The app owner can run `cupaas ps:scale web=1`.',
  H19: 'The application did not accept the connection in time. The app owner can run `cupaas logs --tail` for details.',
  H21: 'The application refused the connection. The app owner can run `cupaas logs --tail` for details.',
  H27: 'The client closed the request.',
  H80: 'This application is undergoing maintenance right now. Please check back later.',
};

/** The page for a router error, HTML for browsers and JSON otherwise. */
export function routerErrorPage(code: RouterErrorCode, accept: string | undefined): ErrorPage {
  return page(routerErrorStatus(code), accept, code, ROUTER_ERRORS[code].title, TEXTS[code]);
}

/** The page for a host no app answers to. */
export function noSuchAppPage(accept: string | undefined): ErrorPage {
  return page(404, accept, 'no_such_app', 'No such app', 'There is no app configured at that hostname.');
}

/** The page for a request the router refuses to parse (oversized or ambiguous headers). */
export function badRequestPage(accept: string | undefined, why: string): ErrorPage {
  return page(400, accept, 'bad_request', 'Bad request', why);
}
