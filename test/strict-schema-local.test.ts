/**
 * The local engine turns the generated schema's grammar variant (zod's limits kept) into a grammar:
 * even the 1 MB test model then writes replies that pass the same zod validation on the first try.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutlineSchema, outlineSchemaFor } from '../src/core/drafting/outline.js';
import { createLocalProvider } from '../src/core/provider/local-provider.js';
import type { ChatMessage, ChatProvider } from '../src/core/provider/types.js';
import { SEO_JSON_SCHEMA } from '../src/core/revise/seo.js';
import { parseProposals, TITLES_JSON_SCHEMA } from '../src/core/revise/title-proposals.js';
import { localEngineUnavailable, localSettings } from './support/test-model.js';

const unavailable = await localEngineUnavailable('local grammar tests');

const ask: ChatMessage[] = [{ role: 'user', content: 'Reply as JSON.' }];

describe.skipIf(unavailable !== undefined)('generated grammar schemas on the local engine', () => {
  let provider: ChatProvider;
  beforeAll(async () => {
    // Seeded: at temperature 0.8 an unseeded run could ramble past maxTokens on one machine and not another.
    provider = await createLocalProvider(localSettings({ seed: 11 }));
  });
  afterAll(async () => {
    await provider?.close?.();
  });

  it('an outline with exactly the sections asked for, every string within its limits', async () => {
    const json = outlineSchemaFor({ topic: 't', keywords: [], links: [], sections: 2 } as never);
    const result = await provider.chat({ purpose: 'outline', messages: ask, json, maxTokens: 1500, temperature: 0.8 });
    expect(result.structuredMode).toBe('grammar');
    const outline = OutlineSchema.parse(JSON.parse(result.text));
    expect(outline.sections).toHaveLength(2);
    expect(outline.description.length).toBeLessThanOrEqual(160);
    expect(outline.tags.length).toBeLessThanOrEqual(6);
  });

  it('title proposals and an SEO reply that validate first time', async () => {
    const titles = await provider.chat({ purpose: 'titles', messages: ask, json: TITLES_JSON_SCHEMA, maxTokens: 600, temperature: 0.8 });
    expect(titles.finishReason).toBe('stop');
    const parsed = JSON.parse(titles.text) as { titles: { title: string }[] };
    expect(parsed.titles.length).toBeGreaterThan(0);
    expect(parsed.titles.every((t) => t.title.trim().length > 0 && t.title.length <= 200)).toBe(true);
    expect(parseProposals(titles.text, '').problem).toBeUndefined();

    const seo = await provider.chat({ purpose: 'seo', messages: ask, json: SEO_JSON_SCHEMA, maxTokens: 800, temperature: 0.8 });
    expect(seo.finishReason).toBe('stop');
    const reply = JSON.parse(seo.text) as Record<string, unknown>;
    expect(Object.keys(reply).sort()).toEqual(['description', 'headings', 'introduction', 'title']);
    expect(String(reply.description).length).toBeGreaterThan(0);
  });
});
