/**
 * Reasoning models (DeepSeek-R1, QwQ, Qwen3 and friends served by Ollama or llama.cpp) often put their
 * chain of thought inline as <think>…</think>. It is never part of the draft, so it is removed from the
 * final text and hidden from the live stream.
 */

const OPEN_TAGS = ['<think>', '<thinking>'] as const;
const CLOSE_FOR: Record<string, string> = { '<think>': '</think>', '<thinking>': '</thinking>' };

const COMPLETE_BLOCK = /<(think|thinking)>[\s\S]*?<\/\1>/gi;
const UNTERMINATED_LEADING = /^\s*<(think|thinking)>(?![\s\S]*<\/\1>)[\s\S]*$/i;

/** Removes complete think blocks anywhere and an unterminated leading one (a reply cut off mid-thought). */
export function stripThink(text: string): string {
  return text.replace(COMPLETE_BLOCK, '').replace(UNTERMINATED_LEADING, '').trim();
}

export interface ThinkFilter {
  /** Returns the part of `delta` that is safe to show now. */
  push(delta: string): string;
  /** Returns whatever was held back at the end of the stream. */
  flush(): string;
}

/**
 * A streaming counterpart of stripThink. Tags may arrive split across chunks ("<th" + "ink>"), so a
 * suffix that could still become a tag is held back until the next chunk decides it. Leading whitespace
 * is dropped too, because a think block is usually followed by blank lines before the answer.
 */
export function createThinkFilter(): ThinkFilter {
  let pending = '';
  let closeTag: string | undefined; // set while inside a think block
  let started = false; // whether any visible non-whitespace text was emitted

  const visible = (text: string): string => {
    if (started) return text;
    const trimmed = text.trimStart();
    if (trimmed) started = true;
    return trimmed;
  };

  const drain = (): string => {
    let out = '';
    for (;;) {
      const lower = pending.toLowerCase();
      if (closeTag) {
        const end = lower.indexOf(closeTag);
        if (end === -1) {
          pending = pending.slice(pending.length - partialSuffix(lower, [closeTag]));
          return out;
        }
        pending = pending.slice(end + closeTag.length);
        closeTag = undefined;
        continue;
      }
      const open = firstOpenTag(lower);
      if (!open) {
        const keep = partialSuffix(lower, OPEN_TAGS);
        out += visible(pending.slice(0, pending.length - keep));
        pending = pending.slice(pending.length - keep);
        return out;
      }
      out += visible(pending.slice(0, open.index));
      pending = pending.slice(open.index + open.tag.length);
      closeTag = CLOSE_FOR[open.tag];
    }
  };

  return {
    push(delta) {
      pending += delta;
      return drain();
    },
    flush() {
      // Inside an unterminated block everything held is reasoning; outside, a held "<thi" was just text.
      const rest = closeTag ? '' : visible(pending);
      pending = '';
      closeTag = undefined;
      return rest;
    },
  };
}

function firstOpenTag(lower: string): { index: number; tag: string } | undefined {
  let best: { index: number; tag: string } | undefined;
  for (const tag of OPEN_TAGS) {
    const index = lower.indexOf(tag);
    if (index !== -1 && (!best || index < best.index)) best = { index, tag };
  }
  return best;
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `tags`. */
function partialSuffix(text: string, tags: readonly string[]): number {
  let longest = 0;
  for (const tag of tags) {
    for (let n = Math.min(tag.length - 1, text.length); n > longest; n--) {
      if (tag.startsWith(text.slice(text.length - n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}
