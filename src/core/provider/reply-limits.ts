/**
 * Every reply is capped. A model that ignores its word target (or a server that streams forever)
 * must end as a clear failure, not as megabytes written into a post or held in memory.
 */
import type { ChatRequest } from './types.js';

/** Generous on purpose: ~1.3 tokens a word in English, ×3 for other languages and Markdown, ×2 headroom. */
const TOKENS_PER_WORD = 8;
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

export function replyLimits(request: Pick<ChatRequest, 'maxTokens' | 'targetWords'>): ReplyLimits {
  const user = request.maxTokens;
  const target =
    request.targetWords !== undefined && request.targetWords > 0
      ? Math.max(MIN_TARGET_TOKENS, Math.ceil(request.targetWords * TOKENS_PER_WORD))
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
