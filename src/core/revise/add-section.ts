import type { UsageMeter } from '../drafting/model-call.js';
import { normalizeHeading } from '../document/section-names.js';
import { findSections, topLevelOf, type Section } from '../document/sections.js';
import { UsageError } from '../errors.js';
import { renderTemplate, type Template } from '../templates/template.js';
import type { ChatProvider } from '../provider/types.js';
import { countWords } from '../markdown.js';
import { outlineList, type Guidance } from './guidance.js';
import { headingMarker, type LoadedPost } from './post.js';
import { callForPart } from './reply-check.js';
import type { WorkingCopy } from './working-copy.js';

// Headings that usually close a post; a new section goes before the last of them by default.
const CLOSING =
  /\b(conclusions?|concluding|summary|in summary|final thoughts|wrapping up|takeaways?|the bottom line|closing thoughts|what'?s next|outlook)\b/i;

export interface Placement {
  /** Offset in the original body where the section goes. */
  offset: number;
  before?: Section;
  after?: Section;
}

/**
 * Where a new section goes: right after `--after`, else before the conclusion (the last section whose
 * heading reads like one), else at the end of the post (before the notes block).
 */
export function placeNewSection(post: LoadedPost, heading: string, after: string | undefined): Placement {
  const { structure, label } = post;
  const titled = structure.sections.filter((s) => s.heading !== null);
  const wanted = normalizeHeading(heading);
  const clash = titled.find((s) => normalizeHeading(s.heading!) === wanted);
  if (clash) {
    throw new UsageError(`${label}: the post already has a section “${clash.heading}”`, {
      hint: 'Choose another heading for --add-section, or revise that section with --section.',
    });
  }
  const sections = structure.sections;
  if (after !== undefined) {
    // After a nested heading means after the part that holds it: a new section never splits one.
    const anchor = topLevelOf(structure, findSections(structure, [after], label)[0]!);
    const next = sections[sections.indexOf(anchor) + 1];
    return { offset: anchor.end, after: anchor, ...(next ? { before: next } : {}) };
  }
  const closing = [...titled].reverse().find((s) => CLOSING.test(s.heading!));
  if (closing && closing !== titled[0]) {
    const previous = sections[sections.indexOf(closing) - 1];
    return { offset: closing.start, before: closing, ...(previous ? { after: previous } : {}) };
  }
  const last = sections.at(-1);
  return { offset: last ? last.end : (structure.notes?.start ?? post.src.body.length), ...(last ? { after: last } : {}) };
}

/** Drafts the new section from the post's headings and its two neighbours, not the whole post. */
export async function addSection(options: {
  copy: WorkingCopy;
  heading: string;
  placement: Placement;
  guidance: Guidance;
  template: Template;
  provider: ChatProvider;
  meter: UsageMeter;
  signal?: AbortSignal;
  maxTokens?: number;
}): Promise<void> {
  const { copy, heading, placement } = options;
  const depth = copy.post.structure.sectionDepth;
  const neighbours = [placement.after, placement.before].filter((s): s is Section => s !== undefined);
  const parts: { heading: string | null; isNew?: boolean }[] = [];
  for (const section of copy.sections) {
    if (section === placement.before) parts.push({ heading, isNew: true });
    parts.push({ heading: copy.heading(section) });
  }
  if (!placement.before) parts.push({ heading, isNew: true });
  const counts = await Promise.all(neighbours.map((s) => countWords(copy.content(s))));
  const typical = counts.length ? Math.round(counts.reduce((a, b) => a + b, 0) / counts.length) : 200;

  const words = Math.min(600, Math.max(120, typical));
  const messages = renderTemplate(options.template, {
    ...options.guidance,
    outline: outlineList(parts, (i) => (parts[i]!.isNew ? 'the new section' : undefined)),
    heading,
    marker: headingMarker(depth),
    words,
    before: placement.after ? withHeading(copy, placement.after) : undefined,
    after: placement.before ? withHeading(copy, placement.before) : undefined,
  });
  const content = await callForPart(
    options.provider,
    { purpose: `the new section “${heading}”`, messages, signal: options.signal, maxTokens: options.maxTokens, targetWords: words },
    options.meter,
    {
      heading,
      sectionDepth: depth,
      otherHeadings: copy.sectionHeadings(),
      title: options.guidance.title,
      label: `the new section “${heading}”`,
      // Nothing to keep, but a new section must not leave a `{{`, fence or tag unclosed either.
      original: '',
    },
  );
  copy.inserted.push({ offset: placement.offset, heading, content });
}

function withHeading(copy: WorkingCopy, section: Section): string {
  const heading = copy.heading(section);
  const content = copy.content(section);
  return heading === null ? content : `${headingMarker(section.depth)} ${heading}\n\n${content}`;
}
