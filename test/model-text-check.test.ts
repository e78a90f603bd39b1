/**
 * `draft check` catches structure that came into the notes as text: a post written before model text
 * was cleaned had the model's heading `Real\n\n## Injected\n---\nfoo: bar` quoted in its notes, which
 * made a real heading and a rule there. The notes matched the log, so check said nothing.
 */
import { describe, expect, it } from 'vitest';
import { checkDraft } from '../src/core/check/check-draft.js';
import { renderNotes } from '../src/core/collab/notes.js';
import type { LogEntry } from '../src/core/collab/log.js';
import { createYamlFrontMatter } from '../src/core/document/front-matter.js';
import { MDX_NOTES_END, MDX_NOTES_START, NOTES_END, NOTES_START } from '../src/core/document/notes-block.js';

const at = '2026-11-28T13:15:55.000Z';
const event = (actor: LogEntry['actor'], action: string, details: Record<string, unknown>): LogEntry => ({ at, actor, action, details });

/** A post as an older draft wrote it: `log` in the state, its notes rendered from it as they were. */
function post(log: LogEntry[], notes: string, markers = { start: NOTES_START, end: NOTES_END }): string {
  const front = createYamlFrontMatter({ title: 'T', date: '2026-11-28', description: 'D', draft_state: { version: 1, log } });
  return `${front}\nThe introduction.\n\n## Real\n\nText.\n\n${markers.start}\n${notes}\n${markers.end}\n`;
}

const notesProblems = async (text: string, file = 'post.md') => (await checkDraft(text, file)).filter((p) => p.rule === 'notes');

describe('draft check: structure inside the notes', () => {
  it('flags a heading and a rule in the notes, even when the notes match the log', async () => {
    const log = [event('ai', 'outline-generated', { title: 'T', sections: ['Real\n\n## Injected\n---\nfoo: bar'] })];
    // What renderNotes wrote before log strings were made one line (the raw string, quoted).
    const old =
      `## Collaboration notes\n\nIn this collaboration, the editor directed and the AI drafted.\n\n` +
      `**The AI did:**\n\n- Proposed the title “T” and an outline of 1 section (Real\n\n## Injected\n---\nfoo: bar).`;
    const text = post(log, old);
    const lines = text.split('\n');
    const problems = await notesProblems(text);
    expect(problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'the collaboration notes contain the heading “Injected”; only the notes heading belongs there',
        'the collaboration notes contain a rule (---), which splits them',
      ]),
    );
    const heading = problems.find((p) => p.message.includes('“Injected”'))!;
    expect(lines[heading.line - 1]).toBe('## Injected');
  });

  it('finds them in MDX-comment notes too, and in a hand-added setext heading', async () => {
    const text = post([], '## Collaboration notes\n\nSome text\n===\n\n- item', { start: MDX_NOTES_START, end: MDX_NOTES_END });
    const problems = await notesProblems(text, 'post.mdx');
    expect(problems.map((p) => p.message)).toContain(
      'the collaboration notes contain the heading “Some text”; only the notes heading belongs there',
    );
  });

  it('notes rendered today from the same log have no structure and nothing to flag', async () => {
    const log = [
      event('editor', 'direction', { text: 'Money\n\n## first\n---' }),
      event('ai', 'outline-generated', { title: 'T', sections: ['Real\n\n## Injected\n---\nfoo: bar'] }),
    ];
    const notes = renderNotes(log);
    expect(notes.split('\n').filter((l) => /^(#{1,6} |---)/.test(l))).toEqual(['## Collaboration notes']);
    expect(await notesProblems(post(log, notes))).toEqual([]);
  });
});
