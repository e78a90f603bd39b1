import type { ChatMessage } from './provider/types.js';

export interface TokenCounter {
  count(text: string): number;
  /** Tokens a chat request's messages take, including the few each message adds for its role. */
  countMessages(messages: readonly ChatMessage[]): number;
}

let cached: Promise<TokenCounter> | undefined;

/**
 * A real BPE tokenizer (o200k_base, what current OpenAI models use); for other models' tokenizers
 * it is an estimate, and it is only ever used for estimates (--dry-run, budgets). Loaded on demand:
 * the rank table is a few MB.
 */
export function loadTokenCounter(): Promise<TokenCounter> {
  cached ??= (async () => {
    const [{ Tiktoken }, { default: ranks }] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]);
    const encoder = new Tiktoken(ranks);
    const count = (text: string) => encoder.encode(text).length;
    return {
      count,
      countMessages: (messages) => messages.reduce((n, m) => n + 4 + count(m.content), 3),
    };
  })();
  return cached;
}
