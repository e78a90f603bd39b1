import type { Root } from 'mdast';
import { findConstructs, mask, scanTags, VOID, type Construct, type ConstructKind, type Node } from './constructs.js';
import { parseShared } from '../markdown.js';
import { escapeRegExp } from '../escape-regexp.js';
import { showLabel, usesWithoutDefinition } from './reference-check.js';

/** A revision of the prose around a post's constructs (constructs.ts) must leave them as they were. */

const NAMES: Record<ConstructKind, string> = {
  code: 'the code block',
  image: 'the image',
  html: 'the HTML',
  jsx: 'the JSX element',
  esm: 'the MDX line',
  shortcode: 'the Hugo shortcode',
  liquid: 'the template tag',
  footnote: 'the footnote reference',
  definition: 'the definition',
};

/**
 * The rule for "unless the instruction asks to change them": an instruction that names a kind of
 * construct (e.g. "remove the code example", "drop the second image", "replace the shortcode")
 * lets the reply drop constructs of that kind. Breaking one (an unclosed `{{`, fence or tag) is
 * never allowed.
 */
const MENTIONS: Record<ConstructKind, RegExp> = {
  code: /\b(code|snippets?|examples?|listings?|fences?)\b/i,
  image: /\b(images?|pictures?|photos?|figures?|illustrations?|diagrams?|screenshots?|img)\b/i,
  html: /\b(html|markup|tags?|elements?|embeds?|iframes?|comments?)\b/i,
  jsx: /\b(jsx|mdx|components?|elements?|tags?)\b/i,
  esm: /\b(mdx|imports?|exports?)\b/i,
  shortcode: /\b(shortcodes?|figures?|embeds?)\b/i,
  liquid: /\b(liquid|templates?|tags?|includes?|variables?)\b/i,
  footnote: /\b(footnotes?|citations?)\b/i,
  definition: /\b(links?|references?|definitions?|urls?|footnotes?|citations?|sources?)\b/i,
};

/** Unclosed or unbalanced delimiters, as counts per delimiter, to compare a reply with its original. */
function imbalances(markdown: string, root: Root): Map<string, { open: number; close: number; what: string }> {
  const code: { start: number; end: number }[] = [];
  const out = new Map<string, { open: number; close: number; what: string }>();
  const count = (key: string, what: string, open: number, close: number) => {
    const entry = out.get(key) ?? { open: 0, close: 0, what };
    entry.open += open;
    entry.close += close;
    out.set(key, entry);
  };
  const visit = (node: Node) => {
    if (node.type === 'code' || node.type === 'inlineCode') {
      const start = node.position?.start.offset ?? 0;
      const end = node.position?.end.offset ?? start;
      code.push({ start, end });
      if (node.type === 'code') {
        const fence = /^[ \t]*(`{3,}|~{3,})/.exec(markdown.slice(start, end))?.[1];
        if (fence) count('fence', `a ${fence} code fence`, 1, fenceClosed(markdown.slice(start, end), fence) ? 1 : 0);
      }
      return;
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(root);

  let text = mask(markdown, code);
  for (const [open, close] of [
    ['{{<', '>}}'],
    ['{{%', '%}}'],
    ['{%', '%}'],
    ['{{', '}}'],
  ] as const) {
    const opens = [...text.matchAll(new RegExp(escapeRegExp(open), 'g'))];
    const closes = [...text.matchAll(new RegExp(escapeRegExp(close), 'g'))];
    count(open, `\`${open}\` … \`${close}\``, opens.length, closes.length);
    text = mask(
      text,
      [...opens, ...closes].map((m) => ({ start: m.index!, end: m.index! + m[0].length })),
    );
  }
  for (const tag of scanTags(mask(markdown, code))) {
    if (tag.selfClosing || VOID.has(tag.name.toLowerCase())) continue;
    const name = tag.jsx ? tag.name : tag.name.toLowerCase();
    count(`<${name}>`, `<${name || ''}>`, tag.closing ? 0 : 1, tag.closing ? 1 : 0);
  }
  return out;
}

function fenceClosed(block: string, fence: string): boolean {
  const lines = block.replace(/\r\n/g, '\n').split('\n');
  if (lines.length < 2) return false;
  const last = lines.at(-1)!.trim();
  return last.length >= fence.length && new RegExp(`^${escapeRegExp(fence[0]!)}+$`).test(last);
}

export interface ConstructCheckOptions {
  /** The editor's instruction; naming a kind of construct allows dropping it (see MENTIONS). */
  instruction?: string;
  /** Label keys used in other parts of the post, whose definitions in this part must stay. */
  labelsUsedElsewhere?: ReadonlySet<string>;
}

/**
 * What a revised part lost or broke compared with the original, one phrase each ("dropped the Hugo
 * shortcode `{{< figure … >}}`"), empty when it is fine. Every construct of the original must be in
 * the reply as often as before; no delimiter may be left more unbalanced than it was.
 */
export async function constructProblems(original: string, reply: string, options: ConstructCheckOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  // Read-only trees, shared: the original part was parsed to count its words, the reply to check it.
  const [originalRoot, replyRoot] = [await parseShared(original), await parseShared(reply)];
  const before = await findConstructs(original, originalRoot);
  if (before.length > 0) {
    const available = new Map<string, number>();
    for (const c of await findConstructs(reply, replyRoot))
      available.set(`${c.kind}\n${c.key}`, (available.get(`${c.kind}\n${c.key}`) ?? 0) + 1);
    const usedInReply = new Set(
      (
        await usesWithoutDefinition(
          reply,
          before.flatMap((c) => (c.label ? [c.label] : [])),
        )
      ).map((u) => u.key),
    );
    for (const c of before) {
      const id = `${c.kind}\n${c.key}`;
      const left = available.get(id) ?? 0;
      if (left > 0) {
        available.set(id, left - 1);
        continue;
      }
      if (options.instruction && MENTIONS[c.kind].test(options.instruction)) continue;
      if (c.label && !usedInReply.has(c.label.key) && !options.labelsUsedElsewhere?.has(c.label.key)) continue;
      problems.push(`dropped ${describe(c)}`);
    }
  }
  const was = imbalances(original, originalRoot);
  for (const [key, now] of imbalances(reply, replyRoot)) {
    const then = was.get(key) ?? { open: 0, close: 0 };
    if (now.open - now.close === then.open - then.close) continue;
    problems.push(
      key === 'fence'
        ? `left ${now.what} unclosed`
        : `left ${now.what} unbalanced (${now.open} opened, ${now.close} closed` +
            `${then.open || then.close ? `; the original had ${then.open} and ${then.close}` : ''})`,
    );
  }
  return problems;
}

/** "the code block ```python starting “def price(x):”", short enough for one line. */
export function describe(c: Construct): string {
  if (c.kind === 'code') {
    const lines = c.text.replace(/\r\n/g, '\n').split('\n');
    const body = lines.slice(1).find((l) => l.trim() !== '' && !/^\s*(`{3,}|~{3,})\s*$/.test(l));
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(lines[0] ?? '');
    const opening = fence ? `${fence[1]}${fence[2]!.trim()}` : 'indented';
    return `${NAMES.code} ${opening}${body ? ` starting “${shorten(body.trim(), 50)}”` : ''}`;
  }
  if (c.kind === 'definition' && c.label) return `${NAMES.definition} of ${showLabel(c.label)}`;
  return `${NAMES[c.kind]} \`${shorten(c.text.replace(/\s+/g, ' ').trim(), 80)}\``;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
