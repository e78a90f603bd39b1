import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import type { LogEvent } from '../src/core/collab/log.js';
import { renderNotes } from '../src/core/collab/notes.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-notes-who-');

function revise(file: string, options: Record<string, unknown>) {
  return runCommand(
    (ctx) => runRevise(file, { section: [], keyword: [], yes: true, baseUrl: server().url, retries: '0', timeout: '5', ...options }, ctx),
    {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: 'sk-test-0123456789' },
    },
  );
}

const BODY = 'A lead paragraph about markets.\n\n## First\n\nSome text about chips.\n';

/** Revises a hand-written post once and returns its notes block. */
async function notesAfterRevision(frontMatter: string, options: Record<string, unknown> = {}): Promise<string> {
  const path = join(tempDir(), 'post.md');
  await writeFile(path, `---\ntitle: Markets\n${frontMatter}---\n${BODY}`);
  await revise('post.md', { section: ['first'], instruction: 'tighten it', ...options });
  const text = await readFile(path, 'utf8');
  return text.slice(text.indexOf('<!-- draft:collaboration-notes -->'));
}

describe('the notes credit the writer and the editor, and never swap them', () => {
  it('without --author: the post’s author wrote it, and the request is the (unnamed) editor’s', async () => {
    const notes = await notesAfterRevision('author: Jane Doe\n');
    expect(notes).toContain('Jane Doe wrote this post by hand; the editor directed revisions and the AI (gpt-4o-mini) drafted them.');
    expect(notes).toContain('**The editor provided:**\n\n- A request to revise “First” with “tighten it”.');
    expect(notes).not.toContain('Jane Doe provided');
  });

  it('with --author: the editor asked, and the writer is still the post’s author', async () => {
    const notes = await notesAfterRevision('author: Jane Doe\n', { author: 'Manolo' });
    expect(notes).toContain('Jane Doe wrote this post by hand; Manolo directed revisions');
    expect(notes).toContain('**Manolo provided:**\n\n- A request to revise “First”');
    expect(notes).not.toContain('written by hand.\n');
    expect(notes).not.toMatch(/Manolo provided:\*\*\n\n- The original post/);
  });

  it('the first of `authors` is the writer; with no author at all, "a writer"', async () => {
    expect(await notesAfterRevision('authors:\n  - Ana Lima\n  - Bo Chen\n')).toContain('Ana Lima wrote this post by hand;');
    expect(await notesAfterRevision('')).toContain('A writer wrote this post by hand; the editor directed');
  });

  it('the config’s author is the editor when --author is not given', async () => {
    await writeFile(join(tempDir(), 'draft.config.json'), JSON.stringify({ author: 'Manolo' }));
    const notes = await notesAfterRevision('author: Jane Doe\n');
    expect(notes).toContain('Jane Doe wrote this post by hand; Manolo directed revisions');
    expect(notes).toContain('**Manolo provided:**');
  });

  it('a revision of a drafted post without --author is not credited to the editor who directed the draft', () => {
    const at = '2026-12-01T00:00:00.000Z';
    const log: LogEvent[] = [
      { at, actor: 'editor', name: 'Manolo', action: 'direction', details: { text: 'Follow the money' } },
      { at, actor: 'ai', name: 'gpt-4o-mini', action: 'sections-drafted', details: { headings: ['First'] } },
      { at, actor: 'editor', action: 'revision-requested', details: { instruction: 'shorter', headings: ['First'] } },
    ];
    const notes = renderNotes(log);
    expect(notes).toContain('In this collaboration, Manolo and an unnamed editor directed and the AI (gpt-4o-mini) drafted.');
    expect(notes).toContain(
      '**Manolo provided:**\n\n- A clear direction: “Follow the money”.\n\n' +
        '**An unnamed editor provided:**\n\n- A request to revise “First” with “shorter”.',
    );
  });
});
