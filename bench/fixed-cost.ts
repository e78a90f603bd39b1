/**
 * The four fixed-cost figures of issue 15, in one run, against the test server (real sockets):
 *   1. `draft --help` / bare `node -e 0` (interleaved, so both see the same machine noise);
 *   2. `draft new` (5 sections, --concurrency 8) wall / critical-path ideal, server answering every
 *      request after 500 ms: outline, then all six parts at once, so 2 round trips = 1.0 s;
 *   3. CPU (user+sys, all threads) per `draft new`, read from the child itself (bench/report-usage.mjs);
 *   4. a batch of 48 briefs at --concurrency 16, 100 ms per request: ideal / wall, as a percentage;
 *   and, beside them, when `draft new` sends its first request (wall since the process began, and CPU so
 *   far), read from the child by bench/first-request.mjs: the start-up alone, before the model is asked;
 *   and the floors of figures 2 and 4: the same request bodies sent by the openai SDK alone, with no CLI
 *   around it (bench/sdk-floor.mjs).
 * Run: npx tsx bench/fixed-cost.ts [helpRuns=21] [newRuns=7] [batchRuns=3]
 * DRAFT_BENCH_BIN=a/bin/draft.js,b/bin/draft.js compares builds, their runs interleaved so that each
 * sees the same load (default: this checkout's bin/draft.js).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN as DEFAULT_BIN, baseEnv } from '../test/support/cli.js';
import { scriptedModel } from '../test/support/scripted-model.js';
import { startTestServer } from '../test/support/test-server.js';
import { fmt, median, timeProcess } from './stats.js';

// Absolute, since each `draft new` runs in its own temporary folder.
const BINS = (process.env.DRAFT_BENCH_BIN ?? DEFAULT_BIN).split(',').map((b) => resolve(b));
const USAGE_HOOK = fileURLToPath(new URL('./report-usage.mjs', import.meta.url));
const FIRST_REQUEST_HOOK = fileURLToPath(new URL('./first-request.mjs', import.meta.url));
const SDK_FLOOR = fileURLToPath(new URL('./sdk-floor.mjs', import.meta.url));
const helpRuns = Number(process.argv[2] ?? 21);
const newRuns = Number(process.argv[3] ?? 7);
const batchRuns = Number(process.argv[4] ?? 3);
const node = process.execPath;
const load = () => loadavg()[0]!.toFixed(1);
const env = (dir: string) => ({ ...baseEnv(dir), OPENAI_API_KEY: 'sk-bench' });

interface Figures {
  help: number[];
  newWall: number[];
  newCpu: number[];
  batchWall: number[];
  firstMs: number[];
  firstCpu: number[];
}
const figures = new Map<string, Figures>(
  BINS.map((b) => [b, { help: [], newWall: [], newCpu: [], batchWall: [], firstMs: [], firstCpu: [] }]),
);
const bare: number[] = [];

console.log(`fixed cost, Node ${process.version}, ${BINS.length} build(s), load average ${load()} at the start`);

// 1. --help against bare node.
for (let i = 0; i < helpRuns; i++) {
  bare.push((await timeProcess(node, ['-e', '0'])).ms);
  for (const bin of BINS) {
    const h = await timeProcess(node, [bin, '--help']);
    if (h.code !== 0) throw new Error(`${bin} --help exited ${h.code}: ${h.stderr}`);
    figures.get(bin)!.help.push(h.ms);
  }
}

// 2 and 3. draft new at c8 against a 500 ms server; CPU from a second run with the usage hook.
const NEW_DELAY = 500;
const newServer = await startTestServer({ handler: scriptedModel(), delayMs: NEW_DELAY });
const newArgs = (dir: string) => [
  'new',
  '--topic',
  'Benchmarks',
  '--sections',
  '5',
  '--concurrency',
  '8',
  '--base-url',
  newServer.url,
  '--yes',
  '--out',
  join(dir, 'drafts'),
];
// The floor (bench/sdk-floor.mjs): the first run's outline request, then its six parts, from the SDK alone.
const floorDir = await mkdtemp(join(tmpdir(), 'bench-fixed-floor-'));
const newFloor = join(floorDir, 'new.json');
const newFloorWall: number[] = [];
const newFloorCpu: number[] = [];
for (let i = 0; i < newRuns; i++) {
  for (const bin of BINS) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-fixed-'));
    const before = newServer.requests.length;
    const r = await timeProcess(node, [bin, ...newArgs(dir)], { cwd: dir, env: env(dir) });
    if (r.code !== 0) throw new Error(`draft new failed: ${r.stderr}`);
    if (i === 0 && bin === BINS[0]) {
      const [outline, ...parts] = newServer.requests.slice(before).map((req) => req.body);
      await writeFile(newFloor, JSON.stringify([[outline], parts]));
    }
    const usageFile = join(dir, 'usage.json');
    const firstFile = join(dir, 'first-request.json');
    const c = await timeProcess(node, ['--import', USAGE_HOOK, '--import', FIRST_REQUEST_HOOK, bin, ...newArgs(dir), '--force'], {
      cwd: dir,
      env: { ...env(dir), DRAFT_BENCH_USAGE_FILE: usageFile, DRAFT_BENCH_FIRST_REQUEST_FILE: firstFile },
    });
    if (c.code !== 0) throw new Error(`draft new failed: ${c.stderr}`);
    const u = JSON.parse(await readFile(usageFile, 'utf8'));
    const first = JSON.parse(await readFile(firstFile, 'utf8'));
    figures.get(bin)!.firstMs.push(first.ms);
    figures.get(bin)!.firstCpu.push(first.cpuMs);
    figures.get(bin)!.newWall.push(r.ms);
    figures.get(bin)!.newCpu.push(u.userMs + u.systemMs);
    await rm(dir, { recursive: true, force: true });
  }
  const floor = await floorRun(newServer.url, newFloor, 8, join(floorDir, 'usage.json'));
  newFloorWall.push(floor.ms);
  newFloorCpu.push(floor.cpuMs!);
}
await newServer.close();

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
// The floor: the first run's request bodies in one round, from the SDK alone.
const batchFloor = join(floorDir, 'batch.json');
const floorWall: number[] = [];
for (let i = 0; i < batchRuns; i++) {
  for (const bin of BINS) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-fixed-batch-'));
    await writeFile(join(dir, 'briefs.yaml'), manifest);
    const before = batchServer.requests.length;
    const r = await timeProcess(node, [bin, 'batch', 'briefs.yaml', '--concurrency', String(concurrency), '--base-url', batchServer.url], {
      cwd: dir,
      env: env(dir),
    });
    if (r.code !== 0) throw new Error(`draft batch failed (${r.code}): ${r.stderr}`);
    const sent = batchServer.requests.length - before;
    if (sent < briefs * perDraft) throw new Error(`expected at least ${briefs * perDraft} requests, saw ${sent}`);
    figures.get(bin)!.batchWall.push(r.ms);
    if (i === 0 && bin === BINS[0])
      await writeFile(batchFloor, JSON.stringify([batchServer.requests.slice(before).map((req) => req.body)]));
    await rm(dir, { recursive: true, force: true });
  }
  floorWall.push((await floorRun(batchServer.url, batchFloor, concurrency)).ms);
}
await rm(floorDir, { recursive: true, force: true });
await batchServer.close();

/** One run of the floor client over the rounds in `file`: its wall time, and its CPU when `usageFile` is given. */
async function floorRun(url: string, file: string, limit: number, usageFile?: string): Promise<{ ms: number; cpuMs?: number }> {
  const hook = usageFile ? ['--import', USAGE_HOOK] : [];
  const r = await timeProcess(node, [...hook, SDK_FLOOR, url, file, String(limit)], {
    env: usageFile ? { ...process.env, DRAFT_BENCH_USAGE_FILE: usageFile } : process.env,
  });
  if (r.code !== 0) throw new Error(`the SDK floor client failed (${r.code}): ${r.stderr}`);
  if (!usageFile) return { ms: r.ms };
  const u = JSON.parse(await readFile(usageFile, 'utf8'));
  return { ms: r.ms, cpuMs: u.userMs + u.systemMs };
}

const newIdeal = 2 * NEW_DELAY;
const batchIdeal = (briefs * perDraft * BATCH_DELAY) / concurrency;
const row = (figure: string, value: string, target: string, detail: string) =>
  console.log(`${figure.padEnd(44)}${value.padEnd(10)}${target.padEnd(10)}${detail}`);
for (const bin of BINS) {
  const f = figures.get(bin)!;
  console.log(`\n${bin}`);
  row('figure', 'value', 'target', 'medians');
  row(
    'draft --help / bare node',
    `${(median(f.help) / median(bare)).toFixed(2)}x`,
    '<= 1.3x',
    `${fmt(median(f.help))} / ${fmt(median(bare))}, ${helpRuns} runs`,
  );
  row(
    'draft new wall / ideal (500 ms, c8)',
    `${(median(f.newWall) / newIdeal).toFixed(2)}x`,
    '<= 1.25x',
    `${fmt(median(f.newWall))} / ${fmt(newIdeal)}, ${newRuns} runs`,
  );
  row('CPU per draft new', `${(median(f.newCpu) / 1000).toFixed(2)} s`, '<= 0.4 s', `user+sys, ${newRuns} runs`);
  row(
    'draft new: first request sent at',
    fmt(median(f.firstMs)),
    '',
    `after ${fmt(median(f.firstCpu))} of CPU (all threads), ${newRuns} runs`,
  );
  row(
    'batch of 48 at c16, 100 ms: ideal / wall',
    `${((batchIdeal / median(f.batchWall)) * 100).toFixed(0)} %`,
    '>= 85 %',
    `${(batchIdeal / 1000).toFixed(2)} s / ${(median(f.batchWall) / 1000).toFixed(2)} s, ${batchRuns} runs`,
  );
}
console.log('\nthe floor: the same requests from the openai SDK alone (bench/sdk-floor.mjs), no CLI');
if (newRuns > 0)
  row(
    'SDK alone, draft new requests / ideal',
    `${(median(newFloorWall) / newIdeal).toFixed(2)}x`,
    '',
    `${fmt(median(newFloorWall))} / ${fmt(newIdeal)}, ${newRuns} runs`,
  );
if (newRuns > 0) row('SDK alone, draft new requests: CPU', `${(median(newFloorCpu) / 1000).toFixed(2)} s`, '', `user+sys, ${newRuns} runs`);
if (batchRuns > 0)
  row(
    'SDK alone, batch requests: ideal / wall',
    `${((batchIdeal / median(floorWall)) * 100).toFixed(0)} %`,
    '',
    `${(batchIdeal / 1000).toFixed(2)} s / ${(median(floorWall) / 1000).toFixed(2)} s, ${batchRuns} runs`,
  );
console.log(`\nload average ${load()} at the end`);
