import MiniSearch from 'minisearch';
import type { Passage } from './passages.js';
import { estimateTokens } from './token-estimate.js';

export { CHARS_PER_TOKEN, estimateTokens } from './token-estimate.js';

/**
 * Lexical relevance (BM25, through MiniSearch) of passages to a query: a section's heading and what it
 * must cover. No embeddings: the query and the sources share the post's vocabulary, and BM25 needs no
 * model, no network and no index on disk.
 */
export class PassageIndex {
  private readonly search: MiniSearch<{ id: number; text: string }>;

  constructor(private readonly passages: Passage[]) {
    this.search = new MiniSearch({ fields: ['text'], storeFields: [], searchOptions: { prefix: true, fuzzy: false, combineWith: 'OR' } });
    this.search.addAll(passages.map((p, id) => ({ id, text: p.text })));
  }

  /**
   * The most relevant passages whose estimated tokens fit the budget, best first. With no match at
   * all, the opening passage of each source stands in, so a section still sees what it may cite.
   */
  select(query: string, budgetTokens: number, maxPassages = 8): Passage[] {
    const ranked = this.search.search(query).map((hit) => this.passages[hit.id as number]!);
    const candidates = ranked.length > 0 ? ranked : this.passages.filter((p) => p.index === 0);
    const chosen: Passage[] = [];
    let used = 0;
    for (const passage of candidates) {
      const cost = estimateTokens(passage.text);
      if (used + cost > budgetTokens) continue;
      chosen.push(passage);
      used += cost;
      if (chosen.length >= maxPassages) break;
    }
    return chosen;
  }
}
