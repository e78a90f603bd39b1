/**
 * (a) Start-up: `draft --help` against a bare `node -e 0`, interleaved so both see the same noise.
 * Run: npx tsx bench/startup.ts [runs]
 */
import { BIN } from '../test/support/cli.js';
import { fmt, median, timeProcess } from './stats.js';

const runs = Number(process.argv[2] ?? 21);
const bare: number[] = [];
const help: number[] = [];
const version: number[] = [];
for (let i = 0; i < runs; i++) {
  bare.push((await timeProcess(process.execPath, ['-e', '0'])).ms);
  const h = await timeProcess(process.execPath, [BIN, '--help']);
  if (h.code !== 0) throw new Error(`draft --help exited ${h.code}: ${h.stderr}`);
  help.push(h.ms);
  version.push((await timeProcess(process.execPath, [BIN, 'new', '--help'])).ms);
}
const b = median(bare);
console.log(`start-up, median of ${runs} interleaved runs`);
console.log(`  node -e 0          ${fmt(b)}`);
console.log(`  draft --help       ${fmt(median(help))}  (${(median(help) / b).toFixed(2)}x bare node, +${fmt(median(help) - b)})`);
console.log(`  draft new --help   ${fmt(median(version))}  (${(median(version) / b).toFixed(2)}x bare node)`);
