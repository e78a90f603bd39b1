/**
 * `npm run demo`: the whole writer's path with no API key and no network. Starts the project's
 * scripted test model on 127.0.0.1 (the same one the tests use) and runs `draft new` against it
 * with the seed post's brief. The prose is filler; the structure is real.
 *
 * It says what it runs: the model is named "scripted-test-model" (provider custom), which has no
 * price, so the cost shows as unknown rather than a hosted model's made-up number. The draft goes to
 * demo-output/ (git-ignored) in the current folder, replaced on each run, never to drafts/.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { BIN } from '../test/support/cli.js';
import { scriptedModel } from '../test/support/scripted-model.js';
import { seedNewArgs } from '../test/support/seed-brief.js';
import { startTestServer } from '../test/support/test-server.js';

const OUT_DIR = 'demo-output';
const MODEL = 'scripted-test-model';

const server = await startTestServer({ handler: scriptedModel(), delayMs: 150 });
const args = [
  BIN,
  ...seedNewArgs(),
  '--yes',
  '--json',
  '--provider',
  'custom',
  '--base-url',
  server.url,
  '--model',
  MODEL,
  '--out',
  OUT_DIR,
  '--force',
  ...process.argv.slice(2),
];
process.stderr.write(
  `Demo: drafting the seed post with ${MODEL}, the project's scripted test model on ${server.url} (no key, no network).\n\n`,
);
// A placeholder key, so a real OPENAI_API_KEY in the environment is never sent to the demo server.
const child = spawn(process.execPath, args, {
  stdio: ['inherit', 'pipe', 'inherit'],
  env: { ...process.env, OPENAI_API_KEY: 'demo-key-not-secret' },
});
let stdout = '';
child.stdout.on('data', (d) => (stdout += d));
const code: number = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal === 'SIGINT' ? 130 : 1))));
await server.close();
if (code === 0) {
  const result = JSON.parse(stdout) as { path: string; title: string };
  const shown = relative(process.cwd(), result.path);
  const text = await readFile(result.path, 'utf8');
  const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
  const notes = /^In this collaboration, .*$/m.exec(text)?.[0];
  process.stdout.write(
    [
      '',
      `The draft is in ${shown} (${OUT_DIR}/ is git-ignored and replaced on each run).`,
      `  title     ${result.title}`,
      `  sections  introduction, ${headings.filter((h) => h !== 'Collaboration notes').join(', ')}`,
      ...(notes ? [`  notes     ${notes}`] : []),
      "  The prose is the scripted model's filler; the outline, parallel sections, link check, front matter and notes are the real path.",
      '',
      'Try next:',
      `  npx draft check ${shown}`,
      '      lints it: front matter, links, keywords, notes (no model needed)',
      `  npx draft revise ${shown} --focus finance`,
      '      steers it, showing a diff before writing (needs a real model: OPENAI_API_KEY, or --provider local)',
      '',
    ].join('\n'),
  );
}
process.exitCode = code;
