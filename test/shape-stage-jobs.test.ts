/** Issue 10: what a provider-batch stage sends, now in stage-jobs.ts, behaves as it did inside the collector. */
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../src/core/provider/types.js';
import { jobInputFiles, stageEstimateUsd, stageLabel, type Held } from '../src/core/batch/provider-batch/stage-jobs.js';

const held = (customId: string, content: string, targetWords?: number): Held => {
  const request = { purpose: customId, messages: [{ role: 'user', content }], ...(targetWords ? { targetWords } : {}) } as ChatRequest;
  const body = { model: 'm', messages: request.messages };
  return {
    item: {} as Held['item'],
    modelKey: '',
    customId,
    request,
    body,
    hash: '',
    resubmitted: false,
    settled: false,
    resolve: () => {},
    reject: () => {},
  };
};

describe('a stage on paper', () => {
  it('writes one JSONL input file, one request line per held call, in order', () => {
    const files = jobInputFiles([held('a:outline:1', 'first'), held('b:outline:1', 'second')]);
    expect(files).toHaveLength(1);
    const lines = files[0]!.jsonl.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      {
        custom_id: 'a:outline:1',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'm', messages: [{ role: 'user', content: 'first' }] },
      },
      {
        custom_id: 'b:outline:1',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'm', messages: [{ role: 'user', content: 'second' }] },
      },
    ]);
    expect(files[0]!.part.map((h) => h.customId)).toEqual(['a:outline:1', 'b:outline:1']);
  });

  it('estimates input at 4 characters a token and output from the word target, else 400 tokens', () => {
    const lines = [held('a:section-1:1', 'x'.repeat(100), 100), held('a:link-1a:1', 'y')];
    const seen: { inputTokens: number; outputTokens: number }[] = [];
    const total = stageEstimateUsd(lines, (usage) => {
      seen.push(usage);
      return usage.inputTokens + usage.outputTokens;
    });
    const chars = (h: Held) => JSON.stringify(h.body.messages).length;
    expect(seen).toEqual([
      { inputTokens: Math.ceil(chars(lines[0]!) / 4), outputTokens: 135 },
      { inputTokens: Math.ceil(chars(lines[1]!) / 4), outputTokens: 400 },
    ]);
    expect(total).toBe(seen.reduce((n, u) => n + u.inputTokens + u.outputTokens, 0));
  });

  it('labels a stage by what it holds, first tries before retries', () => {
    expect(stageLabel([held('a:section-1:1', ''), held('b:outline:2', ''), held('c:outline:1', '')])).toBe(
      'outlines + sections + outline retries',
    );
    expect(stageLabel([held('a:link-1a2b:1', '')])).toBe('link repairs');
  });
});
