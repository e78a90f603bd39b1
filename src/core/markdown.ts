import type { Root, RootContent } from 'mdast';

/**
 * remark, loaded on first use (it costs ~110 ms to import). Output options chosen to stay close
 * to how people write Markdown (see shared/notes/stack.md).
 */
export const STRINGIFY_OPTIONS = {
  bullet: '-',
  rule: '-',
  emphasis: '*',
  strong: '*',
  listItemIndent: 'one',
  fences: true,
  incrementListMarker: true,
} as const;

export interface Markdown {
  parse(text: string): Root;
  stringify(root: Root): string;
}

let cached: Promise<Markdown> | undefined;

export function loadMarkdown(): Promise<Markdown> {
  cached ??= (async () => {
    const [{ unified }, { default: remarkParse }, { default: remarkGfm }, { default: remarkStringify }] = await Promise.all([
      import('unified'),
      import('remark-parse'),
      import('remark-gfm'),
      import('remark-stringify'),
    ]);
    const processor = unified().use(remarkParse).use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS);
    return {
      parse: (text) => processor.parse(text) as Root,
      stringify: (root) => processor.stringify(root) as string,
    };
  })();
  return cached;
}

/** Every link target in a Markdown text (inline links, autolinks and reference definitions). */
export function linkTargets(root: Root): Set<string> {
  const urls = new Set<string>();
  const visit = (node: Root | RootContent) => {
    if (node.type === 'link' || node.type === 'definition') urls.add(node.url);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(root);
  return urls;
}

export function plainText(node: Root | RootContent): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return node.children.map((c) => plainText(c)).join(' ');
  return '';
}
