/**
 * Real in-process inference with the shared 1 MB test model (stories260K.gguf: it writes
 * children's stories, so these tests judge structure, never prose).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InterruptedError, ProviderError, UsageError } from '../src/core/errors.js';
import { defaultThreads } from '../src/core/local/threads.js';
import { createLocalProvider } from '../src/core/provider/local-provider.js';
import { OUTLINE_JSON_SCHEMA } from '../src/core/drafting/outline.js';
import { localEngineUnavailable, localSettings } from './support/test-model.js';
import type { ChatMessage, ChatProvider, JsonSchemaSpec } from '../src/core/provider/types.js';

const unavailable = await localEngineUnavailable('local inference tests');

const story: ChatMessage[] = [
  { role: 'system', content: 'You tell short stories.' },
  { role: 'user', content: 'Tell me a story about a cat and a dog.' },
];

const OUTLINE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'description', 'sections'],
  properties: {
    title: { type: 'string' },
    description: { type: 'string' },
    sections: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['heading', 'brief'],
        properties: { heading: { type: 'string' }, brief: { type: 'string' } },
      },
    },
  },
};

const Outline = z.strictObject({
  title: z.string(),
  description: z.string(),
  sections: z.array(z.strictObject({ heading: z.string(), brief: z.string() })),
});

describe.skipIf(unavailable !== undefined)('local provider (stories260K.gguf)', () => {
  let provider: ChatProvider;
  const debugLines: string[] = [];

  beforeAll(async () => {
    // Seeded, so the replies that must end by themselves (finishReason stop) do so on every machine.
    provider = await createLocalProvider(localSettings({ seed: 5 }), { debug: (line) => debugLines.push(line) });
  });
  afterAll(async () => {
    await provider?.close?.();
  });

  it('reports itself as local, named after the file', () => {
    expect(provider.info).toEqual({ provider: 'local', model: 'stories260K.gguf', local: true });
    expect(debugLines.join('\n')).toMatch(/no chat template in the GGUF file/);
  });

  it('produces grammar-constrained JSON that parses and matches the schema, every time', async () => {
    for (const temperature of [0, 0.7, 1.2]) {
      const result = await provider.chat({
        purpose: 'outline',
        messages: [...story, { role: 'user', content: 'Reply with an outline as JSON.' }],
        json: { name: 'outline', schema: OUTLINE_SCHEMA },
        temperature,
        maxTokens: 1500,
      });
      expect(result.structuredMode).toBe('grammar');
      expect(result.finishReason).toBe('stop');
      const parsed = Outline.parse(JSON.parse(result.text));
      expect(typeof parsed.title).toBe('string');
    }
  });

  it("constrains replies to the drafting pipeline's own outline schema", async () => {
    const result = await provider.chat({
      purpose: 'outline',
      messages: [...story, { role: 'user', content: 'Reply with an outline as JSON.' }],
      json: OUTLINE_JSON_SCHEMA as unknown as JsonSchemaSpec,
      maxTokens: 1500,
    });
    expect(result.finishReason).toBe('stop');
    const parsed = JSON.parse(result.text) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['description', 'intro', 'sections', 'tags', 'title']);
    expect(Array.isArray(parsed.sections)).toBe(true);
  });

  it('streams deltas that add up to the reply, and counts tokens with the model tokenizer', async () => {
    const deltas: string[] = [];
    const result = await provider.chat({
      purpose: 'story',
      messages: story,
      maxTokens: 60,
      onDelta: (text) => deltas.push(text),
    });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(result.text);
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.usage.inputTokens).toBeGreaterThan(10);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeLessThanOrEqual(60);
  });

  it("reports finishReason 'length' when maxTokens cuts the reply", async () => {
    const result = await provider.chat({ purpose: 'story', messages: story, maxTokens: 5, temperature: 0 });
    expect(result.finishReason).toBe('length');
    expect(result.usage.outputTokens).toBe(5);
  });

  it('stops promptly with InterruptedError when the caller aborts mid-stream', async () => {
    const controller = new AbortController();
    let deltasAfterAbort = 0;
    const pending = provider.chat({
      purpose: 'story',
      messages: story,
      maxTokens: 1500,
      signal: controller.signal,
      onDelta: () => (controller.signal.aborted ? deltasAfterAbort++ : controller.abort()),
    });
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
    // Generation stopped at the abort: no more text came, of the 1500 tokens it was allowed.
    expect(deltasAfterAbort).toBe(0);
    // The sequence went back to the pool: the provider still answers.
    const after = await provider.chat({ purpose: 'after abort', messages: story, maxTokens: 5 });
    expect(after.usage.outputTokens).toBeGreaterThan(0);
  });

  it('refuses an already-aborted request without touching the model', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(provider.chat({ purpose: 'x', messages: story, signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
  });

  it("reports a prompt longer than the context window as 'context-overflow', with both numbers", async () => {
    const huge = 'The cat sat on the mat and looked at the dog. '.repeat(400);
    const error = await provider
      .chat({ purpose: 'section 2', messages: [{ role: 'user', content: huge }], maxTokens: 10 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('context-overflow');
    expect((error as ProviderError).message).toMatch(
      /section 2: the prompt is \d{4,} tokens but the local model's context window is 2048 tokens/,
    );
  });

  it("reports a reply that outgrows the context window as 'context-overflow', not as the caller's limit", async () => {
    const small = await createLocalProvider(localSettings({ contextSize: 256, maxSequences: 1 }));
    try {
      const nearlyFull = 'The cat sat on the mat. '.repeat(21);
      const error = await small
        .chat({ purpose: 'section 4', messages: [{ role: 'user', content: nearlyFull }], temperature: 0 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('context-overflow');
      expect((error as ProviderError).message).toMatch(
        /^section 4: the prompt \(\d+ tokens\) left room for only \d+ tokens of reply in the local model's 256-token context window/,
      );
    } finally {
      await small.close?.();
    }
  });

  it('serves concurrent chats from one model load', async () => {
    const loadsBefore = debugLines.filter((l) => l.includes('loaded in')).length;
    const results = await Promise.all([1, 2, 3].map((n) => provider.chat({ purpose: `section ${n}`, messages: story, maxTokens: 20 })));
    for (const result of results) expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(debugLines.filter((l) => l.includes('loaded in')).length).toBe(loadsBefore);
    expect(loadsBefore).toBe(1);
  });
});

describe.skipIf(unavailable !== undefined)('local provider lifecycle', () => {
  it('queues requests beyond maxSequences, and an abort takes a waiting request out of the queue', async () => {
    const provider = await createLocalProvider(localSettings({ maxSequences: 1 }));
    try {
      const waiting = new AbortController();
      const first = provider.chat({ purpose: 'first', messages: story, maxTokens: 200 });
      const second = provider.chat({ purpose: 'second', messages: story, maxTokens: 200, signal: waiting.signal });
      const third = provider.chat({ purpose: 'third', messages: story, maxTokens: 10 });
      waiting.abort();
      await expect(second).rejects.toBeInstanceOf(InterruptedError);
      const [a, c] = await Promise.all([first, third]);
      expect(a.usage.outputTokens).toBeGreaterThan(0);
      expect(c.usage.outputTokens).toBeGreaterThan(0);
    } finally {
      await provider.close?.();
    }
  });

  it('close() frees the model; a new provider loads again; the closed one refuses work', async () => {
    const first = await createLocalProvider(localSettings({ maxSequences: 2 }));
    await first.chat({ purpose: 'warm-up', messages: story, maxTokens: 5 });
    await first.close?.();
    await first.close?.(); // twice is harmless
    await expect(first.chat({ purpose: 'late', messages: story })).rejects.toMatchObject({ kind: 'server' });

    const second = await createLocalProvider(localSettings({ maxSequences: 2 }));
    try {
      const result = await second.chat({ purpose: 'again', messages: story, maxTokens: 5 });
      expect(result.usage.outputTokens).toBeGreaterThan(0);
    } finally {
      await second.close?.();
    }
  });

  it("turns a stall longer than timeoutMs into ProviderError 'timeout'", async () => {
    const provider = await createLocalProvider(localSettings({}, 30));
    try {
      const error = await provider
        .chat({
          purpose: 'slow section',
          messages: story,
          maxTokens: 200,
          // Block the event loop past the idle timeout after the first token, as a stalled engine would.
          onDelta: () => {
            const until = performance.now() + 80;
            while (performance.now() < until);
          },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('timeout');
      expect((error as ProviderError).message).toMatch(/slow section: the local model produced no token for 30 ms$/);
    } finally {
      await provider.close?.();
    }
  });
});

describe('local provider set-up errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'draft-local-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says exactly how to install node-llama-cpp when it is missing', async () => {
    const missing = () =>
      Promise.reject(Object.assign(new Error("Cannot find package 'node-llama-cpp'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    // The binding is loaded after the file is checked, and only the file's first bytes are read.
    const file = join(dir, 'header-only.gguf');
    await writeFile(file, Buffer.concat([Buffer.from('GGUF\x03\x00\x00\x00', 'latin1'), Buffer.alloc(64)]));
    const error = await createLocalProvider(localSettings({ modelPath: file }), { importer: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('not-installed');
    expect((error as ProviderError).message).toBe('--provider local: node-llama-cpp is not installed');
    expect((error as ProviderError).hint).toContain('npm install node-llama-cpp@3.21.1');
    expect((error as ProviderError).hint).toContain('npm install -g node-llama-cpp@3.21.1');
  });

  it('names a missing model file', async () => {
    const file = join(dir, 'nope.gguf');
    const error = await createLocalProvider(localSettings({ modelPath: file })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`--model-path: model file not found: ${file}`);
  });

  it('refuses a file that is not GGUF, naming it', async () => {
    const file = join(dir, 'notes.gguf');
    await writeFile(file, '# not a model\n');
    const error = await createLocalProvider(localSettings({ modelPath: file })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`--model-path: ${file} is not a GGUF model file`);
  });

  it('rejects a nonsensical thread count', async () => {
    await expect(createLocalProvider(localSettings({ threads: 0 }))).rejects.toThrow(/local\.threads: must be a whole number/);
  });
});

describe('default thread count', () => {
  it('leaves one core free, uses at most 4, never more than the process may use', () => {
    expect(defaultThreads(2, 2)).toBe(1);
    expect(defaultThreads(4, 4)).toBe(3);
    expect(defaultThreads(16, 16)).toBe(4);
    expect(defaultThreads(8, 1)).toBe(1);
    expect(defaultThreads(0, 0)).toBe(1);
  });
});
