/** Drafts are Markdown: every name a draft is written under ends in one of these. */
export const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdx'] as const;
export const MARKDOWN_EXTENSIONS_TEXT = '.md, .markdown or .mdx';

export function isMarkdownFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MARKDOWN_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}
