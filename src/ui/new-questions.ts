/** `draft new`'s questions: the brief fields that are missing, and the outline review. */
import { OutlineSchema, type Outline } from '../core/drafting/outline.js';
import type { OutlineDecision } from '../core/drafting/generate-draft.js';
import { outlineEditSummary } from '../core/drafting/outline-edit.js';
import { describeIssues } from '../core/validation.js';
import { asking } from './questions.js';
import type { Ui } from './ui.js';

/**
 * Asks for required brief fields that are missing. Only called when stdin is a TTY. Every question
 * ends when `signal` aborts (SIGTERM while it waits), as an interrupt, like Ctrl-C at the question.
 */
export async function askForBrief(raw: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const { input } = await import('@inquirer/prompts');
  const out = { ...raw };
  if (!out.topic) {
    out.topic = await asking(() => input({ message: 'Topic of the post:', required: true }, { signal }));
    if (!out.direction) {
      const direction = await asking(() => input({ message: "Direction (the editor's angle; optional):" }, { signal }));
      if (direction.trim()) out.direction = direction;
    }
  }
  return out;
}

export function formatOutline(outline: Outline): string {
  const lines = [outline.title, `  ${outline.description}`, `  tags: ${outline.tags.join(', ')}`, '', `  Introduction: ${outline.intro}`];
  for (const [i, s] of outline.sections.entries()) lines.push(`  ${i + 1}. ${s.heading}: ${s.points}`);
  return lines.join('\n');
}

/** Shows the outline and lets the writer accept it, edit it in $EDITOR, or ask for another. */
export function outlineReviewer(ui: Ui, signal?: AbortSignal): (outline: Outline) => Promise<OutlineDecision> {
  return async (outline) => {
    const { select, input, editor } = await import('@inquirer/prompts');
    ui.info(`\n${ui.paint.bold('Proposed outline')}\n${formatOutline(outline)}\n`);
    const choice = await asking(() =>
      select(
        {
          message: 'Draft from this outline?',
          choices: [
            { name: 'Accept and draft the sections', value: 'accept' },
            { name: 'Edit it in $EDITOR', value: 'edit' },
            { name: 'Regenerate it', value: 'regenerate' },
          ],
        },
        { signal },
      ),
    );
    if (choice === 'regenerate') {
      const feedback = await asking(() => input({ message: 'What should change? (optional)' }, { signal }));
      return { action: 'regenerate', feedback: feedback.trim() || undefined };
    }
    if (choice === 'edit') {
      const { stringify, parse } = await import('yaml');
      let text = stringify(outline);
      for (;;) {
        text = await asking(() =>
          editor({ message: 'Edit the outline (YAML); save and close to continue', default: text, postfix: '.yaml' }, { signal }),
        );
        try {
          const parsed = OutlineSchema.safeParse(parse(text));
          if (parsed.success) {
            // Saved unchanged (or only re-formatted): the outline was accepted, not edited.
            const summary = outlineEditSummary(outline, parsed.data);
            return summary === undefined ? { action: 'accept' } : { action: 'edit', outline: parsed.data, summary };
          }
          ui.warn(`the edited outline is not valid: ${describeIssues(parsed.error.issues).join('; ')}`);
        } catch (error) {
          ui.warn(`the edited outline is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
    return { action: 'accept' };
  };
}
