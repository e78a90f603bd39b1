/**
 * Known OpenAI-compatible endpoints. Any other server works through --base-url.
 *
 * Quirks are only what a provider's own documentation says about the fields this tool sends
 * (model, messages, stream, stream_options, max_tokens, response_format; never seed, which no
 * request carries). What a provider does not document is left to the run-time fallbacks in
 * openai-provider.ts: a refused json_schema steps down to json_object then a prompt, a refused
 * stream_options is dropped, a refused max_tokens / max_completion_tokens is renamed.
 */
export interface ProviderQuirks {
  /**
   * The structured mode to start from. 'prompt' where response_format is silently ignored: the
   * server would never refuse json_schema, so the fallback would never learn to spell the schema out.
   */
  structuredStart?: 'json_object' | 'prompt';
  /** false where stream_options is refused by the provider's documented request schema. */
  streamOptions?: false;
  /** The reply cap's field name, where the provider documents one over the other. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Anthropic's /v1/models takes the key as x-api-key (with anthropic-version), not as a bearer token. */
  modelsAuth?: 'x-api-key';
}

export interface ProviderPreset {
  name: string;
  baseURL: string;
  /** Environment variable holding the key; undefined for servers that need none. */
  keyEnv?: string;
  keyRequired: boolean;
  defaultModel: string;
  quirks?: ProviderQuirks;
  /** One line for `draft providers`. */
  note?: string;
}

export const PRESETS: Record<string, ProviderPreset> = {
  openai: {
    name: 'openai',
    baseURL: 'https://api.openai.com/v1',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: true,
    defaultModel: 'gpt-4o-mini',
    // platform.openai.com/docs/api-reference/chat/create: max_tokens "is now deprecated in favor of
    // max_completion_tokens, and is not compatible with o-series models".
    quirks: { maxTokensField: 'max_completion_tokens' },
  },
  azure: {
    name: 'azure',
    // The endpoint: --base-url, AZURE_OPENAI_ENDPOINT or the config's azure.endpoint.
    baseURL: '',
    keyEnv: 'AZURE_OPENAI_API_KEY',
    keyRequired: true,
    // Azure names deployments, not models: --deployment (or --model) is required.
    defaultModel: '',
    // learn.microsoft.com/azure/ai-foundry/openai/how-to/reasoning: reasoning deployments take
    // max_completion_tokens only ("max_tokens ... is not supported"); older api-versions refuse
    // stream_options and max_completion_tokens, which the run-time fallbacks handle.
    quirks: { maxTokensField: 'max_completion_tokens' },
    note: 'Azure OpenAI: --base-url is the endpoint, --deployment the deployment, --api-version the API version',
  },
  anthropic: {
    name: 'anthropic',
    baseURL: 'https://api.anthropic.com/v1',
    keyEnv: 'ANTHROPIC_API_KEY',
    keyRequired: true,
    defaultModel: 'claude-haiku-4-5',
    // docs.anthropic.com/en/api/openai-sdk: response_format "Ignored" (and seed ignored); max_tokens,
    // max_completion_tokens and stream_options "Fully supported". An ignored response_format is never
    // refused, so the schema goes in the prompt from the start.
    quirks: { structuredStart: 'prompt', modelsAuth: 'x-api-key' },
    note: 'response_format is ignored by Anthropic, so the schema is spelled out in the prompt',
  },
  gemini: {
    name: 'gemini',
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai',
    keyEnv: 'GEMINI_API_KEY',
    keyRequired: true,
    // ai.google.dev/gemini-api/docs/openai: structured output through response_format is documented;
    // nothing this tool sends is documented as refused.
    defaultModel: 'gemini-2.5-flash-lite',
  },
  groq: {
    name: 'groq',
    baseURL: 'https://api.groq.com/openai/v1',
    keyEnv: 'GROQ_API_KEY',
    keyRequired: true,
    defaultModel: 'llama-3.1-8b-instant',
    // console.groq.com/docs/api-reference: max_tokens is deprecated in favour of max_completion_tokens
    // (groq-python#175). console.groq.com/docs/openai: logprobs, logit_bias, top_logprobs,
    // messages[].name and n>1 are refused with a 400 (none is sent). json_schema works on some
    // models only ("This model does not support response format json_schema"): the fallback steps down.
    quirks: { maxTokensField: 'max_completion_tokens' },
  },
  together: {
    name: 'together',
    baseURL: 'https://api.together.xyz/v1',
    keyEnv: 'TOGETHER_API_KEY',
    keyRequired: true,
    // docs.together.ai/docs/inference/openai-compatibility: a drop-in OpenAI endpoint; json_schema
    // only on the models listed for structured outputs, otherwise the fallback steps down.
    defaultModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
  },
  mistral: {
    name: 'mistral',
    baseURL: 'https://api.mistral.ai/v1',
    keyEnv: 'MISTRAL_API_KEY',
    keyRequired: true,
    defaultModel: 'mistral-small-latest',
    // docs.mistral.ai/api (ChatCompletionRequest): no stream_options and no max_completion_tokens
    // (max_tokens; seed is random_seed), and since Mistral's strictness change unknown fields are a
    // 422 "Extra inputs are not permitted" (mistralai/platform-docs-public#7, eca#231).
    quirks: { streamOptions: false, maxTokensField: 'max_tokens' },
  },
  deepseek: {
    name: 'deepseek',
    baseURL: 'https://api.deepseek.com/v1',
    keyEnv: 'DEEPSEEK_API_KEY',
    keyRequired: true,
    defaultModel: 'deepseek-chat',
  },
  openrouter: {
    name: 'openrouter',
    baseURL: 'https://openrouter.ai/api/v1',
    keyEnv: 'OPENROUTER_API_KEY',
    keyRequired: true,
    defaultModel: 'openai/gpt-4o-mini',
  },
  ollama: {
    name: 'ollama',
    baseURL: 'http://127.0.0.1:11434/v1',
    keyRequired: false,
    defaultModel: 'llama3.1',
  },
  lmstudio: {
    name: 'lmstudio',
    baseURL: 'http://127.0.0.1:1234/v1',
    keyRequired: false,
    defaultModel: 'local-model',
  },
  vllm: {
    name: 'vllm',
    baseURL: 'http://127.0.0.1:8000/v1',
    keyRequired: false,
    // vLLM answers only to the name it serves (its quickstart serves this one); --model names yours,
    // and `draft models list --provider vllm` shows it. docs.vllm.ai OpenAI-compatible server: the
    // OpenAI parameters are supported, response_format json_schema through guided decoding.
    defaultModel: 'Qwen/Qwen2.5-1.5B-Instruct',
    note: 'pass --model with the name vLLM serves (`draft models list --provider vllm`)',
  },
  llamacpp: {
    name: 'llamacpp',
    baseURL: 'http://127.0.0.1:8080/v1',
    keyRequired: false,
    // llama-server serves the one model it loaded, whatever the name. Its README documents
    // "Schema-constrained JSON response format" (response_format json_schema).
    defaultModel: 'local-model',
  },
  custom: {
    name: 'custom',
    baseURL: '',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: false,
    defaultModel: 'gpt-4o-mini',
  },
};

export const PROVIDER_NAMES = [...Object.keys(PRESETS), 'local'] as const;

/**
 * With no --provider, DRAFT_PROVIDER or config `provider`: the first preset whose key variable is
 * set is used, in this order (after --base-url / OPENAI_BASE_URL and --model-path; before a model
 * found on disk). Azure needs its endpoint as well as its key.
 */
export const KEY_DETECTION_ORDER = [
  'openai',
  'deepseek',
  'openrouter',
  'azure',
  'anthropic',
  'gemini',
  'groq',
  'together',
  'mistral',
] as const;

/** The api-version sent to Azure when none is configured: the latest GA data-plane version. */
