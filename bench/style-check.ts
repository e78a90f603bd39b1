/**
 * `draft check --style` on a blog of generated posts: is it fast enough for CI on every push?
 * Run: npx tsx bench/style-check.ts [posts=100] [words=1000] [runs=3]
 *
 * Each post has front matter, an introduction and five sections of plain prose with the things a real
 * post holds (a code block, inline code, links, a bare URL, a shortcode) and a few style problems
 * (an AI tell, a passive sentence, a doubled word). Timed in-process, through the command function:
 * the first run includes loading remark, retext and the plugins; the later ones are the steady state.
 * With a build in dist/ the CLI is timed too, as CI would run it (start-up included).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCheck } from '../src/commands/check.js';
import { DraftError } from '../src/core/errors.js';
import { createUi } from '../src/ui/ui.js';
import { BIN, REPO_ROOT } from '../test/support/cli.js';
import { fmt, median, timeProcess } from './stats.js';

const posts = Number(process.argv[2] ?? 100);
const words = Number(process.argv[3] ?? 1000);
const runs = Number(process.argv[4] ?? 3);

const SENTENCES = [
  'The team shipped the new release on Monday after a week of tests.',
  'Revenue grew by twelve percent, and most of it came from new customers in Europe.',
  'Our readers asked for a simpler setup, so we cut the install to one command.',
  'The cache keeps each reply for a day, which saves money on repeated runs.',
  'Analysts expect the market to settle once the price war ends.',
  'A smaller model can draft the sections while a stronger one plans the outline.',
  'We measured every step and kept the ones that paid for themselves.',
  'Costs fell because the servers now sleep when nobody uses them.',
];
const PROBLEMS = [
  'It is important to note that the the figures are early.',
  'The report was written by the finance team last spring.',
  'This launch is a game-changer for small labs.',
];

function post(i: number): string {
  let n = 0;
  const paragraph = (seed: number) => {
    const out: string[] = [];
    for (let k = 0; k < 5; k++) out.push(SENTENCES[(seed + k) % SENTENCES.length]!);
    n += out.join(' ').split(/\s+/).length;
    return out.join(' ');
  };
  const parts = [
    `---\ntitle: "Post ${i}"\n` +
      `date: 2026-01-${String((i % 28) + 1).padStart(2, '0')}\ndescription: A generated post for the benchmark.\n---\n`,
    paragraph(i),
  ];
  for (let s = 0; n < words; s++) {
    parts.push(`## Section ${s + 1}`, paragraph(i + s), PROBLEMS[(i + s) % PROBLEMS.length]!);
    if (s === 1) parts.push('```ts\nconst reply = await model.call({ prompt: "delve the the" });\n```');
    if (s === 2) parts.push('See [the docs](https://example.com/docs), `draft check`, and https://example.com/changelog for details.');
    if (s === 3) parts.push('{{< figure src="chart.png" caption="Revenue by quarter" >}}');
    parts.push(paragraph(i + s + 3));
  }
  return `${parts.join('\n\n')}\n`;
}

async function checkInProcess(dir: string, style = true): Promise<{ ms: number; problems: number }> {
  const sink = new PassThrough();
  let out = '';
  sink.on('data', (d: Buffer) => (out += d.toString()));
  const ui = await createUi(
    { stdout: sink, stderr: new PassThrough(), env: { NO_COLOR: '1' }, stdinIsTTY: false, stderrIsTTY: false },
    { interactive: false, debug: false },
  );
  const start = performance.now();
  try {
    await runCheck(['posts'], { style, json: true }, { ui, cwd: dir, env: {}, signal: new AbortController().signal, debug: false });
  } catch (error) {
    if (!(error instanceof DraftError)) throw error;
  }
  const ms = performance.now() - start;
  return { ms, problems: JSON.parse(out).problems.length };
}

const dir = await mkdtemp(join(tmpdir(), 'draft-bench-style-'));
try {
  await mkdir(join(dir, 'posts'));
  let totalWords = 0;
  for (let i = 0; i < posts; i++) {
    const text = post(i);
    totalWords += text.split(/\s+/).length;
    await writeFile(join(dir, 'posts', `post-${String(i).padStart(3, '0')}.md`), text);
  }
  const times: number[] = [];
  let problems = 0;
  for (let r = 0; r < runs + 1; r++) {
    const result = await checkInProcess(dir);
    times.push(result.ms);
    problems = result.problems;
  }
  const [first, ...rest] = times;
  const steady = median(rest);
  const plain: number[] = [];
  for (let r = 0; r < runs; r++) plain.push((await checkInProcess(dir, false)).ms);
  console.log(`draft check --style: ${posts} posts, ${totalWords} words in all, ${problems} problems found`);
  console.log(`  in-process, first run (loads remark/retext)  ${fmt(first!)}`);
  console.log(`  in-process, median of ${runs} later runs       ${fmt(steady)}  (${(steady / posts).toFixed(1)} ms a post)`);
  console.log(`  in-process, without --style, median of ${runs}  ${fmt(median(plain))}  (the other rules alone)`);
  console.log(`  machine load average while measuring: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  if (existsSync(join(REPO_ROOT, 'dist', 'commands', 'check.js'))) {
    const cli: number[] = [];
    for (let r = 0; r < runs; r++) {
      const result = await timeProcess(process.execPath, [BIN, 'check', '--style', 'posts'], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir },
      });
      if (result.code !== 1) throw new Error(`draft check --style exited ${result.code}: ${result.stderr.slice(-400)}`);
      cli.push(result.ms);
    }
    console.log(`  built CLI, median of ${runs} runs (start-up included)  ${fmt(median(cli))}`);
  } else {
    console.log('  (no build in dist/: run `npm run build` to time the CLI too)');
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
