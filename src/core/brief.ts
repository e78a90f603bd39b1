import { canonicalLanguage } from './style/language.js';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import * as z from 'zod';
import { UsageError } from './errors.js';
import { noteParse } from './document/parse-watch.js';
import { SourceListSchema } from './sources/source-spec.js';
import { check, pathName, problemsError, wholeNumber } from './validation.js';

export interface BriefLink {
  title: string;
  url: string;
}

/** "DeepSeek R1: Revolutionising Open-Source AI=https://example.com/x?a=b": the first "=" before a URL splits. */
export function parseLinkSpec(spec: string): BriefLink | undefined {
  const match = /^(.*?)=\s*(https?:\/\/\S+)\s*$/s.exec(spec.trim());
  if (!match) return undefined;
  const title = match[1]!.trim();
  const url = match[2]!;
  if (!title) return undefined;
  return { title, url };
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** What a link looks like, said whenever one is not. */
export const LINK_SHAPE = '"Title=https://…"';

const LinkSchema = z.union([
  z.object({ title: z.string().trim().min(1, 'must not be empty'), url: httpUrl }).strict(),
  z.string().transform((spec, ctx) => {
    const link = parseLinkSpec(spec);
    if (!link) {
      ctx.addIssue({ code: 'custom', message: `"${spec}" must look like ${LINK_SHAPE} (a title, "=", then an http(s) URL)` });
      return z.NEVER;
    }
    return link;
  }),
]);

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const BriefSchema = z
  .object({
    topic: text(500),
    direction: text(2000).optional(),
    audience: text(500).optional(),
    tone: text(200).optional(),
    words: wholeNumber(150, 10_000).optional(),
    sections: wholeNumber(1, 15).optional(),
    title: text(200).optional(),
    keepTitle: z.boolean().optional(),
    keywords: z.array(text(100)).max(30, 'must be at most 30 keywords').default([]),
    links: z.array(LinkSchema).max(20, 'must be at most 20 links').default([]),
    author: text(200).optional(),
    /** The post's language, a BCP 47 tag (`en-GB`, `de`, `es`), kept in its canonical form. */
    language: z
      .string()
      .trim()
      .refine((tag) => canonicalLanguage(tag) !== undefined, 'must be a BCP 47 language tag such as en-GB, de or es')
      .transform((tag) => canonicalLanguage(tag)!)
      .optional(),
    /** What the post's figures must come from: URLs or files (`--source`). */
    sources: SourceListSchema.default([]),
  })
  .strict();

export type Brief = z.output<typeof BriefSchema>;

/** Brief files use the same names as the flags; these spellings are accepted too. */
const ALIASES: Record<string, string> = {
  keyword: 'keywords',
  link: 'links',
  source: 'sources',
  'keep-title': 'keepTitle',
  keep_title: 'keepTitle',
  wordCount: 'words',
};

export function normaliseBriefKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = ALIASES[key] ?? key;
    out[name] = (name === 'keywords' || name === 'links' || name === 'sources') && typeof value === 'string' ? [value] : value;
  }
  return out;
}

/** Field names a brief accepts: the schema's and the aliases. */
export const BRIEF_FIELD_ALIASES = Object.keys(ALIASES);

export const BRIEF_HINT =
  'fields: topic (required), direction, audience, tone, words, sections, title, keepTitle, keywords, links, sources, author, language';

/**
 * Checks a merged brief, one line per problem. `labelFor` names a top-level field as the user gave
 * it ("--words", "brief.yaml: words"); a flag is named without list indices, since it was repeated.
 */
export function briefProblems(
  raw: Record<string, unknown>,
  labelFor: (field: string) => string = (f) => f,
): { brief?: Brief; problems: string[] } {
  const result = check(BriefSchema, normaliseBriefKeys(raw), {
    extraFields: BRIEF_FIELD_ALIASES,
    name: (path) => {
      const [field, ...rest] = path;
      if (field === undefined) return labelFor('');
      const label = labelFor(String(field));
      return label.startsWith('--') ? label : `${label}${pathName(rest).replace(/^(?=[^[])/, rest.length ? '.' : '')}`;
    },
  });
  return result.problems.length === 0 ? { brief: result.value, problems: [] } : { problems: result.problems };
}

/** Validates a merged brief, reporting every bad field at once. */
export function validateBrief(raw: Record<string, unknown>, labelFor: (field: string) => string): Brief {
  const { brief, problems } = briefProblems(raw, labelFor);
  if (brief) return brief;
  throw problemsError(problems, BRIEF_HINT);
}

/** Issues for a brief without throwing (batch manifests report every entry). */
export function checkBrief(raw: unknown, extraFields: readonly string[] = []): { brief?: Brief; problems: string[] } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { problems: ['a brief must be an object of fields'] };
  const result = check(BriefSchema, normaliseBriefKeys(raw as Record<string, unknown>), {
    extraFields: [...BRIEF_FIELD_ALIASES, ...extraFields],
  });
  return result.problems.length === 0 ? { brief: result.value, problems: [] } : { problems: result.problems };
}

/** Reads `path`; messages name the file as the user typed it (`label`). */
export async function readBriefFile(path: string, label: string = path): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--brief: cannot read ${label} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'give the path of a YAML or JSON brief file',
    });
  }
  const data = await parseDataFile(text, label);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${label}: a brief file must hold one object (topic: ..., direction: ...)`, {
      hint: 'for many briefs use `draft batch`',
    });
  }
  return data as Record<string, unknown>;
}

/** YAML or JSON by extension (YAML is a superset of JSON, so anything else is read as YAML). */
export async function parseDataFile(text: string, path: string): Promise<unknown> {
  return (await readDataDocument(text, path)).data;
}

/** A data file's value and, when it was read as YAML, the document (its nodes' ranges) and its lines. */
export interface DataDocument {
  data: unknown;
  yaml?: { document: import('yaml').Document.Parsed; lines: import('yaml').LineCounter };
}

/** parseDataFile, keeping the YAML document, so a caller that needs positions (a manifest's) parses once. */
export async function readDataDocument(text: string, path: string): Promise<DataDocument> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    try {
      return { data: JSON.parse(text) };
    } catch (error) {
      throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`, { hint: 'fix the JSON syntax' });
    }
  }
  const { isAlias, LineCounter, parseDocument, visit } = await import('yaml');
  const lines = new LineCounter();
  noteParse('yaml', text);
  // Merge keys (`<<: *defaults`) are part of YAML 1.1 that people use in briefs; `yaml` needs asking.
  const doc = parseDocument(text, { merge: true, lineCounter: lines });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    throw new UsageError(`${path}${where}: not valid YAML (${first.message.split('\n')[0]})`, {
      hint: 'fix the YAML syntax',
    });
  }
  try {
    return { data: doc.toJS(), yaml: { document: doc, lines } };
  } catch (error) {
    // Aliases that expand exponentially ("billion laughs") are refused by `yaml`; say where they start.
    let line: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        if (isAlias(node) && node.range) line = lines.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    throw new UsageError(`${path}${line ? `:${line}` : ''}: YAML aliases expand too far (${(error as Error).message})`, {
      hint: 'write the values out instead of nesting aliases (*name) of aliases',
    });
  }
}
