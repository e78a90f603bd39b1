import { splitBaseUrl } from './redact.js';
import type { ProviderInfo, ProviderSettings } from './types.js';

/** What an OpenAI-compatible provider says it is: the base URL without userinfo, as printed and as the cache keys on it. */
export function openAIProviderInfo(settings: ProviderSettings): ProviderInfo {
  return { provider: settings.provider, model: settings.model, baseURL: splitBaseUrl(settings.baseURL).url };
}
