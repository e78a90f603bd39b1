import { isDeepStrictEqual } from 'node:util';
import { createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY } from 'diff';
import { parseSource, renderSource, setFrontMatterKeys, type SourceFile } from '../document/front-matter.js';
import { STATE_KEY } from '../document/machine-state.js';
import { isPlainObject } from '../plain-object.js';

/** Stands for the tool's own state in a diff: a person reviews the post, not hashes and log entries. */
export const STATE_PLACEHOLDER = '(draft’s own state, folded; see `draft history`)';

/** What people call the parts of the state, in the fold's summary, most telling first. */
const STATE_PART_NAMES: Record<string, string> = { sections: 'hashes' };
const STATE_PART_ORDER = ['log', 'sections', 'usage', 'brief', 'provider', 'model'];
const rank = (key: string) => (STATE_PART_ORDER.includes(key) ? STATE_PART_ORDER.indexOf(key) : STATE_PART_ORDER.length);

/**
 * A unified diff of two versions of a post, for people: line endings are compared without their
 * CR (a CRLF file is kept CRLF on disk; the diff would otherwise mark nothing but `\r`), a BOM is
 * not shown as a change of the first line, and the `draft_state` front-matter key is folded to one
 * line (it changes on every revision and would bury the edit under log entries). The folded line
 * still says how many lines of the file change under it and in which parts, so the preview never
 * hides that the file gains, say, a 54-line table.
 */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string, context = 3): string {
  const old = readState(before);
  const now = readState(after);
  const change = old?.text === now?.text ? undefined : describeChange(old, now);
  const prepare = (s: string, state: FoldedState | undefined, note: string | undefined) =>
    foldToolState(s, state, note).replace(/^\uFEFF/, '');
  const patch = createTwoFilesPatch(oldName, newName, prepare(before, old, undefined), prepare(after, now, change), undefined, undefined, {
    context,
    stripTrailingCr: true,
    headerOptions: FILE_HEADERS_ONLY,
  });
  // A patch with no hunks is only its two header lines: say so instead.
  return /^@@/m.test(patch) ? patch : '';
}

interface FoldedState {
  src: SourceFile;
  /** The state's own lines of the front matter, as stored. */
  text: string;
  value: unknown;
}

function readState(text: string): FoldedState | undefined {
  try {
    const src = parseSource(text, 'diff');
    if (!(STATE_KEY in src.data)) return undefined;
    const without = setFrontMatterKeys(src, { [STATE_KEY]: undefined });
    const stateText = diffLines(without.replace(/\r/g, ''), src.frontMatter.replace(/\r/g, ''))
      .filter((part) => part.added)
      .map((part) => part.value)
      .join('');
    return { src, text: stateText, value: src.data[STATE_KEY] };
  } catch {
    // Unparseable front matter is shown as it is.
    return undefined;
  }
}

function foldToolState(text: string, state: FoldedState | undefined, note: string | undefined): string {
  if (!state) return text;
  const placeholder = note ? `(draft’s own state, folded: ${note})` : STATE_PLACEHOLDER;
  try {
    return renderSource(state.src, setFrontMatterKeys(state.src, { [STATE_KEY]: placeholder }), state.src.body);
  } catch {
    return text;
  }
}

/** "+54 lines: log, hashes": how many of the file's lines the fold stands for, and what they hold. */
function describeChange(old: FoldedState | undefined, now: FoldedState | undefined): string {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(old?.text ?? '', now?.text ?? '')) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  const counts = [added ? `+${added}` : '', removed ? `-${removed}` : ''].filter(Boolean).join(' ') || '±0';
  const lines = `${counts} line${added + removed === 1 ? '' : 's'}`;
  const a = isPlainObject(old?.value) ? old.value : {};
  const b = isPlainObject(now?.value) ? now.value : {};
  const parts = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    // The format version says nothing to a reader.
    .filter((key) => key !== 'version' && !isDeepStrictEqual(a[key], b[key]))
    .sort((x, y) => rank(x) - rank(y))
    .map((key) => STATE_PART_NAMES[key] ?? key);
  if (!now) return `${lines}: removed`;
  return parts.length ? `${lines}: ${parts.join(', ')}` : lines;
}
