import { PassThrough } from 'node:stream';
import { parse, stringify } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { BriefSchema } from '../src/core/brief.js';
import { renderNotes } from '../src/core/collab/notes.js';
import { generateDraft, loadDraftTemplates } from '../src/core/drafting/generate-draft.js';
import { outlineEditSummary } from '../src/core/drafting/outline-edit.js';
import { OutlineSchema, type Outline } from '../src/core/drafting/outline.js';
import { createProvider } from '../src/core/provider/create-provider.js';
import { createUi } from '../src/ui/ui.js';
import { outlineReviewer } from '../src/ui/new-questions.js';
import { lastUserMessage, requestKind } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

// The terminal questions are the one thing not real here: the editor "saves" whatever the test says.
const answers = vi.hoisted(() => ({ choice: 'edit', edit: (text: string) => text }));
vi.mock('@inquirer/prompts', () => ({
  select: async () => answers.choice,
  input: async () => '',
  editor: async ({ default: text }: { default: string }) => answers.edit(text),
}));

const { server, tempDir } = useServerAndTempDir('draft-notes-outline-');

const OUTLINE: Outline = OutlineSchema.parse({
  title: 'Markets after DeepSeek',
  description: 'What cheap models do to chip stocks.',
  tags: ['ai', 'markets'],
  intro: 'Set the scene: a sell-off.',
  sections: [
    {
      heading: 'The sell-off',
      points: 'What fell and by how much, with a long enough sentence to be folded by a YAML writer at eighty columns.',
    },
    { heading: 'What comes next', points: 'Where investors look now.' },
  ],
});

async function review(outline: Outline) {
  const ui = await createUi(
    { stdout: new PassThrough(), stderr: new PassThrough(), env: { NO_COLOR: '1' }, stdinIsTTY: true, stderrIsTTY: false },
    { interactive: true, debug: false },
  );
  return outlineReviewer(ui)(outline);
}

describe('outline edits: only real changes are edits', () => {
  it('saving the outline unchanged in $EDITOR is an approval, not an edit', async () => {
    answers.edit = (text) => text;
    expect(await review(OUTLINE)).toEqual({ action: 'accept' });
  });

  it('re-formatting the YAML without changing a value is not an edit either', async () => {
    answers.edit = (text) => stringify(parse(text), { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE' });
    expect(await review(OUTLINE)).toEqual({ action: 'accept' });
  });

  it('a real change is an edit, and the log says which', async () => {
    answers.edit = (text) => text.replace('Where investors look now.', 'Where investors look now, and why.');
    const decision = await review(OUTLINE);
    expect(decision).toMatchObject({ action: 'edit', summary: 'notes revised for “What comes next”' });
    const at = '2026-12-01T00:00:00.000Z';
    expect(
      renderNotes([
        { at, actor: 'editor', name: 'Manolo', action: 'outline-edited', details: { summary: (decision as { summary: string }).summary } },
      ]),
    ).toContain('- Edits to the outline (notes revised for “What comes next”).');
  });

  it('describes each kind of change', () => {
    const changed = OutlineSchema.parse({
      ...OUTLINE,
      title: 'Chips after DeepSeek',
      tags: ['ai'],
      sections: [OUTLINE.sections[1], { heading: 'Who wins', points: 'The winners.' }],
    });
    expect(outlineEditSummary(OUTLINE, OUTLINE)).toBeUndefined();
    expect(outlineEditSummary(OUTLINE, changed)).toBe(
      'title set to “Chips after DeepSeek”; tags set to ai; added “Who wins”; removed “The sell-off”',
    );
    const reordered = OutlineSchema.parse({ ...OUTLINE, sections: [...OUTLINE.sections].reverse() });
    expect(outlineEditSummary(OUTLINE, reordered)).toBe('reordered sections');
  });
});

describe('regenerating an outline', () => {
  it('sends the previous outline with the editor’s feedback', async () => {
    const provider = await createProvider({
      provider: 'custom',
      baseURL: server().url,
      model: 'gpt-4o-mini',
      apiKey: 'sk-test-0123456789',
      timeoutMs: 5000,
      maxRetries: 0,
      retryAfterCapMs: 1000,
      backoffBaseMs: 10,
    });
    const templates = await loadDraftTemplates({ cwd: tempDir(), env: {} });
    const brief = BriefSchema.parse({ topic: 'DeepSeek and the markets', sections: 2 });
    const seen: Outline[] = [];
    const decisions = [{ action: 'regenerate' as const, feedback: 'merge the two sections about chips' }, { action: 'accept' as const }];
    const draft = await generateDraft({
      brief,
      provider,
      templates,
      reviewOutline: async (outline) => {
        seen.push(outline);
        return decisions.shift()!;
      },
    });
    const outlineRequests = server()
      .requests.filter((r) => requestKind(r) === 'outline')
      .map(lastUserMessage);
    expect(outlineRequests).toHaveLength(2);
    expect(outlineRequests[0]).not.toContain('previous outline');
    const second = outlineRequests[1]!;
    expect(second).toContain('merge the two sections about chips');
    expect(second).toContain(JSON.stringify(seen[0]!.title));
    for (const section of seen[0]!.sections) expect(second).toContain(JSON.stringify(section.heading));
    expect(draft.log.events.map((e) => e.action)).toContain('outline-regenerated');
  });
});
