/**
 * ChatProvider for any OpenAI-compatible chat-completions server (OpenAI, DeepSeek, OpenRouter,
 * Ollama, LM Studio, llama.cpp). The SDK does the HTTP and SSE parsing; the retry policy, idle timeout,
 * structured-output fallback and error wording are ours, because the SDK's defaults (unbounded
 * retry-after, no timeout on a stalled stream, abort not noticed during a wait) do not suit a CLI.
 */
import type OpenAI from 'openai';
import { InterruptedError, type ProviderError } from '../errors.js';
import { mapFinish, messagesFor, reachedTargetCap, STRUCTURED_ORDER, streamingBody, weaker } from './chat-completions-wire.js';
import { classifyFailure, type FailureContext } from './error-table.js';
import { httpFetch } from './http-fetch.js';
import { openAIProviderInfo } from './provider-info.js';
import { redactSecrets, scrubKnownSecrets, splitBaseUrl } from './redact.js';
import { rejectedTokenField, rejectsStreamOptions, rejectsStructuredOutput } from './refused-parameters.js';
import { replyLimits, type ReplyLimits } from './reply-limits.js';
import { abortableSleep, gaveUp, retryDelayMs } from './retry-wait.js';
import { attemptOnce, type Attempt } from './stream-attempt.js';
import { stripThink } from './think.js';
import type { ChatMessage, ChatProvider, ChatRequest, ChatResult, ProviderInfo, ProviderSettings, StructuredMode, Usage } from './types.js';

export interface ProviderHooks {
  onRetry?(info: { purpose: string; attempt: number; maxRetries: number; delayMs: number; error: ProviderError }): void;
  /** A configured secret appeared in a reply and was replaced before anything saw it. */
  onSecretScrubbed?(info: { purpose: string }): void;
  /** The server refused `stream_options`; usage is estimated from here on. */
  onNoStreamUsage?(): void;
  /** Only ever receives redacted text. */
  debug?(line: string): void;
}

type Sdk = typeof import('openai');

// Keyless local servers ignore the header, but the SDK refuses to construct without a key.
const KEYLESS_PLACEHOLDER = 'no-key';

export async function createOpenAIProvider(settings: ProviderSettings, hooks: ProviderHooks = {}): Promise<ChatProvider> {
  // Imported here, not at the top: the SDK costs ~90 ms and most commands never talk to a model.
  const sdk = await import('openai');
  // fetch refuses a URL with userinfo, so `http://user:password@host/v1` becomes Basic auth.
  const target = splitBaseUrl(settings.baseURL);
  if (settings.azure) {
    const { createAzureClient } = await import('./azure-client.js');
    return new OpenAIProvider(sdk, createAzureClient(sdk, settings, settings.azure), settings, hooks, target.url, target.secrets);
  }
  const client = new sdk.OpenAI({
    baseURL: target.url,
    ...(target.authorization ? { defaultHeaders: { Authorization: target.authorization } } : {}),
    apiKey: settings.apiKey || KEYLESS_PLACEHOLDER,
    // Without explicit nulls the SDK reads OPENAI_ADMIN_KEY / OPENAI_ORG_ID / OPENAI_PROJECT_ID from the
    // environment and sends them to whatever server --base-url names.
    adminAPIKey: null,
    ...(settings.provider === 'openai' ? {} : { organization: null, project: null }),
    maxRetries: 0,
    timeout: settings.timeoutMs,
    // The SDK would print unparseable stream chunks to the console, unredacted.
    logLevel: 'off',
    fetch: httpFetch,
  });
  return new OpenAIProvider(sdk, client, settings, hooks, target.url, target.secrets);
}

class OpenAIProvider implements ChatProvider {
  readonly info: ProviderInfo;
  /** Weakest structured mode this server has needed so far; later calls start here. */
  private structuredMode: StructuredMode;
  /** False once the server has refused `stream_options` (Azure and some proxies): not sent again. */
  private streamUsage: boolean;
  /** False once the server has refused tools: structured replies that offer a function use json_schema. */
  private toolCalls = true;
  /** The reply cap's field: the preset's, else max_tokens; renamed once if the server refuses it. */
  private tokenField: 'max_tokens' | 'max_completion_tokens';
  private readonly context: FailureContext;
  /** Without userinfo: what is requested, printed and keyed on. */
  private readonly baseURL: string;

  constructor(
    private readonly sdk: Sdk,
    private readonly client: OpenAI,
    private readonly settings: ProviderSettings,
    private readonly hooks: ProviderHooks,
    baseURL: string,
    urlSecrets: readonly string[],
  ) {
    this.baseURL = baseURL;
    this.info = openAIProviderInfo(settings);
    // Documented quirks set the starting point; the fallbacks below still apply from there.
    this.structuredMode = settings.quirks?.structuredStart ?? 'json_schema';
    this.streamUsage = settings.quirks?.streamOptions !== false;
    this.tokenField = settings.quirks?.maxTokensField ?? 'max_tokens';
    this.context = {
      baseURL: settings.azure ? `${baseURL} (deployment "${settings.azure.deployment}")` : baseURL,
      deployment: settings.azure?.deployment,
      model: settings.model,
      apiKeyEnv: settings.apiKeyEnv,
      hasApiKey: Boolean(settings.apiKey) || urlSecrets.length > 0,
      timeoutMs: settings.timeoutMs,
      secrets: [settings.apiKey, ...urlSecrets],
    };
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    if (request.signal?.aborted) throw new InterruptedError();
    const { purpose } = request;
    const { maxRetries } = this.settings;
    let mode = request.json ? weaker(this.structuredMode, request.structuredFloor) : undefined;
    // Function calling first where the request offers it and the server has not refused it.
    if (mode === 'json_schema' && request.json?.tool && this.toolCalls) mode = 'tool';
    const limits = replyLimits(request);
    let retries = 0;
    for (;;) {
      const streamUsage = this.streamUsage;
      this.debug(
        `-> ${purpose}: POST ${this.chatUrl()} model=${this.settings.model}` +
          `${mode ? ` structured=${mode}` : ''}${retries ? ` retry=${retries}/${maxRetries}` : ''}`,
      );
      const body = streamingBody(this.settings.model, request, mode, limits, { streamUsage, tokenField: this.tokenField });
      const outcome = await attemptOnce(this.sdk, this.client, body, request, { mode, limits, timeoutMs: this.settings.timeoutMs });
      if (outcome.ok) return this.finish(outcome, request, mode, limits);

      const { facts } = outcome;
      this.debug(`x ${purpose}: ${facts.status ?? facts.transport ?? 'error'}${facts.code ? ` ${facts.code}` : ''} ${facts.detail}`);
      // Checked before the structured modes: a 400 about stream_options is not about response_format.
      if (streamUsage && rejectsStreamOptions(facts)) {
        if (this.streamUsage) this.hooks.onNoStreamUsage?.();
        this.streamUsage = false;
        this.debug(`   ${purpose}: server rejected stream_options; usage will be estimated`);
        continue;
      }
      const field = limits.maxTokens !== undefined ? rejectedTokenField(facts, this.tokenField) : undefined;
      if (field) {
        this.tokenField = field === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
        this.debug(`   ${purpose}: server refused ${field}; sending ${this.tokenField}`);
        continue;
      }
      if (mode === 'tool' && (rejectsStructuredOutput(facts) || /^tool/.test(facts.param ?? ''))) {
        this.toolCalls = false;
        mode = weaker(this.structuredMode, request.structuredFloor);
        this.debug(`   ${purpose}: server rejected tools; trying ${mode}`);
        continue;
      }
      if (mode && mode !== 'prompt' && rejectsStructuredOutput(facts)) {
        mode = STRUCTURED_ORDER[STRUCTURED_ORDER.indexOf(mode) + 1]!;
        this.remember(mode);
        this.debug(`   ${purpose}: server rejected the structured-output mode; trying ${mode}`);
        continue;
      }
      const error = classifyFailure(facts, this.context);
      if (!error.retryable) throw error;
      if (retries >= maxRetries) throw retries > 0 ? gaveUp(error, retries + 1) : error;
      const delayMs = retryDelayMs(this.settings, error, retries);
      this.hooks.onRetry?.({ purpose, attempt: retries + 1, maxRetries, delayMs, error });
      // The wait gives up the concurrency slot (when a limiter lent one), then takes one again.
      const wait = () => abortableSleep(delayMs, request.signal);
      await (request.whileWaiting ? request.whileWaiting(wait) : wait());
      retries++;
    }
  }

  private async finish(
    outcome: Extract<Attempt, { ok: true }>,
    request: ChatRequest,
    mode: StructuredMode | undefined,
    limits: ReplyLimits,
  ): Promise<ChatResult> {
    // Scrubbed before anything (the draft, the cache, a log) sees the text: servers echo keys back.
    const { text, scrubbed } = scrubKnownSecrets(stripThink(outcome.raw), this.context.secrets);
    if (scrubbed) this.hooks.onSecretScrubbed?.({ purpose: request.purpose });
    // Some servers send no usage (or refuse to be asked for it); the tokenizer keeps cost and
    // budget reporting meaningful.
    const usage = outcome.usage ?? (await estimateUsage(messagesFor(request, mode), outcome.raw));
    const finishReason = mapFinish(mode === 'tool' && outcome.finish === 'tool_calls' ? 'stop' : outcome.finish);
    const tooLong = Boolean(outcome.overBytes) || (finishReason === 'length' && reachedTargetCap(limits, usage.outputTokens));
    this.debug(
      `<- ${request.purpose}: finish=${outcome.finish ?? 'none'}${outcome.overBytes ? ' (byte cap)' : ''} chars=${text.length} ` +
        `tokens=${usage.inputTokens}/${usage.outputTokens}${outcome.usage ? '' : ' (estimated)'}`,
    );
    return {
      text,
      finishReason,
      usage,
      ...(mode ? { structuredMode: mode } : {}),
      ...(tooLong ? { tooLong } : {}),
      ...(scrubbed ? { secretsScrubbed: true } : {}),
      ...(outcome.usage ? {} : { usageEstimated: true }),
    };
  }

  private remember(mode: StructuredMode): void {
    // Concurrent calls may learn in any order; never move back to a stronger mode.
    if (STRUCTURED_ORDER.indexOf(mode) > STRUCTURED_ORDER.indexOf(this.structuredMode)) this.structuredMode = mode;
  }

  /** For debug lines: where the request goes (Azure puts the deployment and api-version in the URL). */
  private chatUrl(): string {
    const azure = this.settings.azure;
    return azure
      ? `${this.baseURL}/openai/deployments/${azure.deployment}/chat/completions?api-version=${azure.apiVersion}`
      : `${this.baseURL}/chat/completions`;
  }

  private debug(line: string): void {
    this.hooks.debug?.(redactSecrets(line, this.context.secrets));
  }
}

async function estimateUsage(messages: ChatMessage[], reply: string): Promise<Usage> {
  const { loadTokenCounter } = await import('../tokens.js');
  const counter = await loadTokenCounter();
  return { inputTokens: counter.countMessages(messages), outputTokens: counter.count(reply) };
}
