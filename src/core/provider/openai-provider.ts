/**
 * ChatProvider for any OpenAI-compatible chat-completions server (OpenAI, DeepSeek, OpenRouter,
 * Ollama, LM Studio, llama.cpp). The SDK does the HTTP and SSE parsing; the retry policy, idle timeout,
 * structured-output fallback and error wording are ours, because the SDK's defaults (unbounded
 * retry-after, no timeout on a stalled stream, abort not noticed during a wait) do not suit a CLI.
 */
import type OpenAI from 'openai';
import { InterruptedError, ProviderError } from '../errors.js';
import {
  classifyFailure,
  socketCode,
  parseRetryAfter,
  rejectsStreamOptions,
  rejectsStructuredOutput,
  rejectedTokenField,
  type FailureContext,
  type FailureFacts,
} from './error-table.js';
import { redactSecrets, scrubKnownSecrets, splitBaseUrl } from './redact.js';
import { replyLimits, type ReplyLimits } from './reply-limits.js';
import { createThinkFilter, stripThink } from './think.js';
import type {
  ChatMessage,
  ChatProvider,
  ChatRequest,
  ChatResult,
  FinishReason,
  JsonSchemaSpec,
  ProviderInfo,
  ProviderSettings,
  StructuredMode,
  Usage,
} from './types.js';

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
type StreamBody = OpenAI.ChatCompletionCreateParamsStreaming;

// Keyless local servers ignore the header, but the SDK refuses to construct without a key.
const KEYLESS_PLACEHOLDER = 'no-key';
const STRUCTURED_ORDER: readonly StructuredMode[] = ['json_schema', 'json_object', 'prompt'];
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

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
  });
  return new OpenAIProvider(sdk, client, settings, hooks, target.url, target.secrets);
}

type Attempt =
  | { ok: true; raw: string; finish: string | null | undefined; usage?: Usage; overBytes?: boolean }
  | { ok: false; facts: FailureFacts };

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
    this.info = { provider: settings.provider, model: settings.model, baseURL };
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
      this.debug(`-> ${purpose}: POST ${this.chatUrl()} model=${this.settings.model}` +
        `${mode ? ` structured=${mode}` : ''}${retries ? ` retry=${retries}/${maxRetries}` : ''}`);
      const outcome = await this.attempt(request, mode, limits, streamUsage);
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
      const delayMs = this.delayFor(error, retries);
      this.hooks.onRetry?.({ purpose, attempt: retries + 1, maxRetries, delayMs, error });
      // The wait gives up the concurrency slot (when a limiter lent one), then takes one again.
      const wait = () => abortableSleep(delayMs, request.signal);
      await (request.whileWaiting ? request.whileWaiting(wait) : wait());
      retries++;
    }
  }

  /** One HTTP request. Throws only InterruptedError (or a caller's onDelta error); failures come back as facts. */
  private async attempt(
    request: ChatRequest,
    mode: StructuredMode | undefined,
    limits: ReplyLimits,
    streamUsage: boolean,
  ): Promise<Attempt> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    request.signal?.addEventListener('abort', stop, { once: true });

    // The SDK's timeout stops at the response headers; a stream that stalls midway needs its own timer.
    // Aborting mid-stream ends the SDK's iterator quietly, so the flag is what tells a stall apart.
    let idleFired = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idleFired = true;
        controller.abort();
      }, this.settings.timeoutMs);
    };

    const filter = createThinkFilter();
    let callbackError: { error: unknown } | undefined;
    const emit = (text: string) => {
      if (!text || !request.onDelta || callbackError) return;
      try {
        request.onDelta(text);
      } catch (error) {
        callbackError = { error };
        controller.abort();
      }
    };

    let phase: 'connect' | 'stream' = 'connect';
    let raw = '';
    let finish: string | null | undefined;
    let usage: Usage | undefined;
    let chunks = 0;
    let bytes = 0;
    let overBytes = false;
    try {
      arm();
      const stream = await this.client.chat.completions.create(this.body(request, mode, limits, streamUsage), { signal: controller.signal });
      phase = 'stream';
      arm();
      for await (const chunk of stream) {
        arm();
        chunks++;
        if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        // reasoning_content (DeepSeek, vLLM) and reasoning (Ollama, OpenRouter) are deliberately not read.
        // A function call's arguments are the reply (one call: the request names the function).
        const piece = choice.delta?.content || (mode === 'tool' ? choice.delta?.tool_calls?.[0]?.function?.arguments : undefined);
        if (piece) {
          bytes += Buffer.byteLength(piece);
          if (bytes > limits.maxBytes) {
            // A server that ignores max_tokens: stop reading, and hang up so it stops sending.
            overBytes = true;
            controller.abort();
            break;
          }
          raw += piece;
          emit(filter.push(piece));
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    } catch (error) {
      if (callbackError) throw callbackError.error;
      if (overBytes && !request.signal?.aborted) return { ok: true, raw, finish: 'length', usage, overBytes };
      if (request.signal?.aborted) throw new InterruptedError();
      if (idleFired) return { ok: false, facts: { transport: 'timeout', detail: '' } };
      return { ok: false, facts: this.factsFrom(error, phase) };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', stop);
    }
    if (callbackError) throw callbackError.error;
    if (request.signal?.aborted) throw new InterruptedError();
    if (overBytes) return { ok: true, raw, finish: 'length', usage, overBytes };
    if (idleFired) return { ok: false, facts: { transport: 'timeout', detail: '' } };
    // A 2xx whose body has no SSE events at all: HTML from a proxy, plain JSON, a wrong --base-url.
    if (chunks === 0) return { ok: false, facts: { transport: 'unparseable', detail: 'the reply held no stream events' } };
    emit(filter.flush());
    return { ok: true, raw, finish, usage };
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
    const usage = outcome.usage ?? (await estimateUsage(this.messages(request, mode), outcome.raw));
    const finishReason = mapFinish(mode === 'tool' && outcome.finish === 'tool_calls' ? 'stop' : outcome.finish);
    const tooLong = Boolean(outcome.overBytes) || (finishReason === 'length' && reachedTargetCap(limits, usage.outputTokens));
    this.debug(`<- ${request.purpose}: finish=${outcome.finish ?? 'none'}${outcome.overBytes ? ' (byte cap)' : ''} chars=${text.length} ` +
      `tokens=${usage.inputTokens}/${usage.outputTokens}${outcome.usage ? '' : ' (estimated)'}`);
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

  private body(request: ChatRequest, mode: StructuredMode | undefined, limits: ReplyLimits, streamUsage: boolean): StreamBody {
    const body: StreamBody = {
      model: this.settings.model,
      messages: this.messages(request, mode),
      stream: true,
      ...(streamUsage ? { stream_options: { include_usage: true } } : {}),
    };
    if (limits.maxTokens !== undefined) body[this.tokenField] = limits.maxTokens;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.json?.tool && mode === 'tool') {
      const name = schemaName(request.json.name);
      body.tools = [{ type: 'function', function: { name, description: request.json.tool.description, parameters: request.json.schema, strict: true } }];
      body.tool_choice = { type: 'function', function: { name } };
    } else if (request.json && mode === 'json_schema') {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: schemaName(request.json.name), schema: request.json.schema, strict: true },
      };
    } else if (request.json && mode === 'json_object') {
      body.response_format = { type: 'json_object' };
    }
    return body;
  }

  /** With json_schema the server enforces the shape; weaker modes need the schema spelled out. */
  private messages(request: ChatRequest, mode: StructuredMode | undefined): ChatMessage[] {
    if (!request.json || !mode || mode === 'json_schema' || mode === 'tool') return request.messages;
    return withSchemaInstruction(request.messages, request.json);
  }

  private factsFrom(error: unknown, phase: 'connect' | 'stream'): FailureFacts {
    const { APIError, APIConnectionError, APIConnectionTimeoutError } = this.sdk;
    if (error instanceof APIConnectionTimeoutError) return { transport: 'timeout', detail: '' };
    if (error instanceof APIConnectionError) {
      const code = socketCode(error);
      return {
        transport: code && DNS_CODES.has(code) ? 'dns' : 'connection',
        code,
        detail: code ? '' : innermostMessage(error),
      };
    }
    if (error instanceof APIError) {
      const facts: FailureFacts = {
        detail: apiErrorDetail(error),
        code: typeof error.code === 'string' ? error.code : undefined,
        param: typeof error.param === 'string' ? error.param : undefined,
        requestId: error.requestID ?? error.headers?.get('x-request-id') ?? undefined,
      };
      // No status: the server sent {"error": …} inside a 200 stream.
      if (error.status === undefined) return { ...facts, transport: 'stream-error' };
      const headers = error.headers;
      return { ...facts, status: error.status, retryAfterMs: headers ? parseRetryAfter((n) => headers.get(n)) : undefined };
    }
    if (error instanceof SyntaxError) return { transport: 'unparseable', detail: 'a streamed chunk is not valid JSON' };
    // Past the headers, anything else is the body breaking off (undici: "terminated", "other side closed").
    if (phase === 'stream') return { transport: 'dropped', code: socketCode(error), detail: '' };
    return { detail: error instanceof Error ? error.message : String(error) };
  }

  private delayFor(error: ProviderError, retries: number): number {
    // Between 75% and 100% of the exponential step, so parallel requests do not retry in lockstep.
    const backoff = this.settings.backoffBaseMs * 2 ** retries * (1 - Math.random() * 0.25);
    return Math.round(Math.min(this.settings.retryAfterCapMs, error.retryAfterMs ?? backoff));
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

export function withSchemaInstruction(messages: ChatMessage[], json: JsonSchemaSpec): ChatMessage[] {
  const instruction =
    `Reply with a single JSON object matching this JSON Schema, and nothing else:\n${JSON.stringify(json.schema)}`;
  const [first, ...rest] = messages;
  // Appended to an existing system message rather than added as a second one: several local chat
  // templates reject more than one system message, or one that is not first.
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}

/** OpenAI requires ^[a-zA-Z0-9_-]{1,64}$ for the schema name. */
export function schemaName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'reply';
}

export function mapFinish(reason: string | null | undefined): FinishReason {
  return reason === 'stop' || reason === 'length' || reason === 'content_filter' ? reason : 'other';
}

/** Stopped at the cap derived from the word target (not at a lower limit of the server's own). */
export function reachedTargetCap(limits: ReplyLimits, outputTokens: number): boolean {
  return limits.fromTarget && limits.maxTokens !== undefined && outputTokens >= limits.maxTokens * 0.9;
}

async function estimateUsage(messages: ChatMessage[], reply: string): Promise<Usage> {
  const { loadTokenCounter } = await import('../tokens.js');
  const counter = await loadTokenCounter();
  return { inputTokens: counter.countMessages(messages), outputTokens: counter.count(reply) };
}

/** The weaker of two structured modes (the floor a caller asked for wins when it is weaker). */
function weaker(current: StructuredMode, floor: StructuredMode | undefined): StructuredMode {
  if (!floor || !STRUCTURED_ORDER.includes(floor)) return current;
  return STRUCTURED_ORDER.indexOf(floor) > STRUCTURED_ORDER.indexOf(current) ? floor : current;
}

function apiErrorDetail(error: InstanceType<Sdk['APIError']>): string {
  const body: unknown = error.error;
  if (typeof body === 'string') return body; // Ollama: {"error": "model 'x' not found"}
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return error.message.replace(/^\d{3}\s*/, '').replace(/^status code \(no body\)$/, '');
}

function innermostMessage(error: unknown): string {
  let message = '';
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}

function gaveUp(error: ProviderError, attempts: number): ProviderError {
  return new ProviderError(error.kind, `${error.message} (gave up after ${attempts} attempts)`, {
    retryable: error.retryable,
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    requestId: error.requestId,
    hint: error.hint,
    code: error.code,
  });
}

/** A wait that the caller's signal can cut short: Ctrl-C must not sit out a 60 s retry-after. */
function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
