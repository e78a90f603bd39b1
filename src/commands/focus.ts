import * as z from 'zod';
import { listFocusPresets } from '../core/revise/focus-presets.js';
import { parseOrThrow } from '../core/validation.js';
import type { CommandContext } from './context.js';

const FocusListOptionsSchema = z.object({ json: z.boolean().default(false) });

export async function runFocusList(rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(FocusListOptionsSchema, rawOptions, 'options', 'see `draft focus list --help`');
  const presets = await listFocusPresets(ctx);
  if (options.json) {
    ctx.ui.json(presets.map(({ name, description, origin, path }) => ({ name, description, origin, path })));
    return;
  }
  const width = Math.max(...presets.map((p) => p.name.length), 4);
  ctx.ui.out(
    [
      ...presets.map((p) => `${p.name.padEnd(width)}  ${p.description}  ${ctx.ui.paint.dim(`(${p.origin})`)}`),
      '',
      'Use one with `draft revise FILE --focus NAME`. Add or override a preset with .draft/focus/NAME.md',
      '(front matter `description:`, then the instruction for the model).',
    ].join('\n'),
  );
}
