import type { SectionHashSchema } from '../document/machine-state.js';
import { contentHash, sectionText, type BodyStructure, type Section } from '../document/sections.js';
import type * as z from 'zod';

type StoredHash = z.infer<typeof SectionHashSchema>;

/** What the editor changed by hand since the tool last wrote the post. */
export interface HandEdits {
  /** Headings of sections whose text differs from what the tool wrote. */
  edited: string[];
  /** The introduction (text before the first heading) was edited. */
  introduction: boolean;
  /** Sections the tool never wrote (added by hand). */
  added: string[];
  /** Sections the tool wrote that are gone. */
  removed: string[];
}

export function hasHandEdits(edits: HandEdits): boolean {
  return edits.introduction || edits.edited.length + edits.added.length + edits.removed.length > 0;
}

/**
 * Compares each section with the hash stored when the tool last wrote it. Sections in `revising` are
 * left out: the tool is about to rewrite them, so their current text is input, not a result.
 * Matching is by heading, in order, so two sections with the same heading pair up one to one.
 */
export function detectHandEdits(
  body: string,
  structure: BodyStructure,
  stored: readonly StoredHash[],
  revising: ReadonlySet<number> = new Set(),
): HandEdits {
  const unused = [...stored];
  const result: HandEdits = { edited: [], introduction: false, added: [], removed: [] };
  for (const section of structure.sections) {
    const at = unused.findIndex((s) => sameHeading(s.heading, section.heading));
    const match = at === -1 ? undefined : unused.splice(at, 1)[0];
    if (revising.has(section.index)) continue;
    if (!match) {
      if (section.heading === null) result.introduction = true;
      else result.added.push(section.heading);
      continue;
    }
    if (matchesHash(body, section, match.hash)) continue;
    if (section.heading === null) result.introduction = true;
    else result.edited.push(section.heading);
  }
  for (const gone of unused) if (gone.heading !== null && gone.heading !== '') result.removed.push(gone.heading);
  return result;
}

// A freshly written file separates the front matter from the body with a blank line that was not
// part of the text when its hashes were taken, so leading blank lines never count as an edit.
function matchesHash(body: string, section: Section, hash: string): boolean {
  const text = sectionText(body, section);
  return contentHash(text) === hash || contentHash(text.replace(/^(?:[ \t]*\r?\n)+/, '')) === hash;
}

// TOML front matter cannot hold null, so a stored lead may come back with an empty heading.
function sameHeading(stored: string | null, current: string | null): boolean {
  if (current === null) return stored === null || stored === '';
  return stored === current;
}
