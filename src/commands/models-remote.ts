import * as z from 'zod';
import { parseOrThrow } from '../core/validation.js';
import { redactUrl } from '../core/provider/redact.js';
import type { CommandContext } from './context.js';
import { ProviderOptionsSchema, resolveSettings } from './shared/provider-options.js';
import { alignColumns } from '../core/text-table.js';

const RemoteListOptionsSchema = ProviderOptionsSchema.extend({ json: z.boolean().default(false) });

/**
 * `draft models list --provider NAME` (or `--base-url URL`): what the server offers, from its
 * /models, with the model this configuration would use marked.
 */
export async function runModelsListRemote(rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(RemoteListOptionsSchema, rawOptions, 'options', 'see `draft models list --help`');
  const { listRemoteModels, azureHasNoModelList } = await import('../core/provider/remote-models.js');
  // Before the settings: Azure's would first insist on a deployment, which this cannot list.
  if (options.provider === 'azure') throw azureHasNoModelList();
  const { settings } = await resolveSettings(options, ctx);
  const models = await listRemoteModels(settings, ctx.signal);
  const baseURL = redactUrl(settings.baseURL);
  const offered = models.some((m) => m.id === settings.model);

  if (options.json) {
    ctx.ui.json({
      provider: settings.provider,
      baseURL,
      default: settings.model,
      models: models.map((m) => ({ id: m.id, ownedBy: m.ownedBy ?? null, default: m.id === settings.model })),
    });
    return;
  }
  if (models.length === 0) {
    ctx.ui.info(`${baseURL} lists no models`);
    return;
  }
  ctx.ui.info(`Models at ${baseURL} (${settings.provider})${offered ? ' (* = the model this configuration uses)' : ''}`);
  const rows = [
    ['', 'MODEL', 'OWNED BY'],
    ...models.map((m) => [m.id === settings.model ? '*' : '', printable(m.id), printable(m.ownedBy ?? '-')]),
  ];
  ctx.ui.out(alignColumns(rows).join('\n'));
  if (!offered) ctx.ui.warn(`the configured model "${printable(settings.model)}" is not in this list; pass --model with one of these`);
}

/** A server's strings reach a terminal: no escape sequences or line breaks. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
