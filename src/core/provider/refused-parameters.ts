/**
 * Which failures mean "this server does not take that parameter": the provider then steps down (no
 * stream_options, the other reply-cap field, a weaker structured mode) and asks again, instead of failing.
 */
import { CONTEXT_OVERFLOW, type FailureFacts } from './error-table.js';

const STRUCTURED_WORDS = /response_format|json_schema|json_object|structured output|grammar/i;
const STREAM_OPTIONS = /stream_options|include_usage/i;

/**
 * Whether the server refused `stream_options` (Azure: "400 Unrecognized request argument supplied:
 * stream_options"; older vLLM and proxies word it their own way). The request is then sent again
 * without it and usage is estimated.
 */
export function rejectsStreamOptions(facts: FailureFacts): boolean {
  const { status, detail, param } = facts;
  if (status === undefined || status < 400 || status >= 500 || [401, 403, 404, 408, 409, 429].includes(status)) return false;
  return STREAM_OPTIONS.test(param ?? '') || STREAM_OPTIONS.test(detail);
}

const TOKEN_FIELD_REFUSED = /unsupported|not supported|unrecognized|unknown|extra inputs|not permitted|use 'max_/i;

/**
 * The reply-cap field the server refused, when it refused the one that was sent: OpenAI's and Azure's
 * reasoning models answer `max_tokens` with "Unsupported parameter: 'max_tokens' is not supported with
 * this model. Use 'max_completion_tokens' instead."; Mistral answers `max_completion_tokens` with a 422
 * "Extra inputs are not permitted"; older Azure api-versions do not know `max_completion_tokens`.
 */
export function rejectedTokenField(
  facts: FailureFacts,
  sent: 'max_tokens' | 'max_completion_tokens',
): 'max_tokens' | 'max_completion_tokens' | undefined {
  const { status, detail, param } = facts;
  if (status !== 400 && status !== 422) return undefined;
  const named = param === sent || new RegExp(`\\b${sent}\\b`).test(detail);
  return named && (param === sent || TOKEN_FIELD_REFUSED.test(detail)) ? sent : undefined;
}

/**
 * Whether a failure on a request that carried response_format means "this server does not do that",
 * so the next weaker structured mode is worth trying. Pragmatic, since servers word this every way:
 * most 4xx count, but not auth, rate limits, timeouts, over-long prompts or a 404 that names the model.
 */
export function rejectsStructuredOutput(facts: FailureFacts): boolean {
  const { status, detail, param } = facts;
  if (status === undefined) return false;
  // The server named a different culprit (e.g. `temperature` on a reasoning model): keep the mode.
  if (param && !STRUCTURED_WORDS.test(param)) return false;
  if (STREAM_OPTIONS.test(detail) && !STRUCTURED_WORDS.test(detail)) return false;
  if (status >= 500) return STRUCTURED_WORDS.test(detail);
  if (status < 400 || [401, 402, 403, 408, 409, 429, 413].includes(status)) return false;
  if (CONTEXT_OVERFLOW.test(detail) && !STRUCTURED_WORDS.test(detail)) return false;
  if (status === 404 && /model/i.test(detail) && !STRUCTURED_WORDS.test(detail)) return false;
  return true;
}
