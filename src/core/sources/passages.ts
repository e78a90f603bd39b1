/**
 * A source cut into passages of a few sentences: small enough that a section's prompt can carry the
 * few that matter, large enough that a figure keeps its context. Paragraphs are the unit; short ones are
 * merged up to TARGET_WORDS, long ones split at sentence ends under MAX_WORDS.
 */
export interface Passage {
  /** The source's number (1-based, in the order the editor gave them). */
  source: number;
  /** Position within the source (0-based). */
  index: number;
  text: string;
}

const TARGET_WORDS = 90;
const MAX_WORDS = 160;

const wordCount = (text: string): number => (text.match(/\S+/g) ?? []).length;

export function splitPassages(source: number, text: string): Passage[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && /[\p{L}\p{N}]/u.test(p));
  const pieces = paragraphs.flatMap((p) => (wordCount(p) > MAX_WORDS ? splitSentences(p) : [p]));
  const passages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && wordCount(current) + wordCount(piece) > TARGET_WORDS) {
      passages.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${piece}` : piece;
  }
  if (current) passages.push(current);
  return passages.map((text, index) => ({ source, index, text }));
}

function splitSentences(paragraph: string): string[] {
  const sentences = paragraph.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)\s*/g) ?? [paragraph];
  const out: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && wordCount(current) + wordCount(sentence) > MAX_WORDS) {
      out.push(current.trim());
      current = '';
    }
    current += sentence;
  }
  if (current.trim()) out.push(current.trim());
  // A "sentence" longer than the cap (a table, a list without stops) is cut by words.
  return out.flatMap((s) => (wordCount(s) > MAX_WORDS ? chunkWords(s) : [s]));
}

function chunkWords(text: string): string[] {
  const words = text.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += MAX_WORDS) out.push(words.slice(i, i + MAX_WORDS).join(' '));
  return out;
}
