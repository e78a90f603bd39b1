/**
 * The diagnostics channels that say a model request's body is on the wire. Apart from http-fetch.ts
 * and thread-host.ts, so that listening (drafting/once-request-sent.ts) loads no HTTP or thread code.
 */

/** Published by the model's transport (http-fetch.ts) with the node:http request: `{ request }`. */
export const REQUEST_SENT = 'draft:http:request-sent';
/** The same news from a batch's provider thread, re-published on the main thread (thread-host.ts). */
export const THREAD_REQUEST_SENT = 'draft:thread:request-sent';
