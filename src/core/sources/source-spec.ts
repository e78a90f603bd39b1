import * as z from 'zod';

/** A source as the editor gives it: `--source URL|PATH`, or `sources:` entries in a brief (a string, or `{url|path, title}`). */
export interface SourceSpec {
  kind: 'url' | 'file';
  /** The URL, or the path as typed. */
  location: string;
  title?: string;
}

const isUrl = (text: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(text);

export function sourceSpecFromText(text: string): SourceSpec {
  const location = text.trim();
  return { kind: isUrl(location) ? 'url' : 'file', location };
}

const title = z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters');

export const SourceEntrySchema = z.union([
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .transform((text) => sourceSpecFromText(text)),
  z
    .object({ url: z.string().trim().min(1), title: title.optional() })
    .strict()
    .transform(({ url, title }): SourceSpec => ({ kind: 'url', location: url, ...(title ? { title } : {}) })),
  z
    .object({ path: z.string().trim().min(1), title: title.optional() })
    .strict()
    .transform(({ path, title }): SourceSpec => ({ kind: 'file', location: path, ...(title ? { title } : {}) })),
]);

export const SourceListSchema = z.array(SourceEntrySchema).max(50, 'must be at most 50 sources');
