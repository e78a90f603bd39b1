import { ProviderError } from '../errors.js';
import type { ChatMessage, ChatProvider, ChatRequest, ChatResult, JsonSchemaSpec, Usage } from '../provider/types.js';

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

/** What a structured reply was checked against: its value, or the problem in words. */
export type Checked<T> = { value: T } | { problem: string };

/**
 * One structured call (the provider picks json_schema, json_object, a grammar or a plain prompt)
 * whose reply must pass `check`. An unusable reply is retried once, with the problem given to the
 * template as its validation error, then fails clearly: "<unusable>: <problem>".
 */
export async function callForChecked<T>(
  provider: ChatProvider,
  request: {
    purpose: string;
    /** The messages, given the previous reply's problem on the retry. */
    render: (validationError: string | undefined) => ChatMessage[];
    json: JsonSchemaSpec;
    signal?: AbortSignal;
    maxTokens?: number;
    check: (reply: string) => Checked<T>;
    /** e.g. "the model's outline was unusable twice". */
    unusable: string;
  },
  meter: UsageMeter,
): Promise<T> {
  let validationError: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const messages = request.render(validationError);
    const result = await callForText(
      provider,
      { purpose: request.purpose, messages, json: request.json, signal: request.signal, maxTokens: request.maxTokens },
      meter,
    );
    const checked = request.check(result.text);
    if ('value' in checked) return checked.value;
    validationError = checked.problem;
  }
  throw new ProviderError('invalid-output', `${request.unusable}: ${validationError}`, {
    hint: 'try again, or try a more capable --model',
  });
}
