// What any client of this server takes for a batch's requests: the openai SDK alone sends the same
// request bodies a `draft batch` sent, `concurrency` at a time, and reads every streamed reply, with
// nothing else to do (no drafts, no files). bench/fixed-cost.ts prints it beside the batch figure as the
// floor the CLI is measured against on this machine and this server.
// Usage: node bench/sdk-floor.mjs BASE_URL BODIES.json CONCURRENCY
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const [baseURL, bodiesFile, concurrency] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
const client = new OpenAI({ baseURL, apiKey: 'sk-bench', maxRetries: 0, logLevel: 'off' });
let next = 0;
async function sender() {
  while (next < bodies.length) {
    const stream = await client.chat.completions.create(bodies[next++]);
    for await (const _chunk of stream);
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, sender));
