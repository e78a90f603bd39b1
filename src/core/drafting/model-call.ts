import { ProviderError } from '../errors.js';
import type { ChatProvider, ChatRequest, ChatResult, Usage } from '../provider/types.js';

/** Counts what a piece of work spent, across every call it made. */
export class UsageMeter {
  inputTokens = 0;
  outputTokens = 0;
  requests = 0;
  cachedRequests = 0;

  record(result: ChatResult): void {
    this.inputTokens += result.usage.inputTokens;
    this.outputTokens += result.usage.outputTokens;
    if (result.cached) this.cachedRequests++;
    else this.requests++;
  }

  get usage(): Usage {
    return { inputTokens: this.inputTokens, outputTokens: this.outputTokens };
  }
}

/**
 * One model call whose reply must be usable text: a reply cut off by the token limit or an
 * empty reply is reported by name and never written into a post as if it were fine.
 */
export async function callForText(provider: ChatProvider, request: ChatRequest, meter: UsageMeter): Promise<ChatResult> {
  const result = await provider.chat(request);
  meter.record(result);
  if (result.finishReason === 'length') {
    throw new ProviderError('length', `the model's reply for ${request.purpose} was cut off (finish_reason: length)`, {
      hint: 'raise --max-tokens, or ask for fewer --words',
    });
  }
  if (result.text.trim() === '') {
    throw new ProviderError('empty', `the model returned an empty reply for ${request.purpose}`, {
      hint: 'try again, or try another --model',
    });
  }
  if (result.finishReason === 'content_filter') {
    throw new ProviderError('invalid-output', `the provider's content filter stopped the reply for ${request.purpose}`, {
      hint: 'rephrase the brief',
    });
  }
  return result;
}
