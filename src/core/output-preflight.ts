import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Brief } from './brief.js';
import { sectionTemplateVars } from './drafting/draft-sections.js';
import type { DraftTemplates } from './drafting/generate-draft.js';
import { linkTemplateVars } from './drafting/links.js';
import { outlineVars } from './drafting/outline.js';
import { DraftError } from './errors.js';
import { renderTemplate, type Template, type TemplateVars } from './templates/render-template.js';
import { isMarkdownFileName, MARKDOWN_EXTENSIONS_TEXT } from './markdown-file-name.js';
import { fileNameFor } from './slug.js';

/**
 * Everything about where a draft goes and how it is asked for that can be wrong is checked here,
 * before the first request, so a mistake costs nothing. Each check returns problems; callers
 * report them all together.
 */

/** Most file systems (ext4, APFS, NTFS) refuse a name longer than this many bytes. */
export const MAX_FILE_NAME_BYTES = 255;
// The longest slug slugify makes, and the longest suffix a name collision adds ("-1000").
const LONGEST_SLUG = 'x'.repeat(80);
const LONGEST_SUFFIX = '-1000';

/** A file-name pattern that would fail at write time, named by `label` ("--file-name", "draft.config.json: fileName"). */
export function fileNamePatternProblems(pattern: string, label: string): string[] {
  let name: string;
  try {
    name = fileNameFor(pattern, { slug: LONGEST_SLUG, date: '2000-01-01' });
  } catch (error) {
    return [`${label}: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  if (!isMarkdownFileName(name)) problems.push(`${label} "${pattern}" must end in ${MARKDOWN_EXTENSIONS_TEXT}, e.g. "{slug}.md"`);
  const bytes = Buffer.byteLength(name) + LONGEST_SUFFIX.length;
  if (bytes > MAX_FILE_NAME_BYTES) {
    problems.push(
      `${label} "${pattern}" can give a file name of ${bytes} bytes (with an 80-character slug and a "-1000" suffix); ` +
        `at most ${MAX_FILE_NAME_BYTES} are allowed`,
    );
  }
  return problems;
}

/** A name longer than the file system allows, for names known in full before drafting (batch outputs). */
export function fileNameLengthProblem(name: string): string | undefined {
  const bytes = Buffer.byteLength(name);
  return bytes > MAX_FILE_NAME_BYTES ? `is ${bytes} bytes long; a file name can be at most ${MAX_FILE_NAME_BYTES}` : undefined;
}

/**
 * The output folder must be a folder we can create files in: the folder itself, or, when it does not
 * exist yet, the nearest folder above it that does (the write creates the rest). `typed` is the
 * folder as the user gave it, for the message.
 */
export async function outputFolderProblems(dir: string, label: string, typed: string = dir): Promise<string[]> {
  const target = resolve(dir);
  let current = target;
  let shown = typed;
  for (;;) {
    let info;
    try {
      info = await stat(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(current) !== current) {
        current = dirname(current);
        shown = dirname(shown);
        continue;
      }
      return [`${label} "${typed}" cannot be used (${code ?? 'error'})`];
    }
    if (!info.isDirectory()) {
      return [
        current === target ? `${label} "${typed}" is a file, not a folder` : `${label} "${typed}" is inside ${shown}, which is a file`,
      ];
    }
    try {
      await access(current, constants.W_OK | constants.X_OK);
    } catch (error) {
      return [`${label} "${typed}" cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'} on ${shown})`];
    }
    return [];
  }
}

/**
 * A folder inside `root` by its path can still lead out of it through a symbolic link (drafts/posts →
 * /etc). What exists of both is resolved, and the folder must stay inside.
 */
export async function symlinkEscapeProblems(folder: string, root: string, typed: string): Promise<string[]> {
  const real = async (path: string): Promise<string> => {
    let current = resolve(path);
    const rest: string[] = [];
    for (;;) {
      try {
        return resolve(await realpath(current), ...rest);
      } catch {
        if (dirname(current) === current) return resolve(path);
        rest.unshift(basename(current));
        current = dirname(current);
      }
    }
  };
  const [realFolder, realRoot] = await Promise.all([real(folder), real(root)]);
  const inside = relative(realRoot, realFolder);
  return inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)
    ? [`output folder "${typed}" leads outside the output folder through a symbolic link (to ${realFolder})`]
    : [];
}

/** Renders each draft template once with typical values, so an unknown placeholder is found now, not after paying for the outline. */
export function draftTemplateProblems(brief: Brief, templates: DraftTemplates): string[] {
  const sample = { heading: 'A typical section', markdown: 'Some text.' };
  const link = brief.links[0] ?? { title: 'An earlier post', url: 'https://example.com/post' };
  const checks: [Template, TemplateVars][] = [
    [templates.outline, outlineVars(brief)],
    [
      templates.section,
      sectionTemplateVars(brief, {
        title: brief.title ?? brief.topic,
        outline: '- x',
        heading: sample.heading,
        points: 'x',
        words: 200,
        links: brief.links,
      }),
    ],
    [templates.link, linkTemplateVars(brief.title ?? brief.topic, sample, link)],
  ];
  const problems: string[] = [];
  for (const [template, vars] of checks) {
    try {
      renderTemplate(template, vars);
    } catch (error) {
      if (!(error instanceof DraftError)) throw error;
      problems.push(error.hint ? `${error.message} (${error.hint})` : error.message);
    }
  }
  return problems;
}
