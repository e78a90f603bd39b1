/**
 * Model text is data, never structure: an outline whose heading carries line breaks, a Markdown
 * heading, a rule and a front-matter line must give a post with exactly the outline's headings, and a
 * NUL from the model or from a brief never reaches the file. In-process, through `draft new`, against
 * the scripted test server.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runNew } from '../src/commands/new.js';
import { checkDraft } from '../src/core/check/check-draft.js';
import { parseSource } from '../src/core/document/front-matter.js';
import { findNotesBlock } from '../src/core/document/notes-block.js';
import { parseBody } from '../src/core/document/sections.js';
import { runCommand } from './support/run-command.js';
import { outlineReply, scriptedModel, lastUserMessage } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-model-text-');
const KEY = 'sk-test-model-text-0123456789';

const INJECTED = 'Real\n\n## Injected\n---\nfoo: bar';

async function draftNew(flags: Record<string, unknown>): Promise<string> {
  await runCommand((ctx) => runNew({ yes: true, baseUrl: server().url, retries: '0', timeout: '5', sections: '2', ...flags }, ctx), {
    cwd: tempDir(),
    env: { OPENAI_API_KEY: KEY },
  });
  const [name] = await readdir(join(tempDir(), 'drafts'));
  return readFile(join(tempDir(), 'drafts', name!), 'utf8');
}

/** The scripted outline with the model's own strings replaced. */
function outlineWith(change: (outline: any) => void) {
  server().setHandler(
    scriptedModel({
      override: (kind, req) => {
        if (kind !== 'outline') return undefined;
        const outline = outlineReply(lastUserMessage(req)) as any;
        change(outline);
        return { content: JSON.stringify(outline) };
      },
    }),
  );
}

describe('model text is data: the outline', () => {
  it('a heading with line breaks, a heading, a rule and a front-matter line stays one heading', async () => {
    outlineWith((o) => {
      o.sections[0].heading = INJECTED;
      o.title = 'Title\n---\ninjected: yes';
      o.tags = ['#ai', 'ai', 'two\nlines'];
      o.description = 'One\n\n# Two';
    });
    const file = await draftNew({ topic: 'Injection' });
    const src = parseSource(file, 'post.md');

    const headings = parseBody(src.body).sections.map((s) => s.heading);
    expect(headings).toEqual([null, 'Real ## Injected --- foo: bar', 'Conclusion: What Comes Next']);
    expect(src.data).not.toHaveProperty('foo');
    expect(src.data).not.toHaveProperty('injected');
    expect(src.data.title).toBe('Title --- injected: yes');
    expect(src.data.tags).toEqual(['ai', 'two lines']);
    expect(src.data.description).toBe('One # Two');

    const notes = findNotesBlock(src.body)!;
    const block = src.body.slice(notes.start, notes.end);
    // The notes heading is the only heading in the notes; no rule either.
    expect(block.split('\n').filter((l) => /^\s{0,3}(#{1,6}\s|-{3,}\s*$|\*{3,}\s*$|_{3,}\s*$)/.test(l))).toEqual([
      '## Collaboration notes',
    ]);
    expect(block).not.toMatch(/^foo: bar$/m);

    // The cleaning is on the record, and the post passes its own check.
    const state = parseYaml(file.split('\n---\n')[0]!.slice(4)).draft_state;
    const cleaned = state.log.find((e: any) => e.action === 'model-text-cleaned');
    expect(cleaned.details.fields).toEqual(expect.arrayContaining(['title', 'description', 'sections[0].heading', 'tags[2]']));
    expect(cleaned.details.changes).toContain('line breaks');
    expect((await checkDraft(file, 'post.md')).filter((p) => p.rule === 'notes')).toEqual([]);
  });

  it('a heading that is only markup is refused and the outline asked for again', async () => {
    let outlines = 0;
    server().setHandler(
      scriptedModel({
        override: (kind, req) => {
          if (kind !== 'outline') return undefined;
          const outline = outlineReply(lastUserMessage(req)) as any;
          if (outlines++ === 0) outline.sections[0].heading = '##\n<!-- x -->';
          return { content: JSON.stringify(outline) };
        },
      }),
    );
    const file = await draftNew({ topic: 'Markup' });
    expect(outlines).toBe(2);
    const retry = lastUserMessage(server().requests.filter((r) => lastUserMessage(r).startsWith('# Outline'))[1]!);
    expect(retry).toContain('sections[0].heading has no text');
    expect(parseBody(parseSource(file, 'p.md').body).sections[1]?.heading).toBe('Part 1: The Market Fallout');
  });
});

describe('model text is data: NUL', () => {
  it("a NUL in the model's outline and section replies never reaches the file", async () => {
    server().setHandler(
      scriptedModel({
        override: (kind, req) => {
          if (kind === 'outline') {
            const outline = outlineReply(lastUserMessage(req)) as any;
            outline.title = 'Nul\u0000 title';
            outline.sections[0].heading = 'Nul\u0000 heading';
            outline.tags = ['t\u0000ag'];
            return { content: JSON.stringify(outline) };
          }
          if (kind === 'section') return { content: 'A sentence with a NUL\u0000 in it.\n\nAnother\u0000 one.' };
          return undefined;
        },
      }),
    );
    const file = await draftNew({ topic: 'Nul' });
    expect(file).not.toContain('\u0000');
    expect(file).not.toContain('\\0');
    expect(file).toContain('A sentence with a NUL in it.');
    expect(file).toContain('## Nul heading');
    expect(parseSource(file, 'p.md').data.title).toBe('Nul title');
  });

  it('a NUL in a brief field is dropped before anything is written or sent', async () => {
    const file = await draftNew({
      topic: 'Brief\u0000 topic',
      direction: 'Money\u0000 first',
      author: 'Ma\u0000nolo',
      keyword: ['Nv\u0000idia'],
    });
    expect(file).not.toContain('\u0000');
    expect(file).not.toContain('\\0');
    expect(file).toContain('A clear direction: “Money first”.');
    const state = parseYaml(file.split('\n---\n')[0]!.slice(4)).draft_state;
    expect(state.brief).toMatchObject({ topic: 'Brief topic', direction: 'Money first', author: 'Manolo', keywords: ['Nvidia'] });
    for (const req of server().requests) expect(JSON.stringify(req.body)).not.toContain('\\u0000');
  });
});
