import { readFile, stat } from 'node:fs/promises';
import type { ParseError } from 'jsonc-parser';
import { dirname, join, relative, resolve } from 'node:path';
import * as z from 'zod';
import { UsageError } from './errors.js';
import { DEFAULT_CONCURRENCY, DEFAULT_NOTES_HEADING, DEFAULT_OUT_DIR, MAX_CONCURRENCY, MAX_TIMEOUT_SECONDS } from './defaults.js';
import { PROVIDER_NAMES } from './presets.js';
import { isMarkdownFileName, MARKDOWN_EXTENSIONS_TEXT } from './markdown-file-name.js';
import { parseOrThrow, positiveNumber, wholeNumber } from './validation.js';
import { StyleSeveritiesSchema } from './style/rules.js';
import { StageModelsSchema } from './provider/stages.js';
import { canonicalLanguage } from './style/language.js';
import { SITE_GENERATORS, SiteFrontMatterSchema } from './site/site-schema.js';
import { STATE_MODES } from './state-store.js';

export const CONFIG_FILE_NAMES = ['draft.config.json', '.draftrc.json'];

export * from './defaults.js';

/** Limits shared by flags and the config file, so both say the same thing. */
export const ConcurrencySchema = wholeNumber(1, MAX_CONCURRENCY);
export const MaxTokensSchema = wholeNumber(1);
export const TimeoutSecondsSchema = positiveNumber('seconds', MAX_TIMEOUT_SECONDS);
export const RetriesSchema = wholeNumber(0, 10);
export const FileNamePatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine(isMarkdownFileName, `must end in ${MARKDOWN_EXTENSIONS_TEXT}, e.g. "{slug}.md"`);

// Settings several commands share: the flag, else the config file, else the default.
export const concurrencyFrom = (flag: number | undefined, config: ConfigFile) => flag ?? config.concurrency ?? DEFAULT_CONCURRENCY;
export const outDirFrom = (flag: string | undefined, config: ConfigFile, cwd: string) =>
  resolve(cwd, flag ?? config.outDir ?? DEFAULT_OUT_DIR);
export const notesHeadingFrom = (flag: string | undefined, config: ConfigFile) => flag ?? config.notesHeading ?? DEFAULT_NOTES_HEADING;

const PriceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    batch: z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict().optional(),
  })
  .strict();

export const ConfigFileSchema = z
  .object({
    provider: z.enum(PROVIDER_NAMES).optional(),
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    model: z.string().min(1).optional(),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    timeoutSeconds: TimeoutSecondsSchema.optional(),
    maxRetries: RetriesSchema.optional(),
    retryAfterCapSeconds: TimeoutSecondsSchema.optional(),
    concurrency: ConcurrencySchema.optional(),
    outDir: z.string().min(1).optional(),
    fileName: FileNamePatternSchema.optional(),
    notesHeading: z.string().min(1).optional(),
    /** The posts' language when a brief names none (BCP 47); `draft check --style` reads it too. */
    language: z
      .string()
      .refine((tag) => canonicalLanguage(tag) !== undefined, 'must be a BCP 47 language tag such as en-GB, de or es')
      .transform((tag) => canonicalLanguage(tag)!)
      .optional(),
    author: z.string().min(1).optional(),
    maxTokens: MaxTokensSchema.optional(),
    /** Fail when an outline keeps another section count than asked for (else it is accepted and reported). */
    strictOutline: z.boolean().optional(),
    prices: z.record(z.string(), PriceSchema).optional(),
    /** A provider/model per stage (outline, section, revise, title, seo); the rest use the run's own. */
    models: StageModelsSchema.optional(),
    /** Azure OpenAI (`provider: "azure"`); flags and AZURE_OPENAI_ENDPOINT / OPENAI_API_VERSION win. */
    azure: z
      .object({
        endpoint: z.url({ protocol: /^https?$/ }).optional(),
        deployment: z.string().min(1).optional(),
        apiVersion: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** The site this project is (`draft init` writes it and what follows). */
    generator: z.enum(SITE_GENERATORS).optional(),
    /** How the site reads a post's front matter: see src/core/site/front-matter-map.ts. */
    frontMatter: SiteFrontMatterSchema.optional(),
    /** Where a post's log, hashes and usage live: its front matter (default), or `.draft/state/` (see state-store.ts). */
    state: z.enum(STATE_MODES).optional(),
    /** Where `draft publish` moves a post (Jekyll: `_drafts/x.md` → `_posts/{date}-x.md`). */
    publish: z
      .object({ outDir: z.string().min(1), fileName: FileNamePatternSchema })
      .strict()
      .optional(),
    /** Fetching the editor's sources: private addresses only when allowed; a timeout and a size cap per source. */
    sources: z
      .object({
        allowPrivate: z.boolean().optional(),
        timeoutSeconds: z.number().positive().max(600).optional(),
        maxKiB: z
          .number()
          .int()
          .min(1)
          .max(100 * 1024)
          .optional(),
        /** `links` (the default): citations become links in the prose; `footnotes`: `[^source-N]` with a list at the end. */
        citations: z.enum(['links', 'footnotes']).optional(),
      })
      .strict()
      .optional(),
    /**
     * `draft check`: `require` replaces the default required front-matter fields (title, date, description);
     * `style` sets each `--style` rule (or one AI tell, `ai-tells/<id>`) to off, warning or error.
     */
    check: z
      .object({ require: z.array(z.string().min(1)).optional(), style: StyleSeveritiesSchema.optional() })
      .strict()
      .optional(),
    local: z
      .object({
        modelPath: z.string().min(1).optional(),
        threads: z.number().int().min(1).optional(),
        contextSize: z.number().int().min(256).optional(),
        maxSequences: z.number().int().min(1).max(16).optional(),
        seed: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface LoadedConfig {
  path?: string;
  config: ConfigFile;
}

/**
 * Reads `--config FILE`, else the nearest config file found walking up from `startDir` (the post's
 * folder, or the working directory). The walk stops at the top of a git checkout, so a stray config
 * above the project is never picked up. A relative `outDir` is relative to the config file's folder.
 */
export async function loadConfigFile(cwd: string, explicitPath?: string, startDir: string = cwd): Promise<LoadedConfig> {
  if (explicitPath) return readConfigAt(cwd, resolve(cwd, explicitPath), explicitPath, true);
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(dir, name);
      const loaded = await readConfigAt(cwd, path, relative(cwd, path) || name, false);
      if (loaded) return loaded;
    }
    if ((await present(join(dir, '.git'))) || dirname(dir) === dir) return { config: {} };
  }
}

async function readConfigAt(cwd: string, path: string, label: string, explicit: true): Promise<LoadedConfig>;
async function readConfigAt(cwd: string, path: string, label: string, explicit: false): Promise<LoadedConfig | undefined>;
async function readConfigAt(cwd: string, path: string, label: string, explicit: boolean): Promise<LoadedConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (explicit) {
      throw new UsageError(`${label}: cannot read config file (${(error as NodeJS.ErrnoException).code})`, {
        hint: 'check the path given to --config',
      });
    }
    return undefined;
  }
  // Comments are allowed (`draft init` writes them); trailing commas too, as editors add them. The parser
  // is loaded here, not at start-up: most runs in a fresh folder or CI have no config file to read.
  const { parse: parseJsonc, printParseErrorCode } = await import('jsonc-parser');
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const line = text.slice(0, first.offset).split('\n').length;
    throw new UsageError(`${label}: not valid JSON (${printParseErrorCode(first.error)} at line ${line})`, {
      hint: 'the config file is JSON, with // comments allowed; see README "Configuration"',
    });
  }
  if (raw && typeof raw === 'object' && 'apiKey' in raw) {
    throw new UsageError(`${label}: field "apiKey" is not allowed`, {
      hint: 'keep keys out of files that get committed: set "apiKeyEnv" to the name of an environment variable instead',
    });
  }
  const config = parseOrThrow(ConfigFileSchema, raw, label, 'see README "Providers and configuration"');
  const dir = dirname(path);
  if (config.outDir !== undefined && dir !== resolve(cwd)) config.outDir = resolve(dir, config.outDir);
  return { path, config };
}

async function present(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
