import { describe, expect, it } from 'vitest';
import { CollaborationLog } from '../src/core/collab/log.js';
import { renderNotes } from '../src/core/collab/notes.js';

const fixedClock = () => new Date('2026-01-27T10:00:00Z');

function seedLog(): CollaborationLog {
  const log = new CollaborationLog([], fixedClock);
  log.add('editor', 'Manolo', 'brief', { topic: "DeepSeek's disruption of the AI business" });
  log.add('editor', 'Manolo', 'direction', { text: 'Shift the focus toward the financial and business implications' });
  log.add('editor', 'Manolo', 'title-input', { title: 'DeepSeek and the AI apocalypse' });
  log.add('editor', 'Manolo', 'links-requested', { links: [{ title: 'DeepSeek R1', url: 'https://example.com/r1' }] });
  log.add('editor', 'Manolo', 'keywords-requested', { keywords: ['DeepSeek', 'Nvidia'] });
  log.add('ai', 'gpt-4o-mini', 'outline-generated', {
    title: 'DeepSeek’s Disruption',
    sections: ['Who is DeepSeek?', 'The Market Fallout'],
  });
  log.add('editor', 'Manolo', 'outline-regenerated', { feedback: 'add market analysis' });
  log.add('editor', 'Manolo', 'outline-accepted', { auto: false });
  log.add('ai', 'gpt-4o-mini', 'title-refined', { from: 'DeepSeek and the AI apocalypse', to: 'DeepSeek’s Disruption' });
  log.add('ai', 'gpt-4o-mini', 'sections-drafted', { headings: ['Who is DeepSeek?', 'The Market Fallout'] });
  log.add('ai', 'gpt-4o-mini', 'link-repaired', {
    title: 'DeepSeek R1',
    url: 'https://example.com/r1',
    section: 'Who is DeepSeek?',
    method: 'revised',
  });
  return log;
}

describe('collaboration notes', () => {
  it('say what the editor provided and what the AI did, in the spirit of the seed', () => {
    const notes = renderNotes(seedLog().events);
    expect(notes).toBe(
      [
        '## Collaboration notes',
        '',
        'In this collaboration, Manolo directed and the AI (gpt-4o-mini) drafted.',
        '',
        '**Manolo provided:**',
        '',
        "- The topic: “DeepSeek's disruption of the AI business”.",
        '- A clear direction: “Shift the focus toward the financial and business implications”.',
        '- A working title, “DeepSeek and the AI apocalypse”.',
        '- A request to link [DeepSeek R1](https://example.com/r1).',
        '- SEO keywords to target: DeepSeek, Nvidia.',
        '- A request for a new outline: “add market analysis”.',
        '- Approval of the outline.',
        '',
        '**The AI (gpt-4o-mini) did:**',
        '',
        '- Proposed the title “DeepSeek’s Disruption” and an outline of 2 sections (Who is DeepSeek?; The Market Fallout).',
        '- Refined the working title “DeepSeek and the AI apocalypse” into “DeepSeek’s Disruption”.',
        '- Drafted the introduction and 2 sections: Who is DeepSeek?; The Market Fallout.',
        '- Worked the missing link [DeepSeek R1](https://example.com/r1) into “Who is DeepSeek?”.',
      ].join('\n'),
    );
  });

  it('are generated from the log alone: the same log always renders the same text', () => {
    const events = JSON.parse(JSON.stringify(seedLog().events));
    expect(renderNotes(events)).toBe(renderNotes(seedLog().events));
    expect(renderNotes(events, 'How this post was made')).toMatch(/^## How this post was made\n/);
  });

  it('skip events they do not know, so newer logs still render', () => {
    const entries = [
      ...seedLog().events,
      { at: '2026-11-28T13:15:55.000Z', actor: 'ai' as const, name: 'gpt-4o-mini', action: 'some-future-action', details: {} },
    ];
    expect(renderNotes(entries)).toBe(renderNotes(seedLog().events));
  });

  it('name no editor when none was given', () => {
    const log = new CollaborationLog([], fixedClock);
    log.add('editor', undefined, 'direction', { text: 'be brief' });
    log.add('ai', 'm', 'sections-drafted', { headings: ['A'] });
    expect(renderNotes(log.events)).toContain('In this collaboration, the editor directed and the AI (m) drafted.');
    expect(renderNotes(log.events)).toContain('**The editor provided:**');
  });
});
