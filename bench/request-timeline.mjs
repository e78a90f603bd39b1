// Preloaded into a benchmarked child (`node --import bench/request-timeline.mjs bin/draft.js ...`): every
// request's create, body-sent, headers and end times (ms since its thread began) from the diagnostics
// channels of node:http (with the model transport's `draft:http:request-sent`) and of undici (fetch), in the main thread and in a batch's provider thread (a preload runs in each),
// written as JSON to $DRAFT_BENCH_TIMELINE_FILE.<main|thread> every 100 ms and at exit. The medians of
// body sent → headers and end → next create told the test server's own time apart from the CLI's.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.DRAFT_BENCH_TIMELINE_FILE;
if (file) {
  const requests = [];
  const byRequest = new WeakMap();
  const at = (name) => (message) => {
    const row = byRequest.get(message.request);
    if (row) row[name] = Math.round(performance.now() * 10) / 10;
  };
  subscribe('undici:request:create', ({ request }) => {
    const row = { create: Math.round(performance.now() * 10) / 10 };
    byRequest.set(request, row);
    requests.push(row);
  });
  subscribe('undici:request:bodySent', at('sent'));
  subscribe('undici:request:headers', at('headers'));
  subscribe('undici:request:trailers', at('end'));
  // node:http, as src/core/provider/http-fetch.ts uses it.
  subscribe('http.client.request.start', ({ request }) => {
    const row = { create: Math.round(performance.now() * 10) / 10 };
    byRequest.set(request, row);
    requests.push(row);
  });
  subscribe('draft:http:request-sent', at('sent'));
  subscribe('http.client.response.finish', ({ request, response }) => {
    at('headers')({ request });
    response.once('end', () => at('end')({ request }));
  });
  // A worker that is terminated runs no exit handler: written as it goes.
  const write = () => writeFileSync(`${file}.${isMainThread ? 'main' : 'thread'}`, JSON.stringify(requests));
  setInterval(write, 100).unref();
  process.on('exit', write);
}
