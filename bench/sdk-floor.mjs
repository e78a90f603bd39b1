// What any client of the test server takes for the requests a command sent: the openai SDK alone sends
// the same request bodies, round after round (a `draft new`: the outline, then its six parts; a batch:
// all of its requests in one round), `concurrency` at a time, reading every streamed reply, with nothing
// else to do (no drafts, no files). bench/fixed-cost.ts prints it as the floor of its figures.
// Usage: node bench/sdk-floor.mjs BASE_URL ROUNDS.json CONCURRENCY   (ROUNDS.json: [[body, ...], ...])
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const [baseURL, roundsFile, concurrency] = process.argv.slice(2);
const rounds = JSON.parse(readFileSync(roundsFile, 'utf8'));
const client = new OpenAI({ baseURL, apiKey: 'sk-bench', maxRetries: 0, logLevel: 'off' });
for (const bodies of rounds) {
  let next = 0;
  const sender = async () => {
    while (next < bodies.length) {
      const stream = await client.chat.completions.create(bodies[next++]);
      for await (const _chunk of stream);
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, sender));
}
