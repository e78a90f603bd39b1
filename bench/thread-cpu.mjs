// Preloaded into a benchmarked child (`node --import bench/thread-cpu.mjs bin/draft.js ...`): at exit,
// prints each thread's user and system CPU (from /proc/self/task/*/stat, Linux, 10 ms ticks) on stderr,
// main thread first. That is how V8's background recompiling of undici's WebAssembly HTTP parser
// (80-100 ms of every `draft new`) was found: process-wide CPU cannot say which thread spent it.
import { readdirSync, readFileSync, writeSync } from 'node:fs';

process.on('exit', () => {
  const threads = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [user, system] = [Number(fields[11]) * 10, Number(fields[12]) * 10];
      if (user + system > 0) threads.push(`${tid}: ${user} ms user + ${system} ms sys`);
    } catch {
      // The thread ended meanwhile.
    }
  }
  writeSync(2, `thread CPU: ${threads.join(', ')}\n`);
});
