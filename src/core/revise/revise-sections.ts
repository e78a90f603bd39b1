import type { UsageMeter } from '../drafting/model-call.js';
import { topLevelOf, type Section } from '../document/sections.js';
import { renderTemplate, type Template } from '../templates/template.js';
import type { ChatProvider } from '../provider/types.js';
import { countWords } from '../markdown.js';
import { sharedSignal } from '../shared-signal.js';
import { outlineList, type Guidance } from './guidance.js';
import { headingMarker } from './post.js';
import { labelsUsedOutside } from './reference-check.js';
import { callForPart } from './reply-check.js';
import { resolveCitations, type CitationStyle } from '../sources/citations.js';
import type { SourceContext } from '../sources/source-context.js';
import type { WorkingCopy } from './working-copy.js';

export interface SectionProgress {
  onStart?(heading: string | null): void;
  onDone?(heading: string | null): void;
}

export function partLabel(heading: string | null): string {
  return heading === null ? 'the introduction' : `“${heading}”`;
}

/**
 * Revises each target in its own call, all started at once (the provider's limiter bounds how many
 * are in flight). Each call carries that part, the post's headings and the guidance, never the whole
 * post. A reply must keep the part's code, images, shortcodes and the like (retried once if not).
 * The first failure cancels the other calls, and nothing is kept from any of them.
 */
export async function reviseSections(options: {
  copy: WorkingCopy;
  targets: readonly Section[];
  guidance: Guidance;
  template: Template;
  provider: ChatProvider;
  meter: UsageMeter;
  signal?: AbortSignal;
  maxTokens?: number;
  progress?: SectionProgress;
  /** The post's sources: each part gets its most relevant excerpts, and its citations become links. */
  sources?: SourceContext;
  citations?: CitationStyle;
  /** An instruction of each part's own (`--fix-style` names that part's problems), instead of the editor's one. */
  instructionFor?: (section: Section) => string | undefined;
}): Promise<void> {
  const { copy, guidance } = options;
  const controller = new AbortController();
  sharedSignal(controller.signal);
  const stop = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stop, { once: true });
  const all = copy.sections;
  const headings = all.map((s) => ({ heading: copy.heading(s) }));
  const titled = copy.sectionHeadings();

  const revise = async (section: Section): Promise<[Section, string]> => {
    const heading = copy.heading(section);
    const text = copy.content(section);
    // The revised part should be about as long as the current one; the reply cap is derived from it.
    const words = Math.max(40, await countWords(text));
    const excerpts = options.sources?.excerptsFor(`${heading ?? guidance.title} ${guidance.instruction ?? ''} ${text.slice(0, 400)}`);
    const messages = renderTemplate(options.template, {
      ...guidance,
      // The outline lists the top-level parts; a nested section is revised inside the one that holds it.
      outline: outlineList(headings, (i) =>
        all[i] === section
          ? 'revise this one'
          : all[i] === topLevelOf(copy.post.structure, section)
            ? `the part to revise, "${heading}", is inside this one`
            : undefined,
      ),
      part: heading === null ? 'the introduction' : `the section "${heading}"`,
      heading,
      marker: headingMarker(section.depth),
      words,
      text,
      excerpts: excerpts?.text || undefined,
      ...(options.instructionFor ? { instruction: options.instructionFor(section) } : {}),
    });
    options.progress?.onStart?.(heading);
    const revised = await callForPart(
      options.provider,
      {
        purpose: `the revision of ${partLabel(heading)}`,
        messages,
        signal: controller.signal,
        maxTokens: options.maxTokens,
        targetWords: words,
      },
      options.meter,
      {
        heading,
        // A `###` section's reply must not hold a `###` either; a top-level `#` may keep its `##`s.
        sectionDepth: section.heading === null ? copy.post.structure.sectionDepth : section.depth,
        otherHeadings: titled.filter((h) => h !== heading),
        title: guidance.title,
        label: partLabel(heading),
        original: text,
        instruction: guidance.instruction,
        labelsUsedElsewhere: await labelsUsedOutside(copy.post.src.body, section.start, section.end),
      },
    );
    options.progress?.onDone?.(heading);
    return [section, excerpts ? resolveCitations(revised, excerpts.map, options.citations ?? 'links').text : revised];
  };

  try {
    const results = await Promise.all(
      options.targets.map((section) =>
        revise(section).catch((error: unknown) => {
          stop();
          throw error;
        }),
      ),
    );
    // Applied only once every part came back usable: a failure leaves the working copy untouched.
    for (const [section, revised] of results) copy.setContent(section, revised);
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
