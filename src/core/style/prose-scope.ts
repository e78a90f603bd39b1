import { blank, withoutCode } from '../check/mask.js';
import { findNotesBlock } from '../document/notes-block.js';
import { findConstructs } from '../revise/construct-check.js';

/** Bare URLs and `<https://…>` autolinks: GFM makes them link text, but nobody wrote them as prose. */
const BARE_URL = /<?\b(?:https?:\/\/|www\.)[^\s<>)\]]+>?/gi;

/**
 * The body with everything that is not prose blanked to spaces (line breaks kept, so every offset
 * still points into the post): code, HTML and JSX tags, MDX import/export lines, shortcodes and
 * Liquid tags, images, link and footnote definitions, bare URLs, and the collaboration notes.
 */
export async function proseOnly(body: string): Promise<string> {
  let text = await withoutCode(body);
  const notes = findNotesBlock(text);
  if (notes) text = blank(text, notes.start, notes.end);
  for (const construct of await findConstructs(text)) {
    if (construct.kind !== 'code') text = blank(text, construct.start, construct.end);
  }
  return text.replace(BARE_URL, (url) => ' '.repeat(url.length));
}
