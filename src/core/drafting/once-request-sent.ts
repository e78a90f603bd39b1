import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { REQUEST_SENT } from '../provider/request-sent.js';

// The model's transport (http-fetch.ts) publishes on REQUEST_SENT once a request's body is written to
// its socket; Node's fetch (undici), which takes the rest, on this.
const BODY_SENT = 'undici:request:bodySent';
/** The same news from a batch's provider thread, whose fetch publishes on the thread's own channels (thread-host.ts). */
export const THREAD_REQUEST_SENT = 'draft:thread:request-sent';

/**
 * Runs `work` (loading what is needed only after the model replies) once the next request is on the
 * wire, so that it fills the wait for the reply instead of delaying the request: started as soon as
 * fetch() is called, it ran before the socket had even connected, and the connection waited for it
 * (~25 ms of `draft new`'s critical path). When no request goes out over fetch (the local engine, a
 * cached reply), it runs after `fallbackMs`; whoever needs the work awaits it anyway.
 */
export function onceRequestSent(work: () => void, fallbackMs = 250): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    unsubscribe(BODY_SENT, run);
    unsubscribe(REQUEST_SENT, run);
    unsubscribe(THREAD_REQUEST_SENT, run);
    clearTimeout(timer);
    // Not inside the publish call: the request's own bookkeeping finishes first.
    setImmediate(work);
  };
  subscribe(BODY_SENT, run);
  subscribe(REQUEST_SENT, run);
  subscribe(THREAD_REQUEST_SENT, run);
  const timer = setTimeout(run, fallbackMs);
  timer.unref();
}
