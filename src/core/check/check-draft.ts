import type { BriefLink } from '../brief.js';
import { renderNotes } from '../collab/notes.js';
import { DEFAULT_NOTES_HEADING, DESCRIPTION_LIMIT } from '../defaults.js';
import { parseSource, type SourceFile } from '../document/front-matter.js';
import { readMachineState, STATE_KEY, type MachineState } from '../document/machine-state.js';
import { findNotesBlock, NOTES_START } from '../document/notes-block.js';
import { parseBody } from '../document/sections.js';
import { keywordCoverage } from '../drafting/keywords.js';
import { UsageError } from '../errors.js';
import { linkTargets, loadMarkdown } from '../markdown.js';
import { blank, withoutCode } from './mask.js';
import type { Problem } from './problem.js';
import { notesStructureProblems } from './notes-structure.js';
import { proseProblems } from './prose-rules.js';
import { SourceLines } from './source-lines.js';
import { escapeRegExp } from '../escape-regexp.js';

export const DEFAULT_REQUIRED_FIELDS = ['title', 'date', 'description'];

type Found = Omit<Problem, 'file'>;

/**
 * Every problem `draft check` knows in one post. Sends nothing; reads nothing but the text.
 * A post whose front matter cannot be parsed gets that one problem: nothing else can be trusted.
 */
export async function checkDraft(
  text: string,
  file: string,
  options: { required?: string[]; sidecarState?: unknown } = {},
): Promise<Problem[]> {
  let src: SourceFile;
  try {
    src = parseSource(text, file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return [{ file, ...problemFromError(error, file, 'front-matter') }];
  }
  const lines = new SourceLines(text, src);
  const found: Found[] = [...frontMatterProblems(src, lines, options.required ?? DEFAULT_REQUIRED_FIELDS, file)];

  // The state may live in a sidecar (state-store.ts): the caller reads it, the front matter's wins.
  const state = readMachineState(src.data, options.sidecarState);
  if (src.data[STATE_KEY] !== undefined && !state) {
    found.push({
      line: lines.keyLine(STATE_KEY),
      rule: 'front-matter',
      message: `${STATE_KEY} is malformed: the brief and the log cannot be read`,
    });
  } else if (options.sidecarState !== undefined && !state) {
    found.push({ line: 1, rule: 'front-matter', message: 'the state sidecar is malformed: the brief and the log cannot be read' });
  }

  const notes = findNotesBlock(src.body);
  // The notes quote the brief's links and keywords, so they must not count as the post mentioning them.
  const post = notes ? blank(src.body, notes.start, notes.end) : src.body;
  found.push(...(await linkProblems(post, state, lines)));
  found.push(...keywordProblems(post, src.data, state, lines));
  found.push(...notesProblems(src.body, notes, state, lines));
  found.push(...(await notesStructureProblems(src.body, notes, (offset) => lines.bodyLine(offset))));
  found.push(...proseProblems(await withoutCode(post), (offset) => lines.bodyLine(offset)));
  found.push(...emptySectionProblems(src.body, lines));
  return found.map((f) => ({ file, ...f })).sort((a, b) => a.line - b.line);
}

/** A UsageError that names `file:line:col` becomes a problem at that line. */
export function problemFromError(error: Error, file: string, rule: string): Found {
  const escaped = escapeRegExp(file);
  const where = new RegExp(`^${escaped}(?::(\\d+)(?::\\d+)?)?: `).exec(error.message);
  return { line: where?.[1] ? Number(where[1]) : 1, rule, message: where ? error.message.slice(where[0].length) : error.message };
}

function frontMatterProblems(src: SourceFile, lines: SourceLines, required: string[], file: string): Found[] {
  // A date in the file name counts as the post's date, with or without front matter.
  const stillRequired = hasFileNameDate(file) ? required.filter((f) => f !== 'date') : required;
  if (src.format === 'none') {
    return stillRequired.length === 0
      ? []
      : [{ line: 1, rule: 'front-matter', message: `no front matter (required: ${stillRequired.join(', ')})` }];
  }
  const found: Found[] = [];
  for (const field of stillRequired) {
    const value = presentValue(src.data, field);
    if (value === undefined || value === null) {
      found.push({
        line: 1,
        rule: 'front-matter',
        message: `front matter has no "${field}"${field === 'date' ? ` (nor ${DATE_ALIASES.join(', ')}, nor a date in the file name)` : ''}`,
      });
    } else if ((typeof value === 'string' || Array.isArray(value)) && value.length === 0) {
      found.push({ line: lines.keyLine(field), rule: 'front-matter', message: `front matter "${field}" is empty` });
    }
  }
  const description = src.data.description;
  if (typeof description === 'string' && [...description].length > DESCRIPTION_LIMIT) {
    found.push({
      line: lines.keyLine('description'),
      rule: 'description',
      message: `description is ${[...description].length} characters; search engines cut it at ${DESCRIPTION_LIMIT}`,
    });
  }
  return found;
}

/** Astro's content collections date a post with `pubDate` or `publishDate`; either one is its date. */
const DATE_ALIASES = ['pubDate', 'publishDate'];

function presentValue(data: Record<string, unknown>, field: string): unknown {
  if (field !== 'date' || (data.date !== undefined && data.date !== null)) return data[field];
  const alias = DATE_ALIASES.find((key) => data[key] !== undefined && data[key] !== null);
  return alias === undefined ? data.date : data[alias];
}

/**
 * Jekyll, Eleventy and Docusaurus take a post's date from its file name (`2024-05-01-slug.md`), or for
 * Docusaurus from its folder's (`2024-05-01-slug/index.md`).
 */
export function hasFileNameDate(file: string): boolean {
  const parts = file.split(/[\\/]/);
  const name = parts.at(-1) ?? '';
  const named = /^index\.[^.]+$/i.test(name) ? (parts.at(-2) ?? '') : name;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[-_.]|$)/.exec(named);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

async function linkProblems(post: string, state: MachineState | undefined, lines: SourceLines): Promise<Found[]> {
  const links = briefLinks(state);
  if (links.length === 0) return [];
  const md = await loadMarkdown();
  const present = linkTargets(md.parse(post));
  return links
    .filter((link) => !present.has(link.url))
    .map((link) => ({
      line: lines.lineContaining(link.url),
      rule: 'link',
      message: `the brief's link ${link.url} ("${link.title}") is not linked in the post`,
    }));
}

function briefLinks(state: MachineState | undefined): BriefLink[] {
  const links = state?.brief?.links;
  if (!Array.isArray(links)) return [];
  return links.filter((l): l is BriefLink => typeof l?.url === 'string' && typeof l?.title === 'string');
}

function keywordProblems(post: string, data: Record<string, unknown>, state: MachineState | undefined, lines: SourceLines): Found[] {
  const fromData = typeof data.keywords === 'string' ? data.keywords.split(',') : Array.isArray(data.keywords) ? data.keywords : [];
  const fromBrief = Array.isArray(state?.brief?.keywords) ? (state.brief.keywords as unknown[]) : [];
  // Front matter and brief usually repeat each other; each keyword is reported once, however it is cased.
  const byLowerCase = new Map<string, string>();
  for (const raw of [...fromData, ...fromBrief]) {
    const keyword = typeof raw === 'string' ? raw.trim() : '';
    if (keyword && !byLowerCase.has(keyword.toLowerCase())) byLowerCase.set(keyword.toLowerCase(), keyword);
  }
  const keywords = [...byLowerCase.values()];
  const coverage = keywordCoverage(keywords, { title: '', description: '', parts: [{ heading: null, markdown: post }] });
  return coverage
    .filter((c) => c.count === 0)
    .map((c) => ({ line: lines.keyLine('keywords'), rule: 'keyword', message: `keyword "${c.keyword}" does not appear in the post` }));
}

function notesProblems(
  body: string,
  notes: ReturnType<typeof findNotesBlock>,
  state: MachineState | undefined,
  lines: SourceLines,
): Found[] {
  // A post draft never touched has no log, so it owes no notes (and any notes it has are its own).
  if (!state) return [];
  if (!notes) return [{ line: lines.lastLine, rule: 'notes', message: `no collaboration notes block (${NOTES_START} ... )` }];
  const block = body.slice(notes.start, notes.end).replace(/\r\n/g, '\n');
  // The markers' own lines go; what is between them is what renderNotes produced.
  const inner = block.split('\n').slice(1, block.endsWith('\n') ? -2 : -1);
  const heading = /^##\s+(.+?)\s*$/.exec(inner[0] ?? '')?.[1] ?? DEFAULT_NOTES_HEADING;
  const fresh = renderNotes(state.log, heading).split('\n');
  const differs = Math.max(inner.length, fresh.length);
  for (let i = 0; i < differs; i++) {
    if ((inner[i] ?? '').trimEnd() !== (fresh[i] ?? '').trimEnd()) {
      const line = lines.bodyLine(notes.start) + 1 + Math.min(i, inner.length);
      return [{ line, rule: 'notes', message: 'the collaboration notes do not match the log (edited by hand, or out of date)' }];
    }
  }
  return [];
}

function emptySectionProblems(body: string, lines: SourceLines): Found[] {
  return parseBody(body)
    .sections.filter(
      (s) =>
        s.heading !== null &&
        body
          .slice(s.contentStart, s.end)
          .replace(/<!--[\s\S]*?-->/g, '')
          .trim() === '',
    )
    .map((s) => ({ line: lines.bodyLine(s.start), rule: 'empty-section', message: `section "${s.heading}" is empty` }));
}
