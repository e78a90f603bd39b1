/** What the collaboration log records of a revision before any model call: hand edits, then the editor's requests. */
import type { CollaborationLog } from '../collab/log.js';
import { isPlainObject } from '../plain-object.js';
import { detectHandEdits, hasHandEdits, type HandEdits } from './hand-edits.js';
import type { RevisionPlan } from './plan.js';
import { stringField, type LoadedPost } from './post.js';

/**
 * What the editor did by hand since the tool last wrote the post (or that they wrote it all), logged
 * before the requests: the notes then tell the editor's work from the model's.
 */
export function recordHandEdits(
  log: CollaborationLog,
  author: string | undefined,
  post: LoadedPost,
  plan: RevisionPlan,
): HandEdits | undefined {
  if (!post.state) {
    log.add('editor', undefined, 'hand-written', { writer: postWriter(post.src.data) });
    return undefined;
  }
  const edits = detectHandEdits(post.src.body, post.structure, post.state.sections, new Set(plan.targets.map((s) => s.index)));
  if (!hasHandEdits(edits)) return undefined;
  log.add('editor', author, 'hand-edited', {
    headings: edits.edited.length ? edits.edited : undefined,
    introduction: edits.introduction || undefined,
    added: edits.added.length ? edits.added : undefined,
    removed: edits.removed.length ? edits.removed : undefined,
  });
  return edits;
}

export function recordRequests(log: CollaborationLog, author: string | undefined, plan: RevisionPlan): void {
  const { request } = plan;
  if (request.said) log.add('editor', author, 'editor-said', { words: request.said.words, steps: request.said.steps });
  if (request.styleFix) {
    log.add('editor', author, 'style-fix-requested', {
      problems: [...request.styleFix.fix.bySection.values()].reduce((n, found) => n + found.length, 0),
      headings: plan.targets.flatMap((s) => (s.heading === null ? [] : [s.heading])),
      introduction: plan.targets.some((s) => s.heading === null) || undefined,
    });
  } else if (request.focus || request.instruction || plan.targets.length > 0) {
    log.add('editor', author, 'revision-requested', {
      focus: request.focus?.name,
      instruction: request.instruction,
      headings:
        plan.targets.length > 0 && !plan.allSections ? plan.targets.flatMap((s) => (s.heading === null ? [] : [s.heading])) : undefined,
      introduction: plan.targets.some((s) => s.heading === null) && !plan.allSections ? true : undefined,
      all: plan.allSections || undefined,
    });
  }
  if (request.addSection) log.add('editor', author, 'section-requested', { ...request.addSection });
  if (request.link) log.add('editor', author, 'links-requested', { links: [request.link] });
  if (request.seo) log.add('editor', author, 'seo-requested', { keywords: request.seo.keywords.length ? request.seo.keywords : undefined });
  if (request.title) log.add('editor', author, 'titles-requested', { count: request.title.count });
}

/** Who wrote a hand-written post: its front matter `author`, or the first of `authors`. */
function postWriter(data: Record<string, unknown>): string | undefined {
  const authors = data.authors;
  const first = Array.isArray(authors) ? authors[0] : authors;
  const name = stringField(data, 'author') ?? (typeof first === 'string' ? first : isPlainObject(first) ? first.name : undefined);
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}
