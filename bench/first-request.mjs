// Preloaded into a benchmarked child (`node --import bench/first-request.mjs ...`): what start-up costs
// before the model is first asked. At the process's first request (node:http's, which the model's
// transport uses, or a fetch()) it notes the wall time since the process
// began (performance.now()) and the CPU used so far (main thread and others, process.cpuUsage()), and at
// exit writes them to $DRAFT_BENCH_FIRST_REQUEST_FILE. With $DRAFT_BENCH_PROFILE_DIR it also CPU-profiles
// the main thread from here to that first fetch (a .cpuprofile for bench/profile-summary.ts), which is
// the start-up alone, without the sections and the write that `node --cpu-prof` would mix in.
// With $DRAFT_LIST_MODULES_FILE (bench/list-modules.mjs) it appends a `-- first request` line there, so the
// list shows what loaded before the request and what after. The real fetch runs unchanged.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = process.env.DRAFT_BENCH_FIRST_REQUEST_FILE;
const profileDir = process.env.DRAFT_BENCH_PROFILE_DIR || undefined;
const moduleList = process.env.DRAFT_LIST_MODULES_FILE;
const realFetch = globalThis.fetch;
let first;
let session;

if (profileDir) {
  const { Session } = await import('node:inspector');
  session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
}

function firstRequest() {
  if (!first) {
    const cpu = process.cpuUsage();
    first = { ms: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000 };
    if (moduleList) appendFileSync(moduleList, '-- first request\n');
    if (session)
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(join(profileDir, `first-request-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
        session.disconnect();
      });
  }
}
subscribe('http.client.request.start', firstRequest);
globalThis.fetch = function fetch(...args) {
  firstRequest();
  return realFetch.apply(this, args);
};

if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(first ?? null)));
