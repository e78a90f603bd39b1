import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from '../src/core/templates/template.js';
import { loadTokenCounter } from '../src/core/tokens.js';
import type { ChatMessage } from '../src/core/provider/types.js';
import { drafter, SEED, SEED_HEADINGS, writePost } from './fixtures/revise/harness.js';
import { REPO_ROOT } from './support/cli.js';
import { requestKind } from './support/scripted-model.js';
import type { RecordedRequest } from './support/test-server.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-revise-size-');
const draft = drafter(server, tempDir);

const messagesOf = (r: RecordedRequest): ChatMessage[] => r.body.messages;
const chars = (messages: ChatMessage[]) => messages.reduce((n, m) => n + m.content.length, 0);

async function measure(args: string[]): Promise<{ requests: number; chars: number; tokens: number }> {
  server().requests.length = 0;
  await writePost(tempDir(), 'post.md', SEED);
  const result = await draft(['revise', 'post.md', ...args, '--dry-run']);
  expect(result.code).toBe(0);
  const counter = await loadTokenCounter();
  const all = server().requests.map(messagesOf);
  return {
    requests: all.length,
    chars: all.reduce((n, m) => n + chars(m), 0),
    tokens: all.reduce((n, m) => n + counter.countMessages(m), 0),
  };
}

describe('what a revision sends (the seed post)', () => {
  it('a one-section revision sends far less than a whole-post request', async () => {
    const oneSection = await measure(['--focus', 'finance', '--section', 'The Market Fallout']);
    const wholePostTitle = await measure(['--title', '--focus', 'finance']);
    const everySection = await measure(['--focus', 'finance']);
    expect(server().requests.every((r) => requestKind(r) === 'revise')).toBe(true);

    // The same revision prompt with the whole post as its text: what one big "revise everything" call would send.
    const template = parseTemplate(
      'revise-section',
      'revise-section.md',
      await readFile(join(REPO_ROOT, 'src/prompts/revise-section.md'), 'utf8'),
    );
    const focus = (await readFile(join(REPO_ROOT, 'src/prompts/focus/finance.md'), 'utf8')).replace(/^---[\s\S]*?---\n/, '');
    const body = SEED.replace(/^---[\s\S]*?---\n/, '').trim();
    const single = renderTemplate(template, {
      title: 'DeepSeek’s Disruption: The Financial Ripple in the AI Ecosystem',
      topic: undefined,
      direction: undefined,
      audience: undefined,
      tone: undefined,
      instruction: undefined,
      outline: SEED_HEADINGS.map((h) => `- ${h}`).join('\n'),
      focusName: 'finance',
      focus,
      part: 'the whole post',
      heading: null,
      marker: '##',
      words: 900,
      text: body,
      excerpts: undefined,
      languageName: undefined,
      language: undefined,
    });
    const counter = await loadTokenCounter();
    const wholePostRevision = { requests: 1, chars: chars(single), tokens: counter.countMessages(single) };

    const figures = { oneSection, wholePostRevision, wholePostTitle, everySection, seedFileChars: SEED.length };
    console.log(`request sizes for the seed post: ${JSON.stringify(figures)}`);
    expect(oneSection.requests).toBe(1);
    // The seed is short (5.5 kB) and this is one of its longest sections; the fixed part (instructions,
    // headings, focus) is about 1.7 kB, so the gap only widens on longer posts.
    expect(oneSection.chars).toBeLessThan(wholePostRevision.chars * 0.45);
    expect(oneSection.tokens).toBeLessThan(wholePostRevision.tokens * 0.45);
    expect(oneSection.chars).toBeLessThan(wholePostTitle.chars * 0.5);
    // Every section in its own call costs more in total than one big call (the headings and focus repeat),
    // which is why --section exists; but no single call carries the whole post.
    expect(everySection.requests).toBe(SEED_HEADINGS.length + 1);
    expect(everySection.chars / everySection.requests).toBeLessThan(wholePostRevision.chars * 0.45);
  });
});
