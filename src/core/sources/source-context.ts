import type { CitableSource } from './citations.js';
import type { LoadedSource } from './load-sources.js';
import { splitPassages, type Passage } from './passages.js';
import type { PassageIndex } from './rank-passages.js';
import { CHARS_PER_TOKEN, estimateTokens } from './token-estimate.js';
import { oneLine } from '../model-text.js';

/** Token budgets for what the sources add to prompts; a section prompt stays within them however many sources there are. */
export const SOURCE_BUDGETS = { digestTokens: 1500, excerptTokens: 1200, maxExcerpts: 8 } as const;

export interface Excerpts {
  /** Numbered for the model: `[1] (from "Title") …`. */
  text: string;
  /** Excerpt number → its source. */
  map: Map<number, CitableSource>;
  passages: Passage[];
  tokens: number;
}

/** The editor's sources, cut into passages and indexed once per draft. */
export class SourceContext {
  readonly passages: Passage[];
  private readonly index: PassageIndex | undefined;

  /** Sources cut and indexed. The index (MiniSearch) is loaded here, so a draft without sources never loads it. */
  static async create(sources: LoadedSource[]): Promise<SourceContext> {
    if (sources.length === 0) return new SourceContext([]);
    const { PassageIndex } = await import('./rank-passages.js');
    const passages = sources.flatMap((s) => splitPassages(s.number, s.text));
    return new SourceContext(sources, passages, new PassageIndex(passages));
  }

  /** `new SourceContext([])` for none; sources go through `create`. */
  constructor(
    readonly sources: LoadedSource[],
    passages: Passage[] = [],
    index?: PassageIndex,
  ) {
    if (sources.length > 0 && index === undefined) throw new Error('SourceContext: sources need an index; use SourceContext.create');
    this.passages = passages;
    this.index = index;
  }

  get empty(): boolean {
    return this.sources.length === 0;
  }

  /** For the outline: each source's title and opening words, sharing one budget. */
  digest(budgetTokens: number = SOURCE_BUDGETS.digestTokens): string {
    if (this.empty) return '';
    const perSource = Math.max(40, Math.floor(budgetTokens / this.sources.length));
    return this.sources
      .map((s) => {
        const title = oneLine(s.title);
        // The title counts against the source's share too.
        const chars = Math.max(80, Math.floor(perSource * CHARS_PER_TOKEN) - title.length - 6);
        return `- "${title}": ${oneLine(clip(this.passages.find((p) => p.source === s.number)?.text ?? '', chars))}`;
      })
      .join('\n');
  }

  /** The passages most relevant to one section, numbered from 1, within the budget. */
  excerptsFor(query: string, budgetTokens: number = SOURCE_BUDGETS.excerptTokens): Excerpts {
    const passages = this.index?.select(query, budgetTokens, SOURCE_BUDGETS.maxExcerpts) ?? [];
    const map = new Map<number, CitableSource>();
    const lines = passages.map((p, i) => {
      const source = this.sources.find((s) => s.number === p.source)!;
      map.set(i + 1, source);
      return `[${i + 1}] (from "${oneLine(source.title)}")\n${p.text}`;
    });
    const text = lines.join('\n\n');
    return { text, map, passages, tokens: estimateTokens(text) };
  }
}

function clip(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(0, chars);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), chars / 2))}…`;
}
