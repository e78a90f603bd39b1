import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { REQUEST_SENT, THREAD_REQUEST_SENT } from '../provider/request-sent.js';

/**
 * Runs `work` (loading what is needed only after the model replies) once the next request is on the
 * wire, so that it fills the wait for the reply instead of delaying the request: started as soon as
 * the request was made, it ran before the socket had even connected, and the connection waited for it
 * (~25 ms of `draft new`'s critical path). Only the model's requests count (the model transport's channels,
 * not a source page's fetch). When none goes out (the local engine, a cached reply), it runs after
 * `fallbackMs`; whoever needs the work awaits it anyway.
 */
export function onceRequestSent(work: () => void, fallbackMs = 250): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    unsubscribe(REQUEST_SENT, run);
    unsubscribe(THREAD_REQUEST_SENT, run);
    clearTimeout(timer);
    // Not inside the publish call: the request's own bookkeeping finishes first.
    setImmediate(work);
  };
  subscribe(REQUEST_SENT, run);
  subscribe(THREAD_REQUEST_SENT, run);
  const timer = setTimeout(run, fallbackMs);
  timer.unref();
}
