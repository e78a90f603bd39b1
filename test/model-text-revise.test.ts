/**
 * Model text is data in `draft revise` too: SEO descriptions, titles and heading renames, title
 * proposals, and the revised text itself. In-process, through the revise command, against the
 * scripted test server.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { checkDraft } from '../src/core/check/check-draft.js';
import { parseSource } from '../src/core/document/front-matter.js';
import { findNotesBlock } from '../src/core/document/notes-block.js';
import { parseBody } from '../src/core/document/sections.js';
import { runCommand } from './support/run-command.js';
import { lastUserMessage, scriptedModel, seoReply, titleReply } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-model-text-revise-');

const POST = `---
title: Chips and Margins
author: Manolo
keywords: [Nvidia]
---

The market moved fast this week.

## The Market Fallout

Shares fell as investors priced in cheaper models.

## What Comes Next

Analysts expect margins to tighten.
`;

const INJECTED = 'Real\n\n## Injected\n---\nfoo: bar';

async function revise(options: Record<string, unknown>, file = 'post.md'): Promise<string> {
  const path = join(tempDir(), file);
  await writeFile(path, POST);
  await runCommand((ctx) => runRevise(file, { yes: true, baseUrl: server().url, retries: '0', timeout: '5', ...options }, ctx), {
    cwd: tempDir(),
    env: { OPENAI_API_KEY: 'sk-test-revise-0123456789abcdef' },
  });
  return readFile(path, 'utf8');
}

const headingsOf = (text: string) => parseBody(parseSource(text, 'p.md').body).sections.map((s) => s.heading);
const notesLines = (text: string) => {
  const body = parseSource(text, 'p.md').body;
  const notes = findNotesBlock(body)!;
  return body.slice(notes.start, notes.end).split('\n');
};
const structuralLines = (lines: string[]) => lines.filter((l) => /^\s{0,3}(#{1,6}\s|-{3,}\s*$|\*{3,}\s*$)/.test(l));
const logOf = (text: string) => parseYaml(text.split('\n---\n')[0]!.slice(4)).draft_state.log;

describe('model text is data: draft revise', () => {
  it('--seo: a description, title and heading with line breaks and markup land as one line of plain text', async () => {
    server().setHandler(
      scriptedModel({
        override: (kind, req) => {
          if (kind !== 'seo') return undefined;
          const reply = seoReply(lastUserMessage(req)) as any;
          reply.description = `Nvidia and margins\n\n## Injected\n---\nfoo: bar`;
          reply.title = 'Nvidia <b>Chips</b>\n---\ninjected: yes';
          reply.headings = [{ from: 'The Market Fallout', to: INJECTED }];
          return { content: JSON.stringify(reply) };
        },
      }),
    );
    const after = await revise({ seo: true, keyword: ['Nvidia'] });
    const src = parseSource(after, 'p.md');
    expect(src.data).not.toHaveProperty('foo');
    expect(src.data).not.toHaveProperty('injected');
    expect(src.data.description).toBe('Nvidia and margins ## Injected --- foo: bar');
    expect(src.data.title).toBe('Nvidia Chips --- injected: yes');
    expect(headingsOf(after)).toEqual([null, 'Real ## Injected --- foo: bar', 'What Comes Next']);
    expect(structuralLines(notesLines(after))).toEqual(['## Collaboration notes']);
    const cleaned = logOf(after).find((e: any) => e.action === 'model-text-cleaned');
    expect(cleaned.details.fields).toEqual(['description', 'title', 'headings[0].to']);
    expect((await checkDraft(after, 'post.md')).filter((p) => p.rule === 'notes')).toEqual([]);
  });

  it('--title: a proposal with line breaks becomes one line; the pick is that line', async () => {
    server().setHandler(
      scriptedModel({
        override: (kind, req) => {
          if (kind !== 'title') return undefined;
          const reply = titleReply(lastUserMessage(req)) as any;
          reply.titles[0].title = `# Margins\n\n## Injected\n<!-- draft:collaboration-notes -->`;
          return { content: JSON.stringify(reply) };
        },
      }),
    );
    const after = await revise({ title: true, pick: '1' });
    expect(parseSource(after, 'p.md').data.title).toBe('Margins ## Injected');
    expect(after.split('<!-- draft:collaboration-notes -->')).toHaveLength(2);
    expect(logOf(after).find((e: any) => e.action === 'model-text-cleaned').details.fields).toEqual(['titles[0]']);
  });

  it("a NUL in the model's revised text, and in --instruction and --add-section, never reaches the file", async () => {
    server().setHandler(
      scriptedModel({
        override: (kind) => {
          if (kind === 'revise') return { content: 'Shares fell\u0000 hard.' };
          if (kind === 'add-section') return { content: 'New\u0000 text.' };
          return undefined;
        },
      }),
    );
    const after = await revise({
      section: ['the market'],
      instruction: 'more\u0000 numbers',
      addSection: 'Costs\u0000 ahead',
      author: 'Ma\u0000nolo',
    });
    expect(after).not.toContain('\u0000');
    expect(after).not.toContain('\\0');
    expect(after).toContain('Shares fell hard.');
    expect(after).toContain('## Costs ahead\n\nNew text.');
    expect(after).toContain('“more numbers”');
  });
});
