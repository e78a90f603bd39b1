/**
 * The in-process engine: a GGUF model run by llama.cpp through node-llama-cpp, behind the same
 * ChatProvider seam as the HTTP providers. One model load serves a fixed number of context
 * sequences; requests beyond that wait their turn, so `batch` never loads the model twice.
 */
import path from 'node:path';
import type { LlamaChat, LlamaContextSequence, LlamaGrammar } from 'node-llama-cpp';
import { DraftError, InterruptedError, ProviderError } from '../errors.js';
import { chooseChatFormat, toChatHistory } from '../local/chat-format.js';
import { messageOf, type NodeLlamaCpp } from '../local/load-binding.js';
import { openModel, type OpenedModel } from '../local/open-model.js';
import { SlotPool } from '../local/sequence-pool.js';
import { replyLimits } from './reply-limits.js';
import type { ChatProvider, ChatRequest, ChatResult, FinishReason, JsonSchemaSpec, ProviderInfo, ProviderSettings } from './types.js';

/** Used when a request sets none: greedy decoding (the library default) makes small models loop. */
export const DEFAULT_TEMPERATURE = 0.7;

export interface LocalProviderHooks {
  debug?(line: string): void;
  /** For tests: simulate node-llama-cpp being absent. */
  importer?: () => Promise<NodeLlamaCpp>;
}

interface Slot {
  sequence: LlamaContextSequence;
  chat: LlamaChat;
}

/**
 * Builds the local provider from resolved settings: `settings.local.modelPath` (required),
 * `threads`, `contextSize` and `maxSequences` (optional), and `settings.timeoutMs` as the idle
 * timeout. Loads the model before returning; call close() to free it.
 */
export async function createLocalProvider(settings: ProviderSettings, hooks: LocalProviderHooks = {}): Promise<ChatProvider> {
  const opened = await openModel(settings.local, { debug: hooks.debug, importer: hooks.importer });
  const slots: Slot[] = [];
  let description = '';
  for (let i = 0; i < opened.sequences; i++) {
    // A wrapper per chat: some keep per-conversation state while rendering.
    const format = chooseChatFormat(opened.lib, opened.model);
    description = format.description;
    const sequence = opened.context.getSequence();
    slots.push({ sequence, chat: new opened.lib.LlamaChat({ contextSequence: sequence, chatWrapper: format.wrapper }) });
  }
  hooks.debug?.(`local model chat format: ${description}`);
  return new LocalProvider(settings, opened, slots, hooks.debug);
}

class LocalProvider implements ChatProvider {
  readonly info: ProviderInfo;
  private readonly pool: SlotPool<Slot>;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();
  /** This model's tokenizer on English prose: small vocabularies spend several tokens a word. */
  private perWord?: number;
  private closed?: Promise<void>;

  constructor(
    private readonly settings: ProviderSettings,
    private readonly opened: OpenedModel,
    private readonly slots: Slot[],
    private readonly debug?: (line: string) => void,
  ) {
    this.info = { provider: 'local', model: path.basename(opened.modelPath), local: true };
    this.pool = new SlotPool(slots);
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    if (this.closed) throw closedError(request.purpose);
    if (request.signal?.aborted) throw new InterruptedError();
    const slot = await this.pool.acquire(request.signal);
    const stop = new StopSignals(this.settings.timeoutMs, request.signal, this.closing.signal);
    // The sequence goes back to the pool only once llama.cpp has really stopped using it,
    // even when the caller has already been answered (abort, timeout).
    const generation = this.generate(slot, request, stop);
    const tracked = generation.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(tracked);
    void tracked.finally(() => {
      stop.dispose();
      this.running.delete(tracked);
      this.pool.release(slot);
    });
    try {
      return await Promise.race([generation, stop.rejection]);
    } catch (error) {
      throw this.explain(error, request, stop);
    }
  }

  private async generate(slot: Slot, request: ChatRequest, stop: StopSignals): Promise<ChatResult> {
    const { model, contextSize } = this.opened;
    const history = toChatHistory(request.messages);
    const prompt = slot.chat.chatWrapper.generateContextState({ chatHistory: history }).contextText;
    const inputTokens = prompt.tokenize(model.tokenizer).length;
    // LlamaChat keeps one cell free and, once a sequence is full, silently drops the start of
    // the conversation to make room. Replies are capped below that point so it never happens.
    const room = contextSize - inputTokens - 1;
    if (room < 1) {
      throw new ProviderError(
        'context-overflow',
        `${request.purpose}: the prompt is ${inputTokens} tokens but the local model's context window is ${contextSize} tokens`,
        {
          hint: `raise local.contextSize (this model was trained on ${model.trainContextSize}), or shorten the brief and its sources`,
        },
      );
    }
    // The same caps as a hosted provider: a small model that never stops on its own ends at a
    // limit derived from the word target ("reply too long"), long before the window fills.
    this.perWord ??= tokensPerWord(model.tokenize(SAMPLE_PROSE).length);
    const limits = replyLimits(request, this.perWord);
    const requested = limits.maxTokens === undefined ? undefined : Math.max(1, Math.floor(limits.maxTokens));
    const cappedByContext = requested === undefined || requested > room;
    const maxTokens = cappedByContext ? room : requested;
    if (requested !== undefined && cappedByContext) {
      this.debug?.(`${request.purpose}: reply capped at ${room} tokens to fit the ${contextSize}-token context`);
    }
    const grammar = request.json ? await this.grammarFor(request.json, request.purpose) : undefined;

    let outputTokens = 0;
    stop.arm();
    const response = await slot.chat.generateResponse(history, {
      signal: stop.signal,
      maxTokens,
      temperature: request.temperature ?? DEFAULT_TEMPERATURE,
      seed: this.settings.local?.seed,
      grammar,
      // Models trained on documents separated by BOS alone (llama2.c's TinyStories among them)
      // end a document by starting the next one: a generated BOS means the reply is over.
      // Not under a grammar, which alone decides when structured output is complete.
      customStopTriggers: grammar || model.tokens.bos === null ? undefined : [[model.tokens.bos]],
      contextShift: {
        strategy: () => {
          throw new ProviderError('context-overflow', `${request.purpose}: the conversation outgrew the ${contextSize}-token context`, {
            hint: 'raise local.contextSize, or lower --max-tokens',
          });
        },
      },
      onResponseChunk: (chunk) => {
        stop.arm();
        outputTokens += chunk.tokens.length;
        // Thinking segments count as output but are not part of the reply.
        if (chunk.type === undefined && chunk.text !== '') request.onDelta?.(chunk.text);
      },
    });
    if (response.metadata.stopReason === 'maxTokens' && cappedByContext) {
      // Not the caller's limit but the window's: raising --max-tokens would not help.
      throw new ProviderError(
        'context-overflow',
        `${request.purpose}: the prompt (${inputTokens} tokens) left room for only ${room} tokens of reply ` +
          `in the local model's ${contextSize}-token context window, and the reply needed more`,
        { hint: `raise local.contextSize (this model was trained on ${model.trainContextSize}), or shorten the brief and its sources` },
      );
    }
    const result: ChatResult = {
      text: response.response,
      finishReason: finishReasonOf(response.metadata.stopReason),
      usage: { inputTokens, outputTokens },
    };
    if (request.json) result.structuredMode = 'grammar';
    if (result.finishReason === 'length' && limits.fromTarget) result.tooLong = true; // llama.cpp stops exactly at the cap
    return result;
  }

  private grammarFor(spec: JsonSchemaSpec, purpose: string): Promise<LlamaGrammar> {
    const schema = spec.constrained ?? spec.schema;
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      // The schema comes from the caller as plain JSON; node-llama-cpp checks what it supports.
      grammar = this.opened.llama.createGrammarForJsonSchema(schema as never).catch((error: unknown) => {
        this.grammars.delete(key);
        throw new ProviderError(
          'structured-output-unsupported',
          `${purpose}: the JSON schema "${spec.name}" cannot be turned into a grammar: ${messageOf(error)}`,
          { cause: error },
        );
      });
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  private explain(error: unknown, request: ChatRequest, stop: StopSignals): Error {
    if (request.signal?.aborted) return new InterruptedError();
    if (stop.idleFired) {
      return new ProviderError(
        'timeout',
        `${request.purpose}: the local model produced no token for ${formatMs(this.settings.timeoutMs)}`,
        {
          hint: 'a long prompt on a slow CPU can take a while before the first token: raise --timeout, or use a smaller model',
        },
      );
    }
    if (this.closing.signal.aborted) return closedError(request.purpose);
    if (error instanceof DraftError) return error;
    return new ProviderError('server', `${request.purpose}: the local model failed: ${messageOf(error)}`, { cause: error });
  }

  close(): Promise<void> {
    this.closed ??= this.dispose();
    return this.closed;
  }

  private async dispose(): Promise<void> {
    this.pool.close();
    this.closing.abort();
    await Promise.all(this.running);
    // LlamaChat.dispose() leaves its sequence alive; a leaked sequence keeps the context's
    // slot taken, so each is disposed explicitly before the context and the model. The binding
    // itself is shared by the process (see shared-llama.ts).
    for (const slot of this.slots) {
      slot.chat.dispose();
      await slot.sequence.dispose();
    }
    await this.opened.context.dispose();
    await this.opened.model.dispose();
    this.opened.detachLog();
    this.debug?.(`local model ${this.info.model}: closed`);
  }
}

/**
 * Everything that can stop one generation: the caller's signal, the idle timer (reset on every
 * token) and the provider closing. `rejection` settles the moment one fires, so the caller is
 * answered promptly even if llama.cpp takes a moment to notice.
 */
class StopSignals {
  readonly signal: AbortSignal;
  readonly rejection: Promise<never>;
  idleFired = false;
  private readonly idle = new AbortController();
  private timer?: NodeJS.Timeout;
  private readonly cleanup: () => void;

  constructor(
    private readonly timeoutMs: number,
    callerSignal: AbortSignal | undefined,
    closingSignal: AbortSignal,
  ) {
    this.signal = AbortSignal.any([this.idle.signal, closingSignal, ...(callerSignal ? [callerSignal] : [])]);
    let onAbort = () => {};
    this.rejection = new Promise<never>((_, reject) => {
      onAbort = () => reject(new InterruptedError());
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener('abort', onAbort, { once: true });
    });
    this.rejection.catch(() => {}); // only observed through Promise.race
    this.cleanup = () => this.signal.removeEventListener('abort', onAbort);
  }

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.idleFired = true;
      this.idle.abort();
    }, this.timeoutMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.cleanup();
  }
}

/** Ordinary prose, to measure how many of this model's tokens a word takes. */
const SAMPLE_PROSE =
  'The market reacted quickly to the news. Investors sold shares of the largest chip makers, while analysts ' +
  'asked whether cheaper models would change how companies spend on computing. Some saw a threat; others saw ' +
  'an opportunity for smaller firms to compete on price and efficiency.';

function tokensPerWord(tokens: number): number {
  return tokens / (SAMPLE_PROSE.match(/\S+/g)?.length ?? 1);
}

function finishReasonOf(stopReason: string): FinishReason {
  if (stopReason === 'maxTokens') return 'length';
  if (stopReason === 'functionCalls') return 'other';
  return 'stop';
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))}s`;
}

function closedError(purpose: string): ProviderError {
  return new ProviderError('server', `${purpose}: the local model was closed`);
}
