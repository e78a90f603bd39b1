import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/**
 * A unified diff of two versions of a post, for people: line endings are compared without their
 * CR (a CRLF file is kept CRLF on disk; the diff would otherwise mark nothing but `\r`), and a BOM
 * is not shown as a change of the first line.
 */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string, context = 3): string {
  const strip = (s: string) => s.replace(/^\uFEFF/, '');
  const patch = createTwoFilesPatch(oldName, newName, strip(before), strip(after), undefined, undefined, {
    context,
    stripTrailingCr: true,
    headerOptions: FILE_HEADERS_ONLY,
  });
  // A patch with no hunks is only its two header lines: say so instead.
  return /^@@/m.test(patch) ? patch : '';
}
