/**
 * Characters per token for budgets, without loading the real tokenizer: prose is about 4, but figures,
 * names and URLs tokenise denser, and a budget should err on the small side (bench/sources.ts measures it).
 */
export const CHARS_PER_TOKEN = 3.5;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
