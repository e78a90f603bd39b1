import { contentHash, parseBody, parseBodyBeforeNotes, sectionText } from './sections.js';

/**
 * The hash of each section as it stands, keyed by heading (null for the lead). `markdown`, when given, is
 * the body's text before its notes block, already parsed (a new draft's composed post): the notes are then
 * not parsed when the body's shape allows it (see parseBodyBeforeNotes).
 */
export function hashSections(body: string, markdown?: string): { heading: string | null; hash: string }[] {
  const structure = (markdown !== undefined ? parseBodyBeforeNotes(body, markdown) : undefined) ?? parseBody(body);
  return structure.sections.map((s) => ({ heading: s.heading, hash: contentHash(sectionText(body, s)) }));
}
