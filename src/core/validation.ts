import type { z } from 'zod';
import { UsageError } from './errors.js';

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
