import type { Root, RootContent } from 'mdast';
import type { AiTell, Habit } from './ai-tells.js';

/** A paragraph or heading: only its words (text nodes), at offsets of the body; markup is spaces. */
export interface ProseBlock {
  kind: 'paragraph' | 'heading';
  start: number;
  text: string;
}

export interface TellFinding {
  tell: AiTell;
  start: number;
  end: number;
  text: string;
  message: string;
  suggestion: string;
}

export function proseBlocks(prose: string, tree: Root): ProseBlock[] {
  const blocks: ProseBlock[] = [];
  const visit = (node: Root | RootContent) => {
    if (
      (node.type === 'paragraph' || node.type === 'heading') &&
      node.position?.start.offset !== undefined &&
      node.position.end.offset !== undefined
    ) {
      const start = node.position.start.offset;
      const chars = prose.slice(start, node.position.end.offset).replace(/[^\n]/g, ' ').split('');
      const copyText = (inner: RootContent) => {
        if (inner.type === 'text' && inner.position?.start.offset !== undefined && inner.position.end.offset !== undefined) {
          for (let i = inner.position.start.offset; i < inner.position.end.offset; i++) chars[i - start] = prose[i]!;
        }
        if ('children' in inner) for (const child of inner.children) copyText(child);
      };
      for (const child of node.children) copyText(child);
      blocks.push({ kind: node.type, start, text: chars.join('') });
      return;
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return blocks;
}

export function aiTellFindings(blocks: ProseBlock[], tells: AiTell[]): TellFinding[] {
  const found: TellFinding[] = [];
  for (const tell of tells) {
    const m = tell.matcher;
    if ('habit' in m) {
      const finding = habitFinding(
        blocks.filter((b) => b.kind === 'paragraph'),
        m.habit,
        m.threshold,
        tell,
      );
      if (finding) found.push(finding);
      continue;
    }
    const pattern = 'phrases' in m ? m.phrases : m.pattern;
    for (const block of blocks) {
      // `^` in a pattern means the paragraph's start, past any markup before its first word.
      const lead = block.text.length - block.text.trimStart().length;
      const text = block.text.slice(lead);
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) {
        if (match[0] === '') continue;
        const start = block.start + lead + match.index;
        found.push(tellFinding(tell, start, match[0]));
      }
    }
  }
  return found;
}

function tellFinding(tell: AiTell, start: number, text: string, what?: string): TellFinding {
  const quoted = what ?? `"${text.replace(/\s+/g, ' ').trim()}"`;
  return { tell, start, end: start + text.length, text, message: `AI tell ${quoted}: ${tell.explanation}`, suggestion: tell.suggestion };
}

// A habit needs enough text to be one: three paragraphs with a dash, or four sentences with a list, could be chance.
const MIN_PARAGRAPHS = 4;
const MIN_SENTENCES = 5;

const EM_DASH = /—|\s--\s/;
const WORDS = "[\\p{L}\\p{N}'’-]+(?:\\s[\\p{L}\\p{N}'’-]+){0,2}";
/** "fast, cheap, and reliable", "plan, draft or revise": three short items, the last after and/or. */
const TRIPLET = new RegExp(`${WORDS},\\s${WORDS},?\\s(?:and|or)\\s[\\p{L}\\p{N}'’-]+`, 'u');

function habitFinding(paragraphs: ProseBlock[], habit: Habit, threshold: number, tell: AiTell): TellFinding | undefined {
  const prose = paragraphs.filter((p) => p.text.trim().length > 0);
  if (habit === 'em-dash-paragraphs') {
    const withDash = prose.filter((p) => EM_DASH.test(p.text));
    if (prose.length < MIN_PARAGRAPHS || withDash.length / prose.length <= threshold) return undefined;
    const first = withDash[0]!;
    const at = first.text.search(EM_DASH);
    const dash = EM_DASH.exec(first.text)![0];
    return tellFinding(tell, first.start + at, dash, `(an em-dash in ${withDash.length} of ${prose.length} paragraphs)`);
  }
  const sentences = prose.flatMap((p) => splitSentences(p));
  const listing = sentences.filter((s) => TRIPLET.test(s.text));
  if (sentences.length < MIN_SENTENCES || listing.length / sentences.length <= threshold) return undefined;
  const first = listing[0]!;
  const match = TRIPLET.exec(first.text)!;
  return tellFinding(tell, first.start + match.index, match[0], `(a list of three in ${listing.length} of ${sentences.length} sentences)`);
}

function splitSentences(block: ProseBlock): { start: number; text: string }[] {
  const sentences: { start: number; text: string }[] = [];
  const boundary = /[.!?]+["”’)]*\s+/g;
  let from = 0;
  for (const match of block.text.matchAll(boundary)) {
    const end = match.index + match[0].length;
    sentences.push({ start: block.start + from, text: block.text.slice(from, end) });
    from = end;
  }
  if (block.text.slice(from).trim()) sentences.push({ start: block.start + from, text: block.text.slice(from) });
  return sentences.filter((s) => s.text.trim().length > 0);
}
