import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, baseEnv } from '../test/support/cli.js';
import { scriptedModel } from '../test/support/scripted-model.js';
import { startTestServer } from '../test/support/test-server.js';
const manifest = [
  'defaults:',
  '  sections: 5',
  '  author: Bench',
  'briefs:',
  ...Array.from({ length: 48 }, (_, i) => [`  - id: post-${i + 1}`, `    topic: Benchmark topic ${i + 1}`]).flat(),
].join('\n');
const server = await startTestServer({ handler: scriptedModel(), delayMs: 100 });
const variants = (process.env.VARIANTS ?? '').split('|');
for (let i = 0; i < Number(process.env.RUNS ?? 1); i++)
  for (const v of variants) {
    const dir = await mkdtemp(join(tmpdir(), 'bp-'));
    await writeFile(join(dir, 'briefs.yaml'), manifest);
    const t = Date.now();
    const extra = v.split(' ').filter(Boolean);
    const code = await new Promise((r) =>
      spawn(process.execPath, [BIN, 'batch', 'briefs.yaml', '--concurrency', '16', '--base-url', server.url, ...extra], {
        cwd: dir,
        env: { ...baseEnv(dir), OPENAI_API_KEY: 'sk-b' },
        stdio: 'ignore',
      }).on('exit', r),
    );
    console.log(v || 'default', Date.now() - t, code);
  }
await server.close();
