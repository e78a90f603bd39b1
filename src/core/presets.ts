/** Known OpenAI-compatible endpoints. Any other server works through --base-url. */
export interface ProviderPreset {
  name: string;
  baseURL: string;
  /** Environment variable holding the key; undefined for servers that need none. */
  keyEnv?: string;
  keyRequired: boolean;
  defaultModel: string;
}

export const PRESETS: Record<string, ProviderPreset> = {
  openai: {
    name: 'openai',
    baseURL: 'https://api.openai.com/v1',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: true,
    defaultModel: 'gpt-4o-mini',
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
  custom: {
    name: 'custom',
    baseURL: '',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: false,
    defaultModel: 'gpt-4o-mini',
  },
};

export const PROVIDER_NAMES = [...Object.keys(PRESETS), 'local'] as const;
