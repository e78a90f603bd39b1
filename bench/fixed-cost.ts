/**
 * The four fixed-cost figures of issue 15, in one run, against the test server (real sockets):
 *   1. `draft --help` / bare `node -e 0` (interleaved, so both see the same machine noise);
 *   2. `draft new` (5 sections, --concurrency 8) wall / critical-path ideal, server answering every
 *      request after 500 ms: outline, then all six parts at once, so 2 round trips = 1.0 s;
 *   3. CPU (user+sys, all threads) per `draft new`, read from the child itself (bench/report-usage.mjs);
 *   4. a batch of 48 briefs at --concurrency 16, 100 ms per request: ideal / wall, as a percentage.
 * Run: npx tsx bench/fixed-cost.ts [helpRuns=21] [newRuns=7] [batchRuns=3]
 * DRAFT_BENCH_BIN=path/to/draft.js measures another build (default: bin/draft.js).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN as DEFAULT_BIN, baseEnv } from '../test/support/cli.js';
import { scriptedModel } from '../test/support/scripted-model.js';
import { startTestServer } from '../test/support/test-server.js';
import { fmt, median, timeProcess } from './stats.js';

const BIN = process.env.DRAFT_BENCH_BIN ?? DEFAULT_BIN;
const USAGE_HOOK = fileURLToPath(new URL('./report-usage.mjs', import.meta.url));
const helpRuns = Number(process.argv[2] ?? 21);
const newRuns = Number(process.argv[3] ?? 7);
const batchRuns = Number(process.argv[4] ?? 3);
const node = process.execPath;
const load = () => loadavg()[0]!.toFixed(1);

console.log(`fixed cost of ${BIN}, Node ${process.version}, load average ${load()} on this machine at the start`);

// 1. --help against bare node.
const bare: number[] = [];
const help: number[] = [];
for (let i = 0; i < helpRuns; i++) {
  bare.push((await timeProcess(node, ['-e', '0'])).ms);
  const h = await timeProcess(node, [BIN, '--help']);
  if (h.code !== 0) throw new Error(`draft --help exited ${h.code}: ${h.stderr}`);
  help.push(h.ms);
}
const helpRatio = median(help) / median(bare);

// 2 and 3. draft new at c8 against a 500 ms server.
const NEW_DELAY = 500;
const newServer = await startTestServer({ handler: scriptedModel(), delayMs: NEW_DELAY });
const newArgs = (dir: string) => ['new', '--topic', 'Benchmarks', '--sections', '5', '--concurrency', '8', '--base-url', newServer.url, '--yes', '--out', join(dir, 'drafts')];
const newEnv = (dir: string) => ({ ...baseEnv(dir), OPENAI_API_KEY: 'sk-bench' });
const newWalls: number[] = [];
const newCpu: number[] = [];
for (let i = 0; i < newRuns; i++) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-fixed-'));
  const r = await timeProcess(node, [BIN, ...newArgs(dir)], { cwd: dir, env: newEnv(dir) });
  if (r.code !== 0) throw new Error(`draft new failed: ${r.stderr}`);
  newWalls.push(r.ms);
  const usageFile = join(dir, 'usage.json');
  const c = await timeProcess(node, ['--import', USAGE_HOOK, BIN, ...newArgs(dir), '--force'], { cwd: dir, env: { ...newEnv(dir), DRAFT_BENCH_USAGE_FILE: usageFile } });
  if (c.code !== 0) throw new Error(`draft new failed: ${c.stderr}`);
  const u = JSON.parse(await readFile(usageFile, 'utf8'));
  newCpu.push(u.userMs + u.systemMs);
  await rm(dir, { recursive: true, force: true });
}
await newServer.close();
const newIdeal = 2 * NEW_DELAY;
const newRatio = median(newWalls) / newIdeal;

// 4. batch of 48 at c16, 100 ms.
const BATCH_DELAY = 100;
const briefs = 48;
const perDraft = 2 + 5; // outline + introduction + five sections
const concurrency = 16;
const manifest = [
  'defaults:',
  '  sections: 5',
  '  author: Bench',
  'briefs:',
  ...Array.from({ length: briefs }, (_, i) => [`  - id: post-${i + 1}`, `    topic: Benchmark topic ${i + 1}`]).flat(),
].join('\n');
const batchServer = await startTestServer({ handler: scriptedModel(), delayMs: BATCH_DELAY });
const batchWalls: number[] = [];
for (let i = 0; i < batchRuns; i++) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-fixed-batch-'));
  await writeFile(join(dir, 'briefs.yaml'), manifest);
  const before = batchServer.requests.length;
  const r = await timeProcess(node, [BIN, 'batch', 'briefs.yaml', '--concurrency', String(concurrency), '--base-url', batchServer.url], { cwd: dir, env: newEnv(dir) });
  if (r.code !== 0) throw new Error(`draft batch failed (${r.code}): ${r.stderr}`);
  const sent = batchServer.requests.length - before;
  if (sent < briefs * perDraft) throw new Error(`expected at least ${briefs * perDraft} requests, saw ${sent}`);
  batchWalls.push(r.ms);
  await rm(dir, { recursive: true, force: true });
}
await batchServer.close();
const batchIdeal = (briefs * perDraft * BATCH_DELAY) / concurrency;
const batchShare = batchIdeal / median(batchWalls);

const row = (figure: string, value: string, detail: string, target: string) => console.log(`${figure.padEnd(44)}${value.padEnd(10)}${target.padEnd(10)}${detail}`);
console.log(`\n${'figure'.padEnd(44)}${'value'.padEnd(10)}${'target'.padEnd(10)}medians`);
row('draft --help / bare node', `${helpRatio.toFixed(2)}x`, `${fmt(median(help))} / ${fmt(median(bare))}, ${helpRuns} runs`, '<= 1.3x');
row('draft new wall / ideal (500 ms, c8)', `${newRatio.toFixed(2)}x`, `${fmt(median(newWalls))} / ${fmt(newIdeal)}, ${newRuns} runs`, '<= 1.25x');
row('CPU per draft new', `${(median(newCpu) / 1000).toFixed(2)} s`, `user+sys, ${newRuns} runs`, '<= 0.4 s');
row('batch of 48 at c16, 100 ms: ideal / wall', `${(batchShare * 100).toFixed(0)} %`, `${(batchIdeal / 1000).toFixed(2)} s / ${(median(batchWalls) / 1000).toFixed(2)} s, ${batchRuns} runs`, '>= 85 %');
console.log(`load average ${load()} at the end`);
