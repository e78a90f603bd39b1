import { ProviderError } from '../errors.js';
import { farOverTarget } from '../provider/reply-limits.js';
import { countWords } from '../markdown.js';
import { costOf, roundUsd, type PriceTable } from '../pricing.js';
import type {
  ChatMessage,
  ChatProvider,
  ChatRequest,
  ChatResult,
  JsonSchemaSpec,
  ProviderInfo,
  StructuredMode,
  Usage,
} from '../provider/types.js';

/**
 * The one meter of what a piece of work spent, across every call it made; the front matter, the
 * summary, --json and the batch report all read it. The rule for a reply from the response cache:
 * it costs nothing, so it is counted in `cachedRequests` only, and its tokens are not billed.
 * `requests`, the tokens and the cost are what was sent to the model.
 */
export class UsageMeter {
  /** How sent usage is priced, when not at the list price (the Batch API's discount). */
  private readonly pricer?: (usage: Usage, info: ProviderInfo) => number | null;
  inputTokens = 0;
  outputTokens = 0;
  requests = 0;
  cachedRequests = 0;
  /** Replies in which a configured secret was found (and replaced). */
  secretsScrubbed = 0;

  constructor(pricer?: (usage: Usage, info: ProviderInfo) => number | null) {
    this.pricer = pricer;
  }

  /** Usage per model, when a provider with a model per stage says which one answered. */
  readonly byModel = new Map<
    string,
    { info: ProviderInfo; inputTokens: number; outputTokens: number; requests: number; purposes: string[] }
  >();

  record(result: ChatResult, purpose = ''): void {
    if (result.secretsScrubbed) this.secretsScrubbed++;
    if (result.cached) {
      this.cachedRequests++;
      return;
    }
    this.inputTokens += result.usage.inputTokens;
    this.outputTokens += result.usage.outputTokens;
    this.requests++;
    if (result.servedBy) {
      const key = `${result.servedBy.provider}\u0000${result.servedBy.model}`;
      const entry = this.byModel.get(key) ?? { info: result.servedBy, inputTokens: 0, outputTokens: 0, requests: 0, purposes: [] };
      entry.inputTokens += result.usage.inputTokens;
      entry.outputTokens += result.usage.outputTokens;
      entry.requests++;
      entry.purposes.push(purpose);
      this.byModel.set(key, entry);
    }
  }

  /** What was sent, priced and rounded (roundUsd); nothing sent costs nothing, even at an unknown price. */
  costUsd(info: ProviderInfo, prices?: PriceTable): number | null {
    if (this.requests === 0) return 0;
    // Several models: each one's tokens at its own price (unknown if any one's price is).
    if (this.byModel.size > 0 && !this.pricer) {
      const costs = [...this.byModel.values()].map((m) => costOf(m, m.info.model, { local: m.info.local, prices }));
      return costs.some((c) => c === null) ? null : roundUsd(costs.reduce((a: number, c) => a + c!, 0));
    }
    const cost = this.pricer ? this.pricer(this.usage, info) : costOf(this.usage, info.model, { local: info.local, prices });
    return cost === null ? null : roundUsd(cost);
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
  meter.record(result, request.purpose);
  const words = request.targetWords === undefined ? 0 : await countWords(result.text);
  if (result.tooLong || farOverTarget(words, request.targetWords)) {
    const target = request.targetWords === undefined ? '' : ` (about ${request.targetWords} words were asked for)`;
    throw new ProviderError('length', `the model's reply for ${request.purpose} was far too long${target}: reply too long`, {
      hint: 'nothing was written; try again, or try another --model',
    });
  }
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
  let floor: StructuredMode | undefined;
  for (let attempt = 0; ; attempt++) {
    const messages = request.render(validationError);
    const result = await callForText(
      provider,
      {
        purpose: request.purpose,
        messages,
        json: request.json,
        signal: request.signal,
        maxTokens: request.maxTokens,
        structuredFloor: floor,
      },
      meter,
    );
    const checked = request.check(result.text);
    if ('value' in checked) return checked.value;
    validationError = checked.problem;
    if (attempt === 0) continue;
    // json_object only promises some JSON; servers that rejected json_schema often do better with the
    // schema in a plain prompt, so that gets one last try before giving up.
    if (attempt === 1 && result.structuredMode === 'json_object') {
      floor = 'prompt';
      continue;
    }
    break;
  }
  throw new ProviderError('invalid-output', `${request.unusable}: ${validationError}`, {
    hint: 'try again, or try a more capable --model',
  });
}
