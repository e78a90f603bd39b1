import { basename, relative, resolve } from 'node:path';
import { BriefSchema, checkBrief, normaliseBriefKeys, type Brief } from '../brief.js';
import { UsageError } from '../errors.js';
import { fileNameFor, slugify } from '../slug.js';
import { describeIssues } from '../validation.js';
import { entryLocation, type Manifest, type ManifestEntry } from './load-manifest.js';

/** A brief ready to draft: everything about it was checked before any request is sent. */
export interface BatchItem {
  entry: ManifestEntry;
  id: string;
  brief: Brief;
  /** Set when the manifest names a model for this brief (its own or the defaults'). */
  model?: string;
  /** Absolute path of the draft: known before spending, so "already written" can be checked first. */
  output: string;
}

export interface InvalidItem {
  entry: ManifestEntry;
  id?: string;
  /** "field: what is wrong", one per problem. */
  problems: string[];
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function validateManifest(manifest: Manifest, options: { cwd: string; outDir: string }): { items: BatchItem[]; invalid: InvalidItem[] } {
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
    if (!isObject(entry.raw)) {
      invalid.push({ entry, problems: ['(root): must be an object of brief fields'] });
      continue;
    }
    const merged: Record<string, unknown> = { ...manifest.defaults, ...entry.raw };
    // id, output and model are batch fields; everything else is a `draft new --brief` field.
    const { id: rawId, output: rawOutput, model: rawModel, ...briefFields } = merged;
    const checked = checkBrief(briefFields);
    problems.push(...checked.problems.map(plainer));

    const id = idFor(rawId, entry, checked.brief, problems);
    const model = modelFor(rawModel, problems);
    const output = id === undefined ? undefined : outputFor(rawOutput, id, options, problems);

    const sameId = id === undefined ? undefined : ids.get(id);
    if (sameId) {
      // The output named after a repeated id would only repeat the message, so it is not checked too.
      problems.push(`id: "${id}" is already used by ${entryLocation(sameId)}${rawId === undefined ? ' (give each brief an id)' : ''}`);
    } else {
      if (id !== undefined) ids.set(id, entry);
      const sameOutput = output === undefined ? undefined : outputs.get(output);
      if (sameOutput) problems.push(`output: ${relative(options.cwd, output!)} is already the output of ${entryLocation(sameOutput)}`);
      else if (output !== undefined) outputs.set(output, entry);
    }

    if (problems.length > 0 || !checked.brief || id === undefined || output === undefined) {
      invalid.push({ entry, id, problems });
    } else {
      items.push({ entry, id, brief: checked.brief, output, ...(model ? { model } : {}) });
    }
  }
  return { items, invalid };
}

/** Defaults are checked once, as part of the manifest, so their problems are not repeated for every brief. */
function checkDefaults(manifest: Manifest): void {
  const defaults = manifest.defaults;
  const problems: string[] = [];
  for (const field of ['id', 'output'] as const) {
    if (field in defaults) problems.push(`${field}: belongs to each brief, not to the defaults`);
  }
  const { id: _id, output: _output, model, ...briefFields } = defaults;
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) problems.push('model: must be a model name');
  const result = BriefSchema.partial().safeParse(normaliseBriefKeys(briefFields));
  if (!result.success) problems.push(...describeIssues(result.error.issues).map(plainer));
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
    problems.push('id: use 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit (it names the file)');
    return undefined;
  }
  return id;
}

function modelFor(raw: unknown, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 200) {
    problems.push('model: must be a model name');
    return undefined;
  }
  return raw.trim();
}

function outputFor(raw: unknown, id: string, options: { cwd: string; outDir: string }, problems: string[]): string | undefined {
  const path = raw === undefined ? resolve(options.outDir, `${id}.md`) : typeof raw === 'string' && raw.trim() ? resolve(options.cwd, raw) : undefined;
  if (path === undefined) {
    problems.push('output: must be a file path');
    return undefined;
  }
  const name = basename(path);
  try {
    // The name goes through the same checks as `draft new` file names; braces would read as pattern tokens.
    if (/[{}]/.test(name)) throw new UsageError('braces are not allowed in a file name');
    fileNameFor(name, { slug: 'x', date: '2000-01-01' });
  } catch (error) {
    const reason = (error as Error).message.replace(/^file name pattern "[^"]*": /, '');
    problems.push(`${raw === undefined ? 'id' : 'output'}: "${name}" cannot be a file name: ${reason}`);
    return undefined;
  }
  return path;
}

/** zod's wording, said the way the rest of the CLI says it: "required", "colour: unknown field". */
function plainer(problem: string): string {
  const unknown = /^\(root\): Unrecognized keys?: (.*)$/.exec(problem);
  if (unknown) return `${unknown[1]!.replace(/"/g, '')}: unknown field (brief fields: ${BRIEF_FIELDS})`;
  return problem.replace(/Invalid input: expected \w+, received undefined$/, 'required');
}

const BRIEF_FIELDS = `id, output, model, ${Object.keys(BriefSchema.shape).join(', ')}`;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
