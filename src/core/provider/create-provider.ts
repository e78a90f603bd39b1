import type { ChatProvider, ProviderSettings } from './types.js';
import type { ProviderHooks } from './openai-provider.js';

/** The single place that picks an engine; each is imported only when used. */
export async function createProvider(settings: ProviderSettings, hooks: ProviderHooks = {}): Promise<ChatProvider> {
  if (settings.provider === 'local') {
    const { createLocalProvider } = await import('./local-provider.js');
    return createLocalProvider(settings, { debug: hooks.debug });
  }
  const { createOpenAIProvider } = await import('./openai-provider.js');
  return createOpenAIProvider(settings, hooks);
}
