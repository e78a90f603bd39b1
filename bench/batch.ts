/**
 * `draft batch` throughput: 100+ briefs against a test server that answers every request after a fixed
 * delay, at several concurrency levels. Wall time is compared with the ideal (requests × delay /
 * concurrency), so the ratio shows what the tool itself adds beside the model's latency. Peak memory is
 * the CLI's own (its report's process.maxRssKb). Then the same batch again: with --force, every reply
 * comes from the response cache; without it, every draft exists and is skipped.
 * Run: npx tsx bench/batch.ts [briefs] [delayMs] [runs]
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, baseEnv } from '../test/support/cli.js';
import { scriptedModel } from '../test/support/scripted-model.js';
import { startTestServer, type TestServer } from '../test/support/test-server.js';
import { median, timeProcess } from './stats.js';

const briefs = Number(process.argv[2] ?? 100);
const delay = Number(process.argv[3] ?? 100);
const runs = Number(process.argv[4] ?? 3);
const sections = 3;
const perDraft = 2 + sections; // outline + introduction + sections
const requests = briefs * perDraft;
const levels = [4, 8, 16];

const manifest = [
  'defaults:',
  `  sections: ${sections}`,
  '  words: 400',
  '  author: Bench',
  '  keywords: [latency]',
  'briefs:',
  ...Array.from({ length: briefs }, (_, i) => [`  - id: post-${i + 1}`, `    topic: Benchmark topic ${i + 1}`]).flat(),
].join('\n');

interface Run {
  ms: number;
  rssMb: number;
  sent: number;
}

async function batch(server: TestServer, dir: string, concurrency: number, extra: string[] = []): Promise<Run> {
  const before = server.requests.length;
  const r = await timeProcess(
    process.execPath,
    [BIN, 'batch', 'briefs.yaml', '--concurrency', String(concurrency), '--report', 'report.json', '--base-url', server.url, ...extra],
    { cwd: dir, env: { ...baseEnv(dir), OPENAI_API_KEY: 'sk-bench' } },
  );
  if (r.code !== 0) throw new Error(`draft batch failed (${r.code}): ${r.stderr}`);
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
  return { ms: r.ms, rssMb: report.process.maxRssKb / 1024, sent: server.requests.length - before };
}

console.log(
  `draft batch: ${briefs} briefs × ${perDraft} requests = ${requests} requests, server delay ${delay} ms, median of ${runs} runs`,
);
console.log('concurrency  ideal     wall      ratio  peak RSS  max in flight  cached re-run (--force)  re-run, all exist');
for (const concurrency of levels) {
  const fresh: Run[] = [];
  const cached: Run[] = [];
  const resumed: Run[] = [];
  // A server per level: its in-flight high-water mark is this level's alone.
  const server = await startTestServer({ handler: scriptedModel(), delayMs: delay });
  for (let i = 0; i < runs; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-batch-'));
    await writeFile(join(dir, 'briefs.yaml'), manifest);
    const first = await batch(server, dir, concurrency);
    if (first.sent < requests) throw new Error(`expected at least ${requests} requests, saw ${first.sent}`);
    fresh.push(first);
    const again = await batch(server, dir, concurrency, ['--force']);
    if (again.sent !== 0) throw new Error(`the cached re-run sent ${again.sent} requests`);
    cached.push(again);
    resumed.push(await batch(server, dir, concurrency));
    await rm(dir, { recursive: true, force: true });
  }
  const peakInFlight = server.maxInFlight;
  await server.close();
  const ideal = (requests * delay) / concurrency;
  const wall = median(fresh.map((r) => r.ms));
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    [
      String(concurrency).padEnd(11),
      s(ideal).padEnd(8),
      s(wall).padEnd(8),
      (wall / ideal).toFixed(2).padEnd(5),
      `${median(fresh.map((r) => r.rssMb)).toFixed(0)} MB`.padEnd(8),
      String(peakInFlight).padEnd(13),
      s(median(cached.map((r) => r.ms))).padEnd(23),
      s(median(resumed.map((r) => r.ms))),
    ].join('  '),
  );
}
