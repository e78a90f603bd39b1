import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { parseSource, renderSource, setFrontMatterKeys } from '../document/front-matter.js';
import { STATE_KEY } from '../document/machine-state.js';

/** Stands for the tool's own state in a diff: a person reviews the post, not hashes and log entries. */
export const STATE_PLACEHOLDER = '(draft’s own state: log, hashes, usage; see `draft history`)';

/**
 * A unified diff of two versions of a post, for people: line endings are compared without their
 * CR (a CRLF file is kept CRLF on disk; the diff would otherwise mark nothing but `\r`), a BOM is
 * not shown as a change of the first line, and the `draft_state` front-matter key is folded to one
 * line (it changes on every revision and would bury the edit under log entries).
 */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string, context = 3): string {
  const prepare = (s: string) => foldToolState(s).replace(/^\uFEFF/, '');
  const patch = createTwoFilesPatch(oldName, newName, prepare(before), prepare(after), undefined, undefined, {
    context,
    stripTrailingCr: true,
    headerOptions: FILE_HEADERS_ONLY,
  });
  // A patch with no hunks is only its two header lines: say so instead.
  return /^@@/m.test(patch) ? patch : '';
}

function foldToolState(text: string): string {
  try {
    const src = parseSource(text, 'diff');
    if (!(STATE_KEY in src.data)) return text;
    return renderSource(src, setFrontMatterKeys(src, { [STATE_KEY]: STATE_PLACEHOLDER }), src.body);
  } catch {
    // Unparseable front matter is shown as it is.
    return text;
  }
}
