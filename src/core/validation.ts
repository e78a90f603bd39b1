import type { z } from 'zod';
import { UsageError } from './errors.js';
import { extractJsonObject } from './json-extract.js';

/** "links[1].url: must be an http(s) URL" — one entry per bad field, so every problem is reported at once. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('');
    return `${path || '(root)'}: ${issue.message}`;
  });
}

export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  label: string,
  hint?: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues);
  throw new UsageError(`${label}: ${problems.join('; ')}`, { hint });
}

/** The JSON object in a model's reply, checked against `schema`; else the problem in words (said back to the model on a retry). */
export function parseJsonReply<T extends z.ZodType>(reply: string, schema: T): { value: z.output<T> } | { problem: string } {
  const json = extractJsonObject(reply);
  if (json === undefined) return { problem: 'the reply contained no JSON object' };
  const result = schema.safeParse(json);
  return result.success ? { value: result.data } : { problem: describeIssues(result.error.issues).join('; ') };
}
