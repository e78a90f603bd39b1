/**
 * End to end, in process: `draft new` with section replies full of Markdown that a parse of the notes
 * or a careless reuse of trees could get wrong. The stored section hashes must be what a later
 * `draft revise` computes from the file it reads (parseBody on the whole body), and the front matter
 * must read back as written.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/core/document/front-matter.js';
import { contentHash, parseBody, sectionText } from '../src/core/document/sections.js';
import { runDraft } from './support/run-command.js';
import { scriptedModel, type RequestKind } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';
import type { RecordedRequest } from './support/test-server.js';

const { server, tempDir } = useServerAndTempDir();

const TRICKY = [
  'A paragraph first, with a [reference link][ref] and a note[^1].',
  '',
  '```md',
  '## Not a heading, inside a fence',
  '```',
  '',
  '- ## A heading inside a list',
  '- an item',
  '',
  '> ## A heading inside a quote',
  '',
  'A setext heading',
  '----------------',
  '',
  'Text under it: with a colon, and #hash.',
  '',
  '[ref]: https://example.com/ref',
  '',
  '[^1]: A footnote.',
].join('\n');

// Written as remark writes it, with no definitions: the post's tree is built from the replies' trees.
const CANONICAL = [
  'A paragraph with *emphasis*, **strong** and `code`.',
  '',
  '> A quote',
  '',
  '### A sub-heading of its own',
  '',
  '| a | b |',
  '| - | - |',
  '| 1 | 2 |',
  '',
  'A closing paragraph: with a colon.',
].join('\n');

function sectionsReplying(content: string) {
  return (kind: RequestKind, req: RecordedRequest) => {
    if (kind !== 'section') return undefined;
    const prompt: string = req.body?.messages?.at(-1)?.content ?? '';
    // The introduction gets a plain reply; every titled section this one.
    return /the section "/.test(prompt) ? { content } : undefined;
  };
}

describe('a new draft written through the fast paths', () => {
  it.each([
    ['fences, listed, quoted and setext headings, definitions', TRICKY],
    ['canonical Markdown', CANONICAL],
  ])('stores exactly the section hashes a later revise computes (%s), and front matter that reads back', async (_, reply) => {
    server().setHandler(scriptedModel({ override: sectionsReplying(reply) }));
    const result = await runDraft(
      [
        'new',
        '--base-url',
        server().url,
        '--retries',
        '0',
        '--timeout',
        '5',
        '--topic',
        'Gardens: a field guide',
        '--sections',
        '3',
        '--json',
      ],
      { cwd: tempDir(), env: { OPENAI_API_KEY: 'sk-test-0123456789abcdef' } },
    );
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const text = await readFile(JSON.parse(result.stdout).path, 'utf8');
    const file = parseSource(text, 'post.md');
    const state = file.data.draft_state as { sections: { heading: string | null; hash: string }[]; brief: { topic: string } };
    const fresh = parseBody(file.body).sections.map((s) => ({ heading: s.heading, hash: contentHash(sectionText(file.body, s)) }));
    expect(state.sections).toEqual(fresh);
    // Three titled sections besides the introduction, none of the tricky headings counted.
    expect(state.sections.filter((s) => s.heading !== null)).toHaveLength(3);
    expect(state.brief.topic).toBe('Gardens: a field guide');
    expect(text).toContain('<!-- draft:collaboration-notes -->');
  });
});
