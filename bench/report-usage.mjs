// Preloaded into a benchmarked child (`node --import bench/report-usage.mjs ...`): at exit, writes the
// process's own user+sys CPU (all threads, from getrusage) to $DRAFT_BENCH_USAGE_FILE, so a bench can
// read a child's CPU without /usr/bin/time. Costs one tiny module; the wall figures come from runs without it.
import { writeFileSync } from 'node:fs';

const file = process.env.DRAFT_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKb: u.maxRSS }));
  });
}
