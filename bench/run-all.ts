/** Runs every benchmark in turn. Each prints its own table. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const skip = new Set(['run-all.ts', 'stats.ts', 'profile-summary.ts']); // profile-summary.ts is a tool, given profiles
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !skip.has(f))
  .sort()) {
  console.log(`\n== bench/${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}/${file}`], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
