/**
 * (b) `draft new` wall time against a test server that answers every request after a fixed delay,
 * as a ratio to that delay. With parallel sections the ratio should sit near the number of round
 * trips on the critical path (outline, then ceil(parts / concurrency) rounds), not the request count.
 * Run: npx tsx bench/new-latency.ts [delayMs] [runs]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, baseEnv } from '../test/support/cli.js';
import { scriptedModel } from '../test/support/scripted-model.js';
import { startTestServer } from '../test/support/test-server.js';
import { median, timeProcess } from './stats.js';

const delay = Number(process.argv[2] ?? 250);
const runs = Number(process.argv[3] ?? 5);
const server = await startTestServer({ handler: scriptedModel(), delayMs: delay });
const sections = 5;
const requests = 2 + sections; // outline + introduction + sections
console.log(`draft new, ${sections} sections (${requests} requests), server delay ${delay} ms, median of ${runs} runs`);
console.log('concurrency  wall      ratio to delay  critical-path round trips  overhead beyond them  requests');
for (const concurrency of [1, 2, 4, 8]) {
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-new-'));
    server.requests.length = 0;
    const r = await timeProcess(
      process.execPath,
      [
        BIN,
        'new',
        '--topic',
        'Benchmarks',
        '--sections',
        String(sections),
        '--concurrency',
        String(concurrency),
        '--base-url',
        server.url,
        '--yes',
      ],
      { cwd: dir, env: { ...baseEnv(dir), OPENAI_API_KEY: 'sk-bench' } },
    );
    if (r.code !== 0) throw new Error(`draft new failed: ${r.stderr}`);
    walls.push(r.ms);
    await rm(dir, { recursive: true, force: true });
  }
  const m = median(walls);
  const ideal = 1 + Math.ceil((requests - 1) / concurrency);
  console.log(
    `${String(concurrency).padEnd(13)}${`${m.toFixed(0)} ms`.padEnd(10)}${(m / delay).toFixed(2).padEnd(16)}${String(ideal).padEnd(27)}` +
      `${`${(m - ideal * delay).toFixed(0)} ms`.padEnd(22)}${requests}`,
  );
}
await server.close();
