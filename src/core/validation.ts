import * as z from 'zod';
import { UsageError } from './errors.js';
import { extractJsonObject } from './json-extract.js';

/**
 * The one formatter of validation problems. Every problem becomes one line naming the input as the
 * user typed it ("--max-tokens", "brief.yaml: words", "links[1].url") followed by what was wrong,
 * in plain words: "--sections must be a whole number from 1 to 15".
 */
export interface Naming {
  /** The name of the input at `path` (a flag, a file's field); default "links[1].url". */
  name?: (path: readonly PropertyKey[]) => string;
  /** The schema that was checked, so an unknown field can be matched to the nearest known one. */
  schema?: z.ZodType;
  /** Field names accepted besides the schema's own (aliases, fields handled elsewhere). */
  extraFields?: readonly string[];
}

export function describeIssues(issues: readonly z.core.$ZodIssue[], naming: Naming = {}): string[] {
  const name = naming.name ?? pathName;
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = [...knownFields(naming.schema, issue.path), ...(naming.extraFields ?? [])];
      for (const key of issue.keys) {
        const guess = closest(key, known);
        lines.push(`${name([...issue.path, key])} is not a known field${guess ? ` (did you mean ${guess}?)` : ''}`);
      }
    } else if (issue.code === 'invalid_union') {
      lines.push(...describeUnion(issue, naming));
    } else {
      lines.push(sentence(name(issue.path), issue.message));
    }
  }
  return [...new Set(lines)];
}

/** "links[0]" for a path; "" for the root. */
export function pathName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** How flags are named: `--max-tokens`; a repeated flag is named once, without an index. */
export function flagName(path: readonly PropertyKey[]): string {
  const [first, ...rest] = path;
  if (first === undefined) return '';
  const tail = pathName(rest.filter((p) => typeof p !== 'number'));
  return `--${String(first).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${tail && !tail.startsWith('[') ? `.${tail}` : ''}`;
}

/** A field of a file: "brief.yaml: words". */
export function fileFieldName(file: string): (path: readonly PropertyKey[]) => string {
  return (path) => `${file}: ${pathName(path) || '(root)'}`;
}

// Messages written as verb phrases read on from the name; anything else is set off with a colon.
const VERB = /^(must|is|are|only|cannot|can|needs?|has|have|does|should|was)\b/;

function sentence(name: string, message: string): string {
  if (!name) return message;
  return VERB.test(message) ? `${name} ${message}` : `${name}: ${message}`;
}

/** Of a union's branches, the one meant for this kind of value is the one whose complaint is not "wrong type". */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion, naming: Naming): string[] {
  const name = naming.name ?? pathName;
  const branches = issue.errors ?? [];
  const wrongType = (issues: z.core.$ZodIssue[]) => issues.every((i) => i.code === 'invalid_type' && i.path.length === 0);
  const meant = branches.find((issues) => issues.length > 0 && !wrongType(issues));
  if (meant) {
    const prefixed = meant.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue);
    return describeIssues(prefixed, { ...naming, schema: undefined });
  }
  const expected = [
    ...new Set(
      branches
        .flat()
        .map((i) => (i.code === 'invalid_type' ? typeName(i.expected) : undefined))
        .filter(Boolean),
    ),
  ];
  return [sentence(name(issue.path), expected.length ? `must be ${expected.join(' or ')}` : 'is not valid')];
}

/**
 * Plain-English messages for zod's checks, used for every parse (a schema's own message wins).
 * Verb phrases, so they read on from the name of the input.
 */
export const plainMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${typeName(issue.expected)}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${min} item${min === 1 ? '' : 's'}`;
      return issue.inclusive === false ? `must be greater than ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${max} item${max === 1 ? '' : 's'}`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'must be a URL';
      if (issue.format === 'regex') return `must match ${String((issue as { pattern?: unknown }).pattern ?? 'the expected pattern')}`;
      return `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'is not valid';
    default:
      return 'is not valid';
  }
};

function typeName(expected: string): string {
  const names: Record<string, string> = {
    number: 'a number',
    int: 'a whole number',
    string: 'text',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    nan: 'a number',
  };
  return names[expected] ?? expected;
}

/**
 * A whole number in a range, from a flag ("5", as commander hands it over) or a file (5).
 * One message for every way it can be wrong, since "1e3", "2.5", "-1" and "lots" all need the same fix.
 */
export function wholeNumber(min: number, max?: number) {
  const message = max === undefined ? `must be a whole number of at least ${min}` : `must be a whole number from ${min} to ${max}`;
  const number = z.number({ error: message }).int(message).min(min, message);
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    max === undefined ? number : number.max(max, message),
  );
}

/** A positive decimal number (seconds, dollars), from a flag or a file, at most `max`. */
export function positiveNumber(unit: string, max?: number) {
  const message = `must be a number of ${unit} greater than 0${max === undefined ? '' : ` and at most ${max}`}`;
  const number = z.number({ error: message }).positive(message).finite(message);
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    max === undefined ? number : number.max(max, message),
  );
}

/** Checks without throwing: the value, or one line per problem (so several inputs can be reported together). */
export function check<T extends z.ZodType>(
  schema: T,
  value: unknown,
  naming: Naming = {},
): { value: z.output<T>; problems: [] } | { value?: undefined; problems: string[] } {
  const result = schema.safeParse(value, { error: plainMessages });
  if (result.success) return { value: result.data, problems: [] };
  return { problems: describeIssues(result.error.issues, { schema, ...naming }) };
}

/** Every problem at once: one line each, then one hint. */
export function problemsError(problems: readonly string[], hint?: string): UsageError {
  const message = problems.length === 1 ? problems[0]! : `${problems.length} problems:\n${problems.map((p) => `  ${p}`).join('\n')}`;
  return new UsageError(message, { hint });
}

/**
 * Parses or throws a usage error naming every problem. `label` is "options" for a command's flags
 * (named `--like-this`), else the file the value came from ("draft.config.json: concurrency").
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, label: string, hint?: string): z.output<T> {
  const result = check(schema, value, { name: label === 'options' ? flagName : fileFieldName(label) });
  if (result.problems.length === 0) return result.value as z.output<T>;
  throw problemsError(result.problems, hint);
}

/** The JSON object in a model's reply, checked against `schema`; else the problem in words (said back to the model on a retry). */
export function parseJsonReply<T extends z.ZodType>(reply: string, schema: T): { value: z.output<T> } | { problem: string } {
  const json = extractJsonObject(reply);
  if (json === undefined) return { problem: 'the reply contained no JSON object' };
  const result = check(schema, json);
  return result.problems.length === 0 ? { value: result.value as z.output<T> } : { problem: result.problems.join('; ') };
}

/** The field names an object schema accepts at `path` (through optional, default, array and pipe wrappers). */
function knownFields(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] {
  let node = unwrap(schema);
  for (const key of path) {
    if (!node) return [];
    const def = node._zod.def as { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType };
    node = unwrap(def.type === 'object' && typeof key === 'string' ? def.shape?.[key] : def.type === 'array' ? def.element : undefined);
  }
  const def = node?._zod.def as { type: string; shape?: Record<string, z.ZodType> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  for (let i = 0; node && i < 10; i++) {
    const def = node._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType };
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType)
      node = def.innerType;
    else if (def.type === 'pipe') node = def.in?._zod.def.type === 'transform' ? def.out : def.in;
    else break;
  }
  return node;
}

/** The known name nearest to a mistyped one, if it is near enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const allowed = Math.max(1, Math.floor(name.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= allowed && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
