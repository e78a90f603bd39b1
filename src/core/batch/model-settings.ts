import type { PriceTable } from '../pricing.js';
import type { ProviderSettings } from '../provider/types.js';
import type { PricingFor } from './estimate.js';
import type { BatchItem } from './validate-manifest.js';

/** Providers are keyed by the model a brief names, '' for the default. */
export const modelKey = (item: BatchItem) => item.model ?? '';

/**
 * Settings for the default model and for each model the manifest names; all resolved before spending.
 * `resolve` is given undefined for the default model.
 */
export async function settingsByModel(
  items: readonly BatchItem[],
  resolve: (model: string | undefined) => Promise<ProviderSettings>,
): Promise<Map<string, ProviderSettings>> {
  const map = new Map<string, ProviderSettings>();
  map.set('', await resolve(undefined));
  for (const model of new Set(items.flatMap((i) => (i.model ? [i.model] : [])))) {
    map.set(model, await resolve(model));
  }
  return map;
}

/** What pricing a draft made with these settings needs. */
export function pricingOf(settings: ProviderSettings, prices: PriceTable | undefined): PricingFor {
  return { model: settings.model, local: settings.provider === 'local', prices };
}
