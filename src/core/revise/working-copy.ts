import type { Section } from '../document/sections.js';
import { headingMarker, sectionContent, type LoadedPost } from './post.js';
import { applyEdits, type TextEdit } from '../document/text-edits.js';
import { contentReplacement, headingReplacement, insertion } from './splice.js';
import { headingSource, withoutNul } from '../model-text.js';

export interface InsertedSection {
  /** Offset in the original body. */
  offset: number;
  heading: string;
  content: string;
}

/**
 * The revision in progress, kept as changes against the original post: revised section texts,
 * renamed headings, inserted sections, a new title. Each step reads the text as the previous steps
 * left it; only `renderBody` turns the changes into text, by splicing the original by offsets.
 */
export class WorkingCopy {
  private readonly contents = new Map<number, string>();
  private readonly headings = new Map<number, string>();
  readonly inserted: InsertedSection[] = [];
  title?: string;

  constructor(readonly post: LoadedPost) {}

  get sections(): readonly Section[] {
    return this.post.structure.sections;
  }

  content(section: Section): string {
    const own = this.contents.get(section.index);
    if (own !== undefined) return own;
    // A nested section revised earlier in this run is part of the text of the one that holds it.
    const inner = this.revisedInside(section);
    if (inner.length === 0) return sectionContent(this.post.src.body, section);
    const { body, eol } = this.post.src;
    const from = section.contentStart;
    const edits = inner.map((s) => ({
      start: s.contentStart - from,
      end: s.end - from,
      text: contentReplacement(body.slice(s.contentStart, s.end), this.contents.get(s.index)!, eol),
    }));
    return applyEdits(body.slice(from, section.end), edits).replace(/\r\n/g, '\n').trim();
  }

  heading(section: Section): string | null {
    return this.headings.get(section.index) ?? section.heading;
  }

  /** Every section heading as it stands now (renames included), the introduction and inserted sections left out. */
  sectionHeadings(): string[] {
    return this.sections.map((s) => this.heading(s)).filter((h): h is string => h !== null);
  }

  setContent(section: Section, markdown: string): void {
    // The new text already holds the nested revisions it was made from; keeping them would overlap.
    for (const inner of this.revisedInside(section)) this.contents.delete(inner.index);
    this.contents.set(section.index, markdown.trim());
  }

  private revisedInside(section: Section): Section[] {
    return this.post.structure.outline.filter(
      (s) => s !== section && this.contents.has(s.index) && s.start >= section.contentStart && s.end <= section.end,
    );
  }

  renameHeading(section: Section, heading: string): void {
    if (heading !== section.heading) this.headings.set(section.index, heading);
  }

  get revisedIndexes(): ReadonlySet<number> {
    return new Set(this.contents.keys());
  }

  get renamedIndexes(): ReadonlySet<number> {
    return new Set(this.headings.keys());
  }

  /** Every heading as it stands now, inserted sections included, in reading order. */
  headingsInOrder(): { heading: string | null; inserted: boolean }[] {
    const out: { heading: string | null; inserted: boolean; at: number }[] = this.sections.map((s) => ({
      heading: this.heading(s),
      inserted: false,
      at: s.start,
    }));
    for (const added of this.inserted) out.push({ heading: added.heading, inserted: true, at: added.offset - 0.5 });
    return out.sort((a, b) => a.at - b.at).map(({ heading, inserted }) => ({ heading, inserted }));
  }

  /** The post as Markdown, for requests that need all of it (title, SEO). Notes block left out. */
  markdown(): string {
    const parts: string[] = [];
    const depth = this.post.structure.sectionDepth;
    const pending = [...this.inserted].sort((a, b) => a.offset - b.offset);
    const flushBefore = (offset: number) => {
      while (pending.length > 0 && pending[0]!.offset <= offset) {
        const added = pending.shift()!;
        parts.push(`${headingMarker(depth)} ${added.heading}\n\n${added.content.trim()}`);
      }
    };
    for (const section of this.sections) {
      flushBefore(section.start);
      const heading = this.heading(section);
      const content = this.content(section);
      parts.push(heading === null ? content : `${headingMarker(section.depth)} ${heading}\n\n${content}`);
    }
    flushBefore(Number.POSITIVE_INFINITY);
    return parts.join('\n\n');
  }

  /** The new body: the original with only the changed ranges replaced. */
  renderBody(): string {
    const { src, structure } = this.post;
    const body = src.body;
    const edits: TextEdit[] = [];
    // The outline, not just the top-level parts: --section can name a nested heading.
    for (const section of structure.outline) {
      const revised = this.contents.get(section.index);
      if (revised !== undefined) {
        edits.push({
          start: section.contentStart,
          end: section.end,
          text: contentReplacement(body.slice(section.contentStart, section.end), withoutNul(revised), src.eol),
        });
      }
      const renamed = this.headings.get(section.index);
      if (renamed !== undefined && section.heading !== null) {
        edits.push({
          start: section.start,
          end: section.contentStart,
          text: headingReplacement(body.slice(section.start, section.contentStart), headingSource(renamed), src.eol),
        });
      }
    }
    if (this.title !== undefined && structure.title && this.title !== structure.title.text) {
      const { start, end } = structure.title;
      edits.push({ start, end, text: headingReplacement(body.slice(start, end), headingSource(this.title), src.eol) });
    }
    for (const added of this.inserted) {
      edits.push(
        insertion(
          body,
          added.offset,
          `${headingMarker(structure.sectionDepth)} ${headingSource(added.heading)}`,
          withoutNul(added.content),
          src.eol,
        ),
      );
    }
    return applyEdits(body, edits);
  }
}
