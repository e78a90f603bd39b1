/**
 * `npm run demo`: the whole writer's path with no API key and no network. Starts the project's
 * scripted test model on 127.0.0.1 (the same one the tests use) and runs `draft new` against it
 * with the seed post's brief, then prints the draft. The prose is filler; the structure is real.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { BIN } from '../test/support/cli.js';
import { scriptedModel } from '../test/support/scripted-model.js';
import { seedNewArgs } from '../test/support/seed-brief.js';
import { startTestServer } from '../test/support/test-server.js';

const server = await startTestServer({ handler: scriptedModel(), delayMs: 150 });
const args = [
  BIN,
  ...seedNewArgs(),
  '--yes',
  '--json',
  '--base-url',
  server.url,
  ...process.argv.slice(2),
];
const child = spawn(process.execPath, args, { stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, OPENAI_API_KEY: 'demo-key-not-secret' } });
let stdout = '';
child.stdout.on('data', (d) => (stdout += d));
const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
await server.close();
if (code === 0) {
  const { path } = JSON.parse(stdout);
  process.stdout.write(`\n----- ${path} -----\n${await readFile(path, 'utf8')}`);
}
process.exitCode = code;
