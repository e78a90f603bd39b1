import { createRequire } from 'node:module';
import { DEFAULT_FILE_NAME_PATTERN } from './defaults.js';
import { UsageError } from './errors.js';

const MAX_SLUG_LENGTH = 80;

// Letters NFKD does not decompose into ASCII + combining marks.
const TRANSLITERATIONS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  ı: 'i',
  ø: 'o',
  Ø: 'o',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  Þ: 'th',
  ħ: 'h',
  Ħ: 'h',
};

type Transliterate = (text: string) => string;
let transliterator: Transliterate | undefined;

/**
 * @sindresorhus/transliterate builds a regular expression per locale from its tables when it is imported
 * (about 10 ms), and most titles need none of it: it is loaded on the first slug that still has a
 * non-ASCII letter after the table above. slugify is synchronous (batch ids are checked with it), so the
 * package is required (Node ≥ 20.19 requires ES modules), from node_modules rather than the bundle.
 */
function transliterate(text: string): string {
  if (!transliterator) {
    const requireModule = createRequire(import.meta.url);
    transliterator = (requireModule('@sindresorhus/transliterate') as { default: Transliterate }).default;
  }
  return transliterator(text);
}

// Windows refuses these as file names whatever the extension, so a post called "Con" must not become con.md.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

/**
 * A lower-case ASCII slug that is always a safe, plain file-name stem. Accents are dropped (ü → u, as
 * WordPress and Hugo do); other scripts are transliterated (Привет → privet, Ελληνικά → ellinika) by
 * @sindresorhus/transliterate; what has no Latin spelling (日本語) becomes a separator.
 */
export function slugify(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    // "DeepSeek’s" → "deepseeks", as WordPress and Hugo's urlize do, not "deepseek-s".
    .replace(/['’‘`]/g, '')
    .replace(/[^\u0000-\u007f]/g, (ch) => TRANSLITERATIONS[ch] ?? ch)
    .replace(/[^\u0000-\u007f]+/g, (run) => transliterate(run).replace(/['’‘`]/g, ''))
    .replace(/[^\u0000-\u007f]/g, '-')
    .toLowerCase();
  let slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  slug = truncateAtBoundary(slug, MAX_SLUG_LENGTH);
  if (slug === '') return 'untitled';
  return WINDOWS_RESERVED.test(slug) ? `${slug}-post` : slug;
}

function truncateAtBoundary(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  // Keep whole words when the cut lands inside one; a single 80+ letter word is cut hard.
  const boundary = slug[max] === '-' ? max : cut.lastIndexOf('-');
  return (boundary > 0 ? cut.slice(0, boundary) : cut).replace(/-+$/, '');
}

export interface FileNameVars {
  slug: string;
  /** YYYY-MM-DD */
  date: string;
}

/**
 * Expands a file-name pattern such as `{date}-{slug}.md` or `{slug}/index.md`. The result must be a
 * relative path of plain names: the pattern comes from config, so it must not be able to steer the
 * write outside the posts folder.
 */
export function fileNameFor(pattern: string = DEFAULT_FILE_NAME_PATTERN, vars: FileNameVars): string {
  const dateMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(vars.date);
  if (!dateMatch) {
    throw new UsageError(`invalid date "${vars.date}" for the file name: expected YYYY-MM-DD`, {
      hint: 'Use a date like 2024-03-05.',
    });
  }
  const [, year = '', month = '', day = ''] = dateMatch;
  const tokens: Record<string, string> = { slug: vars.slug, date: vars.date, year, month, day };
  const name = pattern.replace(/\{([^{}]*)\}/g, (whole, token: string) => {
    const value = tokens[token];
    if (value === undefined) {
      throw patternError(pattern, `unknown token ${whole}`);
    }
    return value;
  });
  assertPlainFileName(pattern, name);
  return name;
}

/**
 * A relative path of plain names: folders are allowed (`{slug}/index.md`, `{year}/{month}/{slug}.md`)
 * so page bundles and dated folders work, but every part must be a plain name, so the result always
 * stays inside the posts folder.
 */
function assertPlainFileName(pattern: string, name: string): void {
  if (name.trim() === '') throw patternError(pattern, 'it gives an empty file name');
  if (name.includes('\0')) throw patternError(pattern, 'it contains a NUL character');
  if (name.includes('\\')) throw patternError(pattern, 'it gives a path with backslash folder separators; use "/"');
  if (/^[a-z]:/i.test(name) || name.startsWith('~') || name.startsWith('/')) throw patternError(pattern, 'it gives an absolute path');
  for (const part of name.split('/')) assertPlainPart(pattern, part);
}

function assertPlainPart(pattern: string, name: string): void {
  if (name.trim() === '') throw patternError(pattern, 'it gives an empty folder or file name');
  if (name.includes('..')) throw patternError(pattern, 'it contains ".."');
  // Characters Windows rejects; a config shared across machines should work everywhere.
  if (/[<>:"|?*\u0000-\u001f]/.test(name)) throw patternError(pattern, 'it contains characters not allowed in file names');
  if (name === '.') throw patternError(pattern, 'it gives "."');
  const stem = name.split('.')[0] ?? '';
  if (WINDOWS_RESERVED.test(stem.trim())) throw patternError(pattern, `"${stem}" is a reserved file name on Windows`);
  if (/[. ]$/.test(name)) throw patternError(pattern, 'a file name cannot end with a dot or a space on Windows');
}

function patternError(pattern: string, reason: string): UsageError {
  return new UsageError(`file name pattern "${pattern}": ${reason}`, {
    hint: `Use tokens {slug}, {date}, {year}, {month}, {day} and "/" between folders, e.g. "${DEFAULT_FILE_NAME_PATTERN}", "{date}-{slug}.md" or "{slug}/index.md".`,
  });
}
