import type { BriefLink } from '../brief.js';
import { hasMarkdownLink } from '../drafting/links.js';
import type { UsageMeter } from '../drafting/model-call.js';
import { mostRelevantSection } from '../drafting/outline.js';
import type { Section } from '../document/sections.js';
import { ProviderError } from '../errors.js';
import { renderTemplate, type Template } from '../templates/template.js';
import type { ChatProvider } from '../provider/types.js';
import { partLabel } from './revise-sections.js';
import { labelsUsedOutside } from './reference-check.js';
import { callForPart } from './reply-check.js';
import type { WorkingCopy } from './working-copy.js';

export type LinkOutcome = { status: 'present' } | { status: 'added'; section: string | null };

/**
 * Works a link into the most relevant section in natural prose. Unlike `draft new`, no sentence is
 * bolted on when the model leaves it out: the editor asked for prose, so a reply without the URL fails.
 */
export async function workInLink(options: {
  copy: WorkingCopy;
  link: BriefLink;
  /** The part the editor named for it; else the most relevant one. */
  section?: Section;
  template: Template;
  provider: ChatProvider;
  meter: UsageMeter;
  title: string;
  signal?: AbortSignal;
  maxTokens?: number;
}): Promise<LinkOutcome> {
  const { copy, link } = options;
  if (await hasMarkdownLink(copy.markdown(), link.url)) return { status: 'present' };
  const section = options.section ?? chooseSection(copy, link);
  const heading = copy.heading(section);
  const messages = renderTemplate(options.template, {
    title: options.title,
    heading,
    text: copy.content(section),
    linkTitle: link.title,
    url: link.url,
  });
  const revised = await callForPart(
    options.provider,
    { purpose: `the link to ${link.url}`, messages, signal: options.signal, maxTokens: options.maxTokens },
    options.meter,
    {
      heading,
      // As in reviseSections: a top-level `#` part may keep its `##` headings.
      sectionDepth: section.heading === null ? copy.post.structure.sectionDepth : section.depth,
      otherHeadings: copy.sectionHeadings().filter((h) => h !== heading),
      title: options.title,
      label: partLabel(heading),
      original: copy.content(section),
      labelsUsedElsewhere: await labelsUsedOutside(copy.post.src.body, section.start, section.end),
    },
  );
  if (!(await hasMarkdownLink(revised, link.url))) {
    throw new ProviderError('invalid-output', `the model's revision of ${partLabel(heading)} does not link to ${link.url}`, {
      hint: 'nothing was written; try again, or add the link by hand',
    });
  }
  copy.setContent(section, revised);
  return { status: 'added', section: heading };
}

/** A body section when the post has one (the introduction only when it has nothing else). */
function chooseSection(copy: WorkingCopy, link: BriefLink): Section {
  const titled = copy.sections.filter((s) => s.heading !== null);
  const candidates = titled.length > 0 ? titled : [...copy.sections];
  const index = mostRelevantSection(
    candidates.map((s) => `${copy.heading(s) ?? ''} ${copy.content(s)}`),
    link.title,
  );
  return candidates[index]!;
}
