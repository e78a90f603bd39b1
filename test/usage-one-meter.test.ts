import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/core/document/front-matter.js';
import { UsageMeter } from '../src/core/drafting/model-call.js';
import { costOf, roundUsd } from '../src/core/pricing.js';
import { draft, manifestOf, put, readJson, useBatchEnv } from './fixtures/batch/harness.js';

const env = useBatchEnv();

async function frontMatterUsage(name: string): Promise<Record<string, unknown>> {
  const text = await readFile(join(env.dir, 'drafts', name), 'utf8');
  return (parseSource(text, name).data.draft_state as { usage: Record<string, unknown> }).usage;
}

describe('usage: one meter, one rule for cached replies', () => {
  it('a fully cached batch --force: the report and the front matter agree (nothing sent, nothing billed)', async () => {
    await put(env, 'briefs.yaml', manifestOf(2));
    const cache = ['--cache-dir', join(env.dir, 'cache')];
    const first = await draft(env, ['batch', 'briefs.yaml', ...cache, '--report', 'first.json']);
    expect(first.code).toBe(0);
    const paid = await readJson(env, 'first.json');
    expect(paid.totals.requests).toBeGreaterThan(0);
    // A fresh run sends everything: the report and the draft say the same about it.
    expect(await frontMatterUsage('post-1.md')).toEqual({
      inputTokens: paid.entries[0].tokens.input,
      outputTokens: paid.entries[0].tokens.output,
      requests: paid.entries[0].requests,
      costUsd: paid.entries[0].costUsd,
    });

    const sentBefore = env.server.requests.length;
    const again = await draft(env, ['batch', 'briefs.yaml', ...cache, '--force', '--report', 'cached.json']);
    expect(again.code).toBe(0);
    expect(env.server.requests.length).toBe(sentBefore);
    const cached = await readJson(env, 'cached.json');
    expect(cached.totals).toMatchObject({ ok: 2, requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(cached.totals.cachedRequests).toBe(paid.totals.requests);
    for (const entry of cached.entries) {
      expect(await frontMatterUsage(`${entry.id}.md`)).toEqual({ inputTokens: 0, outputTokens: 0, requests: 0, costUsd: 0 });
      expect(entry).toMatchObject({ requests: 0, tokens: { input: 0, output: 0 }, costUsd: 0 });
    }
  });

  it('costs are rounded once, to a millionth of a dollar, wherever they are stored', async () => {
    await put(env, 'briefs.yaml', manifestOf(3));
    expect((await draft(env, ['batch', 'briefs.yaml', '--no-cache', '--report', 'r.json'])).code).toBe(0);
    const report = await readJson(env, 'r.json');
    const costs = [report.totals.costUsd, ...report.entries.map((e: { costUsd: number }) => e.costUsd)];
    for (const cost of costs) expect(cost).toBe(roundUsd(cost));
    for (const entry of report.entries) expect((await frontMatterUsage(`${entry.id}.md`)).costUsd).toBe(entry.costUsd);
    expect(report.totals.costUsd).toBe(roundUsd(report.entries.reduce((n: number, e: { costUsd: number }) => n + e.costUsd, 0)));
  });

  it('the meter: a cached reply is counted, its tokens are not', () => {
    const meter = new UsageMeter();
    const reply = { text: 'x', finishReason: 'stop', usage: { inputTokens: 1000, outputTokens: 300 } } as const;
    meter.record({ ...reply } as never);
    meter.record({ ...reply, cached: true } as never);
    expect({ requests: meter.requests, cachedRequests: meter.cachedRequests, ...meter.usage }).toEqual({
      requests: 1,
      cachedRequests: 1,
      inputTokens: 1000,
      outputTokens: 300,
    });
    const info = { provider: 'openai', model: 'gpt-4o-mini' } as never;
    expect(meter.costUsd(info)).toBe(costOf(meter.usage, 'gpt-4o-mini'));
    expect(new UsageMeter().costUsd(info)).toBe(0);
    expect(costOf({ inputTokens: 2151, outputTokens: 1069 }, 'gpt-4o-mini')).toBe(0.000964);
  });
});
