import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { UsageError } from '../errors.js';
import { builtInPromptsDir, userConfigDir, type TemplateSource } from '../templates/template-dirs.js';
import { parseOrThrow } from '../validation.js';
import { escapeRegExp } from '../escape-regexp.js';

/**
 * The "AI tells" list is data, layered like the focus presets: built-in (`src/prompts/style/`), then the
 * user's (`~/.config/draft/style/`), then the project's (`.draft/style/`). A later entry with the same id
 * replaces an earlier one, and `off: true` removes it, so a blog can drop a tell it considers house style.
 */
export const AI_TELLS_FILE = 'ai-tells.yaml';

export const HABITS = ['em-dash-paragraphs', 'triplet-sentences'] as const;
export type Habit = (typeof HABITS)[number];

const EntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. "game-changer"'),
    off: z.boolean().optional(),
    phrases: z.array(z.string().trim().min(1)).min(1).optional(),
    pattern: z.string().min(1).optional(),
    habit: z.enum(HABITS).optional(),
    threshold: z.number().min(0).max(1).optional(),
    language: z.string().min(1).optional(),
    explanation: z.string().min(1).optional(),
    suggestion: z.string().min(1).optional(),
  })
  .strict();

const FileSchema = z.array(EntrySchema);

export interface AiTell {
  id: string;
  matcher: { phrases: RegExp } | { pattern: RegExp } | { habit: Habit; threshold: number };
  /** BCP 47 language the entry's words are in. */
  language: string;
  explanation: string;
  suggestion: string;
  origin: TemplateSource['origin'];
  path: string;
}

export async function loadAiTells(options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<AiTell[]> {
  const layers: TemplateSource[] = [
    { origin: 'built-in', dir: join(builtInPromptsDir(), 'style') },
    { origin: 'user', dir: join(userConfigDir(options.env), 'style') },
    { origin: 'project', dir: resolve(options.cwd, '.draft', 'style') },
  ];
  const byId = new Map<string, AiTell>();
  for (const layer of layers) {
    const path = join(layer.dir, AI_TELLS_FILE);
    const text = await readLayer(path);
    if (text === undefined) continue;
    for (const entry of parseAiTells(path, text)) {
      if (entry.off) {
        byId.delete(entry.id);
        continue;
      }
      const earlier = byId.get(entry.id);
      byId.set(entry.id, toTell(path, layer.origin, entry, earlier));
    }
  }
  return [...byId.values()];
}

type Entry = z.output<typeof EntrySchema>;

export function parseAiTells(path: string, text: string): Entry[] {
  let raw: unknown;
  try {
    raw = parseYaml(text.replace(/^\uFEFF/, '')) ?? [];
  } catch (error) {
    throw new UsageError(`${path}: not valid YAML (${(error as Error).message.split('\n')[0]})`, {
      hint: 'the AI tells file is a YAML list of entries: - id: ..., phrases: [...], explanation: ..., suggestion: ...',
    });
  }
  return parseOrThrow(
    FileSchema,
    raw,
    path,
    'each entry needs an id and one of phrases, pattern or habit; see src/prompts/style/ai-tells.yaml',
  );
}

function toTell(path: string, origin: AiTell['origin'], entry: Entry, earlier: AiTell | undefined): AiTell {
  const where = `${path}: ${entry.id}`;
  const matchers = [entry.phrases, entry.pattern, entry.habit].filter((m) => m !== undefined).length;
  if (matchers > 1)
    throw new UsageError(`${where}: give one of phrases, pattern or habit, not several`, { hint: 'split it into two entries' });
  // An override that only rewords the explanation keeps the built-in matcher.
  if (matchers === 0 && !earlier) {
    throw new UsageError(`${where}: needs phrases, pattern or habit`, { hint: 'e.g. phrases: [game-changer]' });
  }
  const explanation = entry.explanation ?? earlier?.explanation;
  const suggestion = entry.suggestion ?? earlier?.suggestion;
  if (!explanation || !suggestion) {
    throw new UsageError(`${where}: needs an explanation and a suggestion`, { hint: 'they are shown with every problem the entry finds' });
  }
  return {
    id: entry.id,
    matcher: matchers === 0 ? earlier!.matcher : matcherOf(where, entry),
    language: entry.language ?? earlier?.language ?? 'en',
    explanation,
    suggestion,
    origin,
    path,
  };
}

function matcherOf(where: string, entry: Entry): AiTell['matcher'] {
  if (entry.habit) return { habit: entry.habit, threshold: entry.threshold ?? 0.5 };
  if (entry.pattern !== undefined) {
    try {
      return { pattern: new RegExp(entry.pattern, 'giu') };
    } catch (error) {
      throw new UsageError(`${where}: pattern is not a valid regular expression (${(error as Error).message})`, {
        hint: 'patterns are JavaScript regular expressions; escape a backslash as \\\\ inside double quotes',
      });
    }
  }
  return { phrases: phraseRegExp(entry.phrases!) };
}

/** Whole words, any case, any run of spaces, straight or curly apostrophes and dashes alike. */
export function phraseRegExp(phrases: string[]): RegExp {
  const asPattern = (p: string) => escapeRegExp(p.trim()).replace(/['’]/g, "['’]").replace(/\s+/g, '\\s+').replace(/-/g, '[-‐‑]');
  // Longest first, so "delve into" is reported rather than "delve" inside it.
  const alternatives = [...phrases].sort((a, b) => b.length - a.length).map(asPattern);
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

async function readLayer(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`${path}: cannot read the AI tells list (${code})`, { hint: 'check its permissions' });
  }
}
