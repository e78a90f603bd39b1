import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/core/revise/diff-text.js';

const post = (state: string, body: string) => `---\ntitle: T\ndraft_state:\n  version: 1\n${state}---\n\n${body}`;

describe('the revision diff shown to the editor', () => {
  it('shows the edit, not the tool state that changes on every revision', () => {
    const before = post(
      '  log:\n    - at: 2026-01-01T00:00:00Z\n      actor: ai\n      action: sections-drafted\n',
      'Intro.\n\n## A\n\nOld text.\n',
    );
    const after = post(
      '  log:\n    - at: 2026-01-01T00:00:00Z\n      actor: ai\n      action: sections-drafted\n' +
        '    - at: 2026-01-02T00:00:00Z\n      actor: ai\n      action: revised\n',
      'Intro.\n\n## A\n\nNew text.\n',
    );
    const diff = unifiedDiff('a/p.md', 'b/p.md', before, after);
    expect(diff).toContain('-Old text.');
    expect(diff).toContain('+New text.');
    expect(diff).not.toMatch(/action|actor/);
    // Folded, but the fold says what it stands for: three new lines of log.
    expect(diff).toContain('+draft_state: "(draft’s own state, folded: +3 lines: log)"');
  });

  it('says in one line that a hand-written post gains the tool state', () => {
    const diff = unifiedDiff('a/p.md', 'b/p.md', '---\ntitle: T\n---\n\nBody.\n', post('  log: []\n', 'Body.\n'));
    expect(diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toEqual([
      '+draft_state: "(draft’s own state, folded: +3 lines: log)"',
    ]);
  });

  it('keeps CRLF and a BOM out of the picture, and is empty when nothing changed', () => {
    const text = '\uFEFF---\r\ntitle: T\r\n---\r\n\r\nBody.\r\n';
    expect(unifiedDiff('a', 'b', text, text)).toBe('');
    expect(unifiedDiff('a', 'b', text, text.replace('Body.', 'Text.'))).toMatch(/-Body\.\n\+Text\./);
  });
});
