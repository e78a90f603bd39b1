import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { describeIssues } from './validation.js';

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

const LinkSchema = z.union([
  z.object({ title: z.string().trim().min(1, 'title must not be empty'), url: httpUrl }).strict(),
  z.string().transform((spec, ctx) => {
    const link = parseLinkSpec(spec);
    if (!link) {
      ctx.addIssue({ code: 'custom', message: `"${spec}" is not "Title=URL" (e.g. "Earlier post=https://example.com/post")` });
      return z.NEVER;
    }
    return link;
  }),
]);

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

export const BriefSchema = z
  .object({
    topic: text(500),
    direction: text(2000).optional(),
    audience: text(500).optional(),
    tone: text(200).optional(),
    words: z.number().int().min(150, 'at least 150').max(10_000, 'at most 10000').optional(),
    sections: z.number().int().min(1, 'at least 1').max(15, 'at most 15').optional(),
    title: text(200).optional(),
    keepTitle: z.boolean().optional(),
    keywords: z.array(text(100)).max(30, 'at most 30 keywords').default([]),
    links: z.array(LinkSchema).max(20, 'at most 20 links').default([]),
    author: text(200).optional(),
  })
  .strict();

export type Brief = z.output<typeof BriefSchema>;
export type BriefInput = z.input<typeof BriefSchema>;

/** Brief files use the same names as the flags; these spellings are accepted too. */
const ALIASES: Record<string, string> = {
  keyword: 'keywords',
  link: 'links',
  'keep-title': 'keepTitle',
  keep_title: 'keepTitle',
  wordCount: 'words',
};

export function normaliseBriefKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = ALIASES[key] ?? key;
    out[name] = (name === 'keywords' || name === 'links') && typeof value === 'string' ? [value] : value;
  }
  return out;
}

/**
 * Validates a merged brief, reporting every bad field at once. `labelFor` says where a field came
 * from ("--words", "brief.yaml: words") so the message points at what to fix.
 */
export function validateBrief(raw: Record<string, unknown>, labelFor: (field: string) => string): Brief {
  const result = BriefSchema.safeParse(normaliseBriefKeys(raw));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const [field, ...rest] = issue.path.map(String);
    const suffix = rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    return field === undefined ? `${labelFor('')}${message}` : `${labelFor(field)}${suffix}: ${message}`;
  });
  throw new UsageError(`invalid brief: ${problems.join('; ')}`, {
    hint: 'fields: topic (required), direction, audience, tone, words, sections, title, keepTitle, keywords, links, author',
  });
}

/** Issues for a brief without throwing (batch manifests report every entry). */
export function checkBrief(raw: unknown): { brief?: Brief; problems: string[] } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { problems: ['(root): must be an object'] };
  const result = BriefSchema.safeParse(normaliseBriefKeys(raw as Record<string, unknown>));
  return result.success ? { brief: result.data, problems: [] } : { problems: describeIssues(result.error.issues) };
}

export async function readBriefFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--brief: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'give the path of a YAML or JSON brief file',
    });
  }
  const data = await parseDataFile(text, path);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${path}: a brief file must hold one object (topic: ..., direction: ...)`, {
      hint: 'for many briefs use `draft batch`',
    });
  }
  return data as Record<string, unknown>;
}

/** YAML or JSON by extension (YAML is a superset of JSON, so anything else is read as YAML). */
export async function parseDataFile(text: string, path: string): Promise<unknown> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`, { hint: 'fix the JSON syntax' });
    }
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    throw new UsageError(`${path}${where}: not valid YAML (${first.message.split('\n')[0]})`, {
      hint: 'fix the YAML syntax',
    });
  }
  return doc.toJS();
}
