import type { PriceTable } from '../pricing.js';
import type { ProviderSettings } from '../provider/types.js';
import type { PricingFor } from './estimate.js';
import type { BatchItem } from './validate-manifest.js';

/** Providers are keyed by the model a brief names (and its own models per stage), '' for the default. */
export const modelKey = (item: BatchItem) => `${item.model ?? ''}${item.models ? `|${JSON.stringify(item.models)}` : ''}`;

/**
 * Settings for the default model and for each model the manifest names; all resolved before spending.
 * `resolve` is given undefined for the default model.
 */
export async function settingsByModel(
  items: readonly BatchItem[],
  resolve: (model: string | undefined, models?: BatchItem['models']) => Promise<ProviderSettings>,
): Promise<Map<string, ProviderSettings>> {
  const map = new Map<string, ProviderSettings>();
  map.set('', await resolve(undefined));
  for (const item of items) {
    const key = modelKey(item);
    if (!map.has(key)) map.set(key, await resolve(item.model, item.models));
  }
  return map;
}

/** What pricing a draft made with these settings needs. */
export function pricingOf(settings: ProviderSettings, prices: PriceTable | undefined): PricingFor {
  return { model: settings.model, local: settings.provider === 'local', prices };
}
