import { contentHash, parseBody, sectionText } from './sections.js';

/** The hash of each section as it stands, keyed by heading (null for the lead). */
export function hashSections(body: string): { heading: string | null; hash: string }[] {
  return parseBody(body).sections.map((s) => ({ heading: s.heading, hash: contentHash(sectionText(body, s)) }));
}
