/**
 * MDX posts: MDX 3 rejects HTML comments, so in an `.mdx` file the notes markers are MDX comments,
 * and whatever else draft writes into the body must compile too. Every post here is compiled with
 * @mdx-js/mdx (remark-frontmatter skips the front matter) before and after the command, in-process,
 * against the scripted test server.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compile, createProcessor } from '@mdx-js/mdx';
import remarkFrontmatter from 'remark-frontmatter';
import { describe, expect, it } from 'vitest';
import { runNew } from '../src/commands/new.js';
import { runRevise } from '../src/commands/revise.js';
import { checkDraft } from '../src/core/check/check-draft.js';
import { MDX_NOTES_END, MDX_NOTES_START, NOTES_END, NOTES_START } from '../src/core/document/notes-block.js';
import { parseSource } from '../src/core/document/front-matter.js';
import { parseBody } from '../src/core/document/sections.js';
import { runCommand } from './support/run-command.js';
import { scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-mdx-');
const env = () => ({ OPENAI_API_KEY: 'sk-test-mdx-0123456789abcdef' });
const provider = () => ({ baseUrl: server().url, retries: '0', timeout: '5' });

const POST = `---
title: Chips and Margins
author: Manolo
---

import { Chart } from '../components/chart.js'

The market moved fast this week.

## The Market Fallout

Shares fell as investors priced in cheaper models.

<Chart symbol="NVDA" range="1w" />

## What Comes Next

Analysts expect margins to tighten.
`;

const count = (text: string, needle: string) => text.split(needle).length - 1;

/** Compiles like an MDX site build would; throws with MDX's own message when the file is invalid. */
async function compileMdx(text: string): Promise<void> {
  await compile(text, { remarkPlugins: [remarkFrontmatter] });
}

/** The MDX constructs (expressions, JSX, ESM) in a text: the markers are two expressions; brief text adds none. */
function mdxConstructs(text: string): string[] {
  const found: string[] = [];
  const visit = (node: any) => {
    if (/^mdx/.test(node.type)) found.push(node.type);
    for (const child of node.children ?? []) visit(child);
  };
  visit(createProcessor().parse(text));
  return found;
}

const notesOf = (text: string) => text.slice(text.indexOf(MDX_NOTES_START));

async function revise(file: string, options: Record<string, unknown>): Promise<void> {
  await runCommand((ctx) => runRevise(file, { yes: true, ...provider(), ...options }, ctx), { cwd: tempDir(), env: env() });
}

describe('MDX posts', () => {
  it('the fixture shows what goes wrong: an HTML comment does not compile as MDX', async () => {
    await compileMdx(POST);
    await expect(compileMdx(`${POST}\n${NOTES_START}\n## Notes\n${NOTES_END}\n`)).rejects.toThrow(/Unexpected character `!`/);
  });

  it('a revised .mdx post still compiles: MDX comments mark the notes; import and JSX untouched', async () => {
    const path = join(tempDir(), 'post.mdx');
    await writeFile(path, POST);
    await revise('post.mdx', {
      section: ['the market'],
      focus: 'finance',
      instruction: 'add {market} analysis; <b>competitors</b> & a < b',
    });

    const after = await readFile(path, 'utf8');
    expect(after).toContain('Revised with the finance focus');
    expect(count(after, MDX_NOTES_START)).toBe(1);
    expect(count(after, MDX_NOTES_END)).toBe(1);
    expect(after).not.toContain('<!--');
    expect(after).toContain("import { Chart } from '../components/chart.js'\n");
    expect(after).toContain('<Chart symbol="NVDA" range="1w" />');
    await compileMdx(after);
    // The instruction is quoted in the notes as text: no expression for {market}, no <b> element.
    expect(notesOf(after)).toContain('“add \\{market\\} analysis; \\<b>competitors\\</b> & a \\< b”');
    expect(mdxConstructs(notesOf(after))).toEqual(['mdxFlowExpression', 'mdxFlowExpression']);

    // A second revision replaces the block (still one), and the post still compiles and checks clean.
    await revise('post.mdx', { section: ['what comes'], instruction: 'shorter' });
    const twice = await readFile(path, 'utf8');
    expect(count(twice, MDX_NOTES_START)).toBe(1);
    await compileMdx(twice);
    expect((await checkDraft(twice, 'post.mdx')).filter((p) => p.rule === 'notes')).toEqual([]);
  });

  it('an .mdx post with notes an older draft wrote as HTML comments gets them converted, not duplicated', async () => {
    const path = join(tempDir(), 'old.mdx');
    await writeFile(path, `${POST}\n${NOTES_START}\n## Collaboration notes\n\nOld notes.\n${NOTES_END}\n`);
    await revise('old.mdx', { section: ['the market'], instruction: 'more numbers' });
    const after = await readFile(path, 'utf8');
    expect(after).not.toContain('<!--');
    expect(count(after, MDX_NOTES_START)).toBe(1);
    expect(after).not.toContain('Old notes.');
    await compileMdx(after);
  });

  it('a .md post keeps HTML comments, and a .md post whose notes use MDX comments keeps that form', async () => {
    await writeFile(join(tempDir(), 'plain.md'), POST.replace(/^import.*\n\n/m, '').replace(/^<Chart.*\n\n/m, ''));
    await revise('plain.md', { section: ['the market'], instruction: 'more' });
    const plain = await readFile(join(tempDir(), 'plain.md'), 'utf8');
    expect(count(plain, NOTES_START)).toBe(1);
    expect(plain).not.toContain(MDX_NOTES_START);

    // Docusaurus reads .md as MDX: a block someone switched to MDX comments stays that way.
    await writeFile(join(tempDir(), 'docu.md'), `${POST}\n${MDX_NOTES_START}\n## Collaboration notes\n\nOld.\n${MDX_NOTES_END}\n`);
    await revise('docu.md', { section: ['the market'], instruction: 'more' });
    const docu = await readFile(join(tempDir(), 'docu.md'), 'utf8');
    expect(count(docu, MDX_NOTES_START)).toBe(1);
    expect(docu).not.toContain('<!--');
    await compileMdx(docu);
  });

  it("draft new --file-name '{slug}.mdx' writes a post that compiles, with brief text MDX would misread", async () => {
    await runCommand(
      (ctx) =>
        runNew(
          {
            yes: true,
            ...provider(),
            topic: 'Chips {and} <margins>',
            direction: 'Money first: {revenue} > <costs>',
            // The model copies a link's title into its prose, so this one is plain: model prose is the
            // model's, and the notes are what draft writes itself.
            link: ['Earlier post=https://example.com/earlier'],
            fileName: '{slug}.mdx',
            sections: '2',
          },
          ctx,
        ),
      { cwd: tempDir(), env: env() },
    );
    const [name] = await readdir(join(tempDir(), 'drafts'));
    expect(name).toMatch(/\.mdx$/);
    const text = await readFile(join(tempDir(), 'drafts', name!), 'utf8');
    expect(count(text, MDX_NOTES_START)).toBe(1);
    expect(text).not.toContain('<!--');
    expect(text).toContain('A clear direction: “Money first: \\{revenue\\} > \\<costs>”.');
    expect(mdxConstructs(notesOf(text))).toEqual(['mdxFlowExpression', 'mdxFlowExpression']);
    await compileMdx(text);
    expect((await checkDraft(text, name!)).filter((p) => p.rule === 'notes')).toEqual([]);

    // And a revision of it still compiles.
    await revise(join('drafts', name!), { section: ['introduction'], instruction: 'tighter' });
    await compileMdx(await readFile(join(tempDir(), 'drafts', name!), 'utf8'));
  });

  it('braces in the drafted prose and a new heading with { } and < stay text in an .mdx post', async () => {
    server().setHandler(
      scriptedModel({ override: (kind) => (kind === 'section' ? { content: 'Revenue {in billions} rose; margins did not.' } : undefined) }),
    );
    await runCommand((ctx) => runNew({ yes: true, ...provider(), topic: 'Braces', fileName: '{slug}.mdx', sections: '2' }, ctx), {
      cwd: tempDir(),
      env: env(),
    });
    const [name] = await readdir(join(tempDir(), 'drafts'));
    const path = join(tempDir(), 'drafts', name!);
    const drafted = await readFile(path, 'utf8');
    expect(drafted).toContain('Revenue \\{in billions\\} rose');
    await compileMdx(drafted);

    server().setHandler(scriptedModel());
    await revise(join('drafts', name!), { addSection: 'Costs {2025} <est>', after: 'introduction' });
    const after = await readFile(path, 'utf8');
    await compileMdx(after);
    expect(parseBody(parseSource(after, name!).body).sections.map((s) => s.heading)).toContain('Costs {2025} <est>');
  });
});
