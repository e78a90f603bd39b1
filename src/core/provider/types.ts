import type { ProviderQuirks } from '../presets.js';

/**
 * The provider seam. Everything that talks to a model (the OpenAI-compatible HTTP client,
 * an in-process local engine, the response cache, the concurrency limiter) implements
 * ChatProvider, so the drafting core never knows which one it has.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A JSON Schema the reply must follow. Providers use the strongest mechanism they have. */
export interface JsonSchemaSpec {
  name: string;
  /** Kept to the subset every hosted API accepts in strict mode (no length or count limits). */
  schema: Record<string, unknown>;
  /**
   * The same shape with the limits the caller will validate anyway (minItems, minLength...),
   * for engines that enforce every keyword by grammar, so their output passes first time.
   */
  constrained?: Record<string, unknown>;
  /**
   * Also offered as a function to call where the server takes tools (OpenAI-compatible function
   * calling): the reply is the call's arguments. Servers that refuse tools fall back to json_schema.
   */
  tool?: { description: string };
}

export interface ChatRequest {
  /** Short label for progress, logs and --dry-run, e.g. "outline" or "section 3: The Market Fallout". */
  purpose: string;
  messages: ChatMessage[];
  json?: JsonSchemaSpec;
  maxTokens?: number;
  /**
   * How long the reply should be, in words. Providers derive a generous reply cap from it (see
   * reply-limits.ts) so a runaway model is stopped instead of written into the post.
   */
  targetWords?: number;
  temperature?: number;
  signal?: AbortSignal;
  /** Called with each streamed piece of text (reasoning content excluded). */
  onDelta?: (text: string) => void;
  /**
   * Start no stronger than this structured mode (e.g. 'prompt' after json_object replies failed
   * validation). Not remembered for later calls.
   */
  structuredFloor?: StructuredMode;
  /**
   * Set by a concurrency limiter: runs `wait` (a retry's back-off) with the caller's slot given
   * up, so a request sitting out a retry-after does not hold up the others.
   */
  whileWaiting?: <T>(wait: () => Promise<T>) => Promise<T>;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'other';

/** 'tool': the schema offered as the one function to call (tools + tool_choice), its arguments the reply. */
export type StructuredMode = 'tool' | 'json_schema' | 'json_object' | 'prompt' | 'grammar';

export interface ChatResult {
  /** The reply with any <think> blocks already removed. */
  text: string;
  finishReason: FinishReason;
  usage: Usage;
  /** True when served from the response cache (no request sent). */
  cached?: boolean;
  /** How a structured reply was obtained, when `json` was requested. */
  structuredMode?: StructuredMode;
  /** The reply was stopped at the cap derived from `targetWords`, or at the byte cap: far too long. */
  tooLong?: boolean;
  /** A configured secret (API key, base-URL password) appeared in the reply and was replaced. */
  secretsScrubbed?: boolean;
  /** Usage was estimated with the tokenizer because the server sent none. */
  usageEstimated?: boolean;
  /** The model that answered, when one provider fronts a model per stage (staged-provider.ts). */
  servedBy?: ProviderInfo;
}

export interface ProviderInfo {
  /** Preset name: openai, deepseek, ollama, lmstudio, openrouter, custom, local, scripted. */
  provider: string;
  model: string;
  baseURL?: string;
  /** Runs in-process; cost is zero and reported as local. */
  local?: boolean;
}

export interface ChatProvider {
  /** `baseURL` here never holds userinfo: it is what may be printed and what the cache keys on. */
  readonly info: ProviderInfo;
  chat(request: ChatRequest): Promise<ChatResult>;
  close?(): Promise<void>;
}

/** Everything needed to construct a provider, after flags, env, config file and defaults are merged. */
export interface ProviderSettings {
  /** Preset name (openai, deepseek, ollama, lmstudio, openrouter, custom, local). */
  provider: string;
  baseURL: string;
  model: string;
  /** The resolved secret. Never logged, cached, written or put in an error message. */
  apiKey?: string;
  /** Name of the environment variable the key was read from (or would be), for error messages. */
  apiKeyEnv?: string;
  /** Idle timeout: no response headers, or no streamed token, for this long aborts the attempt (then retry). */
  timeoutMs: number;
  /** Retries after the first attempt, for retryable failures. */
  maxRetries: number;
  /** Upper bound on any single wait, including a server's retry-after. */
  retryAfterCapMs: number;
  /** Base backoff delay; attempt n waits about base * 2^n with jitter, capped. */
  backoffBaseMs: number;
  local?: LocalEngineSettings;
  /** What the preset's documentation says the server refuses or ignores (see presets.ts). */
  quirks?: ProviderQuirks;
  /** Azure OpenAI: `baseURL` is the endpoint and `model` the deployment. */
  azure?: AzureSettings;
  /** Another provider or model for some stages (config `models`), each resolved like the run's own. */
  stages?: Partial<Record<import('./stages.js').Stage, ProviderSettings>>;
}

export interface AzureSettings {
  endpoint: string;
  deployment: string;
  apiVersion: string;
}

export interface LocalEngineSettings {
  modelPath: string;
  threads?: number;
  contextSize?: number;
  /** How many sequences one loaded model serves at once. */
  maxSequences?: number;
  /** Fixes sampling, so the same prompt gives the same reply (reproducible runs and tests). */
  seed?: number;
}
