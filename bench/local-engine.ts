/**
 * The in-process engine on the shared test model (../shared/models/stories260K.gguf): model load
 * time (file to ready context; the llama.cpp binding itself loads once per process and is timed
 * separately) and generation speed, free text and grammar-constrained JSON, for 1 and 2 threads.
 * Medians over several runs in one process. Tiny-model figures measure engine overhead, not what
 * a 3B model will do; the load average is printed because spinning llama.cpp threads are very
 * sensitive to other work on the same cores.
 * Run: npx tsx bench/local-engine.ts [runs] [maxTokens]
 */
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNodeLlamaCpp } from '../src/core/local/load-binding.js';
import { sharedLlama } from '../src/core/local/shared-llama.js';
import { createLocalProvider } from '../src/core/provider/local-provider.js';
import type { ChatMessage, ChatRequest, ProviderSettings } from '../src/core/provider/types.js';
import { fmt, median } from './stats.js';

const runs = Number(process.argv[2] ?? 7);
const maxTokens = Number(process.argv[3] ?? 256);
const MODEL = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '..', 'shared', 'models', 'stories260K.gguf');

const messages: ChatMessage[] = [
  { role: 'system', content: 'You tell short stories.' },
  { role: 'user', content: 'Tell me a long story about a cat, a dog and a big red ball.' },
];
const outline = {
  name: 'outline',
  schema: {
    type: 'object',
    properties: {
      title: { type: 'string' },
      sections: { type: 'array', items: { type: 'object', properties: { heading: { type: 'string' }, brief: { type: 'string' } } } },
    },
  },
};

function settings(threads: number): ProviderSettings {
  return {
    provider: 'local',
    baseURL: '',
    model: 'stories260K.gguf',
    timeoutMs: 60_000,
    maxRetries: 0,
    retryAfterCapMs: 0,
    backoffBaseMs: 0,
    local: { modelPath: MODEL, threads, contextSize: 2048, maxSequences: 1 },
  };
}

let started = performance.now();
await sharedLlama(await loadNodeLlamaCpp());
const bindingMs = performance.now() - started;

console.log(`local engine, ${MODEL.split('/').pop()}, median of ${runs} runs, up to ${maxTokens} tokens per reply`);
console.log(
  `cores ${os.cpus().length}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`llama.cpp binding load (once per process): ${fmt(bindingMs)}`);
console.log('threads  model load  text tok/s  json tok/s  tokens/reply');

for (const threads of [1, 2]) {
  const loads: number[] = [];
  const textRates: number[] = [];
  const jsonRates: number[] = [];
  const tokens: number[] = [];
  for (let i = 0; i < runs; i++) {
    started = performance.now();
    const provider = await createLocalProvider(settings(threads));
    loads.push(performance.now() - started);
    try {
      const text = await rate(provider.chat.bind(provider), { purpose: 'bench', messages, maxTokens, temperature: 0.8 });
      textRates.push(text.perSecond);
      tokens.push(text.tokens);
      const json = await rate(provider.chat.bind(provider), {
        purpose: 'bench json',
        messages,
        maxTokens,
        json: outline,
        temperature: 0.8,
      });
      jsonRates.push(json.perSecond);
    } finally {
      await provider.close?.();
    }
  }
  console.log(
    `${String(threads).padEnd(9)}${fmt(median(loads)).padEnd(12)}${median(textRates).toFixed(0).padEnd(12)}` +
      `${median(jsonRates).toFixed(0).padEnd(12)}${median(tokens)}`,
  );
}

async function rate(
  chat: (request: ChatRequest) => Promise<{ usage: { outputTokens: number } }>,
  request: ChatRequest,
): Promise<{ perSecond: number; tokens: number }> {
  const t0 = performance.now();
  const result = await chat(request);
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: result.usage.outputTokens / seconds, tokens: result.usage.outputTokens };
}
