import type { Root, RootContent } from 'mdast';
import { noteParse } from './document/parse-watch.js';

/**
 * remark, loaded on first use (it costs ~110 ms to import). Its default output turns `-` bullets into
 * `*` and `_em_` into `*em*`; these settings stay close to how people write Markdown.
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
    const [{ remark }, { default: remarkGfm }] = await Promise.all([import('remark'), import('remark-gfm')]);
    const processor = remark()
      .use({
        settings: {
          ...STRINGIFY_OPTIONS,
          // Braces in the model's text stay text: MDX would read `{...}` as a JavaScript expression.
          // The backslash escape is CommonMark's, so a Markdown renderer shows the brace as written.
          unsafe: [
            { character: '{', inConstruct: 'phrasing' },
            { character: '}', inConstruct: 'phrasing' },
          ],
        },
      })
      .use(remarkGfm);
    return {
      parse: (text) => {
        noteParse('markdown', text);
        return processor.parse(text) as Root;
      },
      stringify: (root) => processor.stringify(root) as string,
    };
  })();
  return cached;
}

// A draft parses the same text more than once: a part's reply is word-counted when it arrives, then
// parsed again to check its links and to compose the post. Callers that only read the tree share one
// parse. Enough recent texts are kept for a batch's drafts in flight (16 drafts of 7 parts).
const SHARED_TREES = 128;
const sharedTrees = new Map<string, Root>();

/**
 * The tree of `text`, shared with every other caller of the same text: read it, never change it
 * (copy a node before altering it). Use `parse` for a tree of your own.
 */
export async function parseShared(text: string): Promise<Root> {
  return sharedTreeOf(text) ?? shareTree(text, (await loadMarkdown()).parse(text));
}

/** The shared tree of `text` if it has been parsed lately (for a synchronous reader, see sections.ts). */
export function sharedTreeOf(text: string): Root | undefined {
  return sharedTrees.get(text);
}

/** Offers a read-only tree of `text` parsed the same way (remark-parse + GFM, nothing else) to later readers. */
export function shareTree(text: string, root: Root): Root {
  if (sharedTrees.size >= SHARED_TREES) sharedTrees.delete(sharedTrees.keys().next().value!);
  sharedTrees.set(text, root);
  return root;
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

/** Any mdast node, as remark's typed tree or a loosely typed parse. */
export interface TextNode {
  type: string;
  value?: unknown;
  alt?: string | null;
  children?: readonly TextNode[];
}

/** Parents whose children run on inside one line of text; any other children are separate blocks. */
const PHRASING_PARENTS = new Set(['paragraph', 'heading', 'emphasis', 'strong', 'delete', 'link', 'linkReference', 'tableCell']);

/**
 * The text a reader sees, on one line: `The *Market*'s` stays one word, blocks are kept apart by a
 * space, raw HTML is left out and an image counts as its alt text.
 */
export function plainText(node: TextNode | Root | RootContent): string {
  const collect = (n: TextNode): string => {
    if (n.type === 'html') return '';
    if (n.type === 'image' || n.type === 'imageReference') return n.alt ?? '';
    if (n.type === 'break') return ' ';
    if (typeof n.value === 'string') return n.value;
    return (n.children ?? []).map(collect).join(PHRASING_PARENTS.has(n.type) ? '' : ' ');
  };
  return collect(node as TextNode)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words a reader sees: Markdown syntax, URLs and HTML comments left out. */
export async function countWords(markdown: string): Promise<number> {
  const text = plainText(await parseShared(markdown.replace(/<!--[\s\S]*?-->/g, '')));
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;
}
