/**
 * The diagnostics channel the model's transport (http-fetch.ts) publishes on once a request's body is
 * on the wire, with the node:http request (`{ request }`): what undici's `undici:request:bodySent` says
 * of Node's fetch. Apart from http-fetch.ts, so that listening (once-request-sent.ts) loads no HTTP code.
 */
export const REQUEST_SENT = 'draft:http:request-sent';
