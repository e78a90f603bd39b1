import { blank, withoutCode } from '../check/mask.js';
import { findNotesBlock } from '../document/notes-block.js';
import { parseBody, type Section } from '../document/sections.js';
import { extractFigures, isTraced, type Evidence, type Figure } from './figures.js';
import { LineIndex } from '../document/text-positions.js';

/** A figure the editor should check: what it says, the section it is in, and its line in the file. */
export interface UntracedFigure {
  text: string;
  section: string | null;
  line: number;
}

export interface FigureReport {
  total: number;
  traced: number;
  untraced: UntracedFigure[];
}

export interface PostFigure extends Figure {
  section: Section | undefined;
  /** 1-based line in the file (the body's first line is `firstBodyLine`). */
  line: number;
}

// Not prose: link destinations, bare URLs, definitions, HTML comments, shortcodes and Liquid tags.
const NOT_PROSE = [
  /\]\([^)\n]*\)/g,
  /<https?:\/\/[^>\s]*>/g,
  /\bhttps?:\/\/[^\s)>\]]+/g,
  /^ {0,3}\[[^\]\n]+\]:[^\n]*$/gm,
  /<!--[\s\S]*?-->/g,
  /\{\{[<%][\s\S]*?[%>]\}\}/g,
  /\{%[\s\S]*?%\}/g,
  /<[A-Za-z][^>\n]*>/g,
];

/** The figures of a post's prose: code, URLs, markup and the notes block are not read. */
export async function postFigures(body: string, firstBodyLine = 1): Promise<PostFigure[]> {
  let prose = await withoutCode(body);
  const notes = findNotesBlock(body);
  if (notes) prose = blank(prose, notes.start, notes.end);
  for (const pattern of NOT_PROSE) {
    prose = prose.replace(pattern, (m) => m.replace(/[^\n]/g, ' '));
  }
  const { sections } = parseBody(body);
  const lines = new LineIndex(body);
  const lineOf = (offset: number): number => lines.line(offset) - 1 + firstBodyLine;
  // The innermost section holding the figure: with nested headings the last one that starts before it.
  const sectionAt = (offset: number) => [...sections].reverse().find((s) => s.start <= offset && offset < s.end);
  return extractFigures(prose).map((figure) => ({
    ...figure,
    text: body.slice(figure.offset, figure.offset + figure.text.length),
    section: sectionAt(figure.offset),
    line: lineOf(figure.offset),
  }));
}

/** Which figures some evidence vouches for; `evidenceFor` picks it per section (the sources it cites, and the brief). */
export function traceFigures(figures: PostFigure[], evidenceFor: (section: Section | undefined) => Evidence): FigureReport {
  const untraced: UntracedFigure[] = [];
  for (const figure of figures) {
    if (!isTraced(figure, evidenceFor(figure.section))) {
      untraced.push({ text: figure.text, section: figure.section?.heading ?? null, line: figure.line });
    }
  }
  return { total: figures.length, traced: figures.length - untraced.length, untraced };
}

/** A report traced on a body alone, its lines moved down by the `by` lines that come before it in the file. */
export function shiftLines(report: FigureReport, by: number): FigureReport {
  return { ...report, untraced: report.untraced.map((f) => ({ ...f, line: f.line + by })) };
}
