/**
 * Every reply is capped. A model that ignores its word target (or a server that streams forever)
 * must end as a clear failure, not as megabytes written into a post or held in memory.
 */
import type { ChatRequest } from './types.js';

/** English prose in a large-vocabulary tokenizer (o200k, Llama 3, Qwen): about 1.3 tokens a word. */
export const ENGLISH_TOKENS_PER_WORD = 4 / 3;
/** Generous on purpose: ×3 for other languages and Markdown, ×2 headroom (8 tokens a word in English). */
const HEADROOM = 6;
const MIN_TARGET_TOKENS = 256;
/** Bytes one token can take even in the worst scripts; only a backstop under max_tokens. */
const BYTES_PER_TOKEN = 16;
const MIN_BYTES = 16 * 1024;
/** For requests with no length at all (whole-post revisions): far above any real post. */
export const DEFAULT_MAX_REPLY_BYTES = 1024 * 1024;

export interface ReplyLimits {
  /** Sent as max_tokens (or the local engine's token limit); undefined means "none asked for". */
  maxTokens?: number;
  /** Streamed text beyond this many UTF-8 bytes is not read: the stream is aborted. */
  maxBytes: number;
  /** The token cap came from the word target, not from the user: hitting it means "reply too long". */
  fromTarget: boolean;
}

/**
 * `tokensPerWord` is for engines that know their tokenizer: a small-vocabulary model (stories260K
 * has 512 tokens) spends four or five tokens on a word, and the English figure would cut it off.
 */
export function replyLimits(request: Pick<ChatRequest, 'maxTokens' | 'targetWords'>, tokensPerWord = ENGLISH_TOKENS_PER_WORD): ReplyLimits {
  const user = request.maxTokens;
  const perWord = Math.max(ENGLISH_TOKENS_PER_WORD, tokensPerWord);
  const target =
    request.targetWords !== undefined && request.targetWords > 0
      ? Math.max(MIN_TARGET_TOKENS, Math.ceil(request.targetWords * perWord * HEADROOM))
      : undefined;
  const fromTarget = target !== undefined && (user === undefined || target < user);
  const maxTokens = fromTarget ? target : user;
  const maxBytes = maxTokens === undefined ? DEFAULT_MAX_REPLY_BYTES : Math.max(MIN_BYTES, maxTokens * BYTES_PER_TOKEN);
  return { maxTokens, maxBytes, fromTarget };
}

/** A reply this far over its target is not the part that was asked for. */
export function farOverTarget(words: number, targetWords: number | undefined): boolean {
  if (targetWords === undefined || targetWords <= 0) return false;
  return words > Math.max(targetWords * 3, targetWords + 150);
}
