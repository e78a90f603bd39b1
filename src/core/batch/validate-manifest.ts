import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { BRIEF_FIELD_ALIASES, BriefSchema, checkBrief, normaliseBriefKeys, type Brief } from '../brief.js';
import { UsageError } from '../errors.js';
import { isMarkdownFileName, MARKDOWN_EXTENSIONS_TEXT } from '../markdown-file-name.js';
import { fileNameLengthProblem } from '../output-preflight.js';
import { DEFAULT_FILE_NAME_PATTERN } from '../defaults.js';
import { fileNameFor, slugify } from '../slug.js';
import { check } from '../validation.js';
import { entryLocation, type Manifest, type ManifestEntry } from './load-manifest.js';
import { isPlainObject } from '../plain-object.js';
import { StageModelsSchema, type StageModels } from '../provider/stages.js';
import { pathName } from '../validation.js';

/** A brief ready to draft: everything about it was checked before any request is sent. */
export interface BatchItem {
  entry: ManifestEntry;
  id: string;
  brief: Brief;
  /** Set when the manifest names a model for this brief (its own or the defaults'). */
  model?: string;
  /** A model per stage for this brief (its own `models`, or the defaults'), over the config's. */
  models?: StageModels;
  /** Absolute path of the draft: known before spending, so "already written" can be checked first. */
  output: string;
}

export interface InvalidItem {
  entry: ManifestEntry;
  id?: string;
  /** "words must be a whole number from 150 to 10000", one per problem. */
  problems: string[];
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface OutputOptions {
  cwd: string;
  /** Every output lands inside this folder. */
  outDir: string;
  /** The config's `fileName`, filled with {slug} = the brief's id; default "{slug}.md". */
  fileNamePattern?: string;
  /** YYYY-MM-DD for {date}: the day the batch runs. */
  date?: string;
}

/** Batch-only fields, beside `draft new`'s brief fields. */
const BATCH_FIELDS = ['id', 'output', 'model', 'models'];

export function validateManifest(manifest: Manifest, options: OutputOptions): { items: BatchItem[]; invalid: InvalidItem[] } {
  checkDefaults(manifest);
  const items: BatchItem[] = [];
  const invalid: InvalidItem[] = [];
  const ids = new Map<string, ManifestEntry>();
  const outputs = new Map<string, ManifestEntry>();

  for (const entry of manifest.entries) {
    const problems: string[] = [];
    if (entry.parseError !== undefined) {
      invalid.push({ entry, problems: [entry.parseError] });
      continue;
    }
    if (!isPlainObject(entry.raw)) {
      invalid.push({ entry, problems: ['a brief must be an object of fields (topic: ..., direction: ...)'] });
      continue;
    }
    const merged: Record<string, unknown> = { ...manifest.defaults, ...entry.raw };
    // id, output and model are batch fields; everything else is a `draft new --brief` field.
    const { id: rawId, output: rawOutput, model: rawModel, models: rawModels, ...briefFields } = merged;
    const checked = checkBrief(briefFields, BATCH_FIELDS);
    problems.push(...checked.problems);

    const id = idFor(rawId, entry, checked.brief, problems);
    const model = modelFor(rawModel, problems);
    const models = stageModelsFor(rawModels, problems);
    const output = id === undefined ? undefined : outputFor(rawOutput, id, options, problems);

    const sameId = id === undefined ? undefined : ids.get(id);
    if (sameId) {
      // The output named after a repeated id would only repeat the message, so it is not checked too.
      problems.push(`id "${id}" is already used by ${entryLocation(sameId)}${rawId === undefined ? ' (give each brief an id)' : ''}`);
    } else {
      if (id !== undefined) ids.set(id, entry);
      const sameOutput = output === undefined ? undefined : outputs.get(output);
      if (sameOutput) problems.push(`output ${relative(options.cwd, output!)} is already the output of ${entryLocation(sameOutput)}`);
      else if (output !== undefined) outputs.set(output, entry);
    }

    if (problems.length > 0 || !checked.brief || id === undefined || output === undefined) {
      invalid.push({ entry, id, problems });
    } else {
      items.push({ entry, id, brief: checked.brief, output, ...(model ? { model } : {}), ...(models ? { models } : {}) });
    }
  }
  return { items, invalid };
}

/** Defaults are checked once, as part of the manifest, so their problems are not repeated for every brief. */
function checkDefaults(manifest: Manifest): void {
  const defaults = manifest.defaults;
  const problems: string[] = [];
  for (const field of ['id', 'output'] as const) {
    if (field in defaults) problems.push(`${field} belongs to each brief, not to the defaults`);
  }
  const { id: _id, output: _output, model, models, ...briefFields } = defaults;
  stageModelsFor(models, problems);
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) problems.push('model must be a model name');
  problems.push(
    ...check(BriefSchema.partial(), normaliseBriefKeys(briefFields), { extraFields: [...BRIEF_FIELD_ALIASES, ...BATCH_FIELDS] }).problems,
  );
  if (problems.length > 0) {
    throw new UsageError(`${manifest.label}: invalid defaults: ${problems.join('; ')}`, {
      hint: 'defaults hold brief fields shared by every brief (author, audience, model, links...)',
    });
  }
}

function idFor(raw: unknown, entry: ManifestEntry, brief: Brief | undefined, problems: string[]): string | undefined {
  if (raw === undefined) {
    if (entry.fallbackId !== undefined) {
      if (ID_PATTERN.test(entry.fallbackId)) return entry.fallbackId;
      problems.push(`id: the file name "${entry.fallbackId}" cannot be used as an id; add an id field`);
      return undefined;
    }
    // The title the editor gave, else the topic: never the model's title, which is only known after spending.
    return brief ? slugify(brief.title ?? brief.topic) : undefined;
  }
  const id = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    problems.push('id must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit (it names the file)');
    return undefined;
  }
  return id;
}

/** `models: {outline: gpt-4o, section: {provider: ollama, model: llama3.1}}`, as in the config. */
function stageModelsFor(raw: unknown, problems: string[]): StageModels | undefined {
  if (raw === undefined) return undefined;
  const parsed = StageModelsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const path = pathName(['models', ...issue.path, ...(issue.code === 'unrecognized_keys' ? [issue.keys.join(', ')] : [])]);
    problems.push(
      `${path}: ${issue.code === 'unrecognized_keys' ? `is not a stage (stages: outline, section, revise, title, seo)` : issue.message}`,
    );
  }
  return undefined;
}

function modelFor(raw: unknown, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 200) {
    problems.push('model must be a model name');
    return undefined;
  }
  return raw.trim();
}

/**
 * Where a brief's draft goes: `output` relative to the output folder, else the file-name pattern with
 * {slug} = the id. Either way it stays inside the output folder and is a Markdown file, so a
 * manifest cannot write `../../x.md` or `/srv/x.conf`.
 */
function outputFor(raw: unknown, id: string, options: OutputOptions, problems: string[]): string | undefined {
  const root = resolve(options.cwd, options.outDir);
  if (raw === undefined) {
    const pattern = options.fileNamePattern ?? DEFAULT_FILE_NAME_PATTERN;
    let name: string;
    try {
      name = fileNameFor(pattern, { slug: id, date: options.date ?? today() });
    } catch (error) {
      problems.push(`id "${id}" cannot name a file: ${(error as Error).message}`);
      return undefined;
    }
    return checkedName(resolve(root, name), `the file name "${name}"`, problems);
  }
  if (typeof raw !== 'string' || raw.trim() === '') {
    problems.push('output must be a file path');
    return undefined;
  }
  const path = resolve(root, raw);
  const inside = relative(root, path);
  if (isAbsolute(raw) || inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    problems.push(
      `output "${raw}" must be a path inside the output folder (${relative(options.cwd, root) || '.'}), such as posts/${id}.md`,
    );
    return undefined;
  }
  return checkedName(path, `output "${raw}"`, problems);
}

function checkedName(path: string, what: string, problems: string[]): string | undefined {
  const name = basename(path);
  if (!isMarkdownFileName(name)) {
    problems.push(`${what} must end in ${MARKDOWN_EXTENSIONS_TEXT}`);
    return undefined;
  }
  try {
    // The name goes through the same checks as `draft new` file names; braces would read as pattern tokens.
    if (/[{}]/.test(name)) throw new UsageError('braces are not allowed in a file name');
    fileNameFor(name, { slug: 'x', date: '2000-01-01' });
  } catch (error) {
    const reason = (error as Error).message.replace(/^file name pattern "[^"]*": /, '');
    problems.push(`${what} cannot be a file name: ${reason}`);
    return undefined;
  }
  const tooLong = fileNameLengthProblem(name);
  if (tooLong) {
    problems.push(`${what} ${tooLong}`);
    return undefined;
  }
  return path;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
