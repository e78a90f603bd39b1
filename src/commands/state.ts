import { relative, resolve } from 'node:path';
import * as z from 'zod';
import { loadPost } from '../core/revise/post.js';
import { applyStateMove, planStateMove } from '../core/state-store-move.js';
import { STATE_MODES } from '../core/state-store.js';
import { parseOrThrow } from '../core/validation.js';
import type { CommandContext } from './context.js';

const StateMoveOptionsSchema = z.object({
  to: z.enum(STATE_MODES, { message: `must be ${STATE_MODES.join(' or ')}` }),
  json: z.boolean().default(false),
});

/** `draft state move FILE --to sidecar|front-matter`. */
export async function runStateMove(file: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(StateMoveOptionsSchema, rawOptions, 'options', 'see `draft state move --help`');
  const post = await loadPost(resolve(ctx.cwd, file), file);
  const plan = planStateMove(post, options.to);
  const sidecar = relative(ctx.cwd, post.place!.sidecar);
  if (!plan) {
    ctx.ui.info(`${file}: the state is already in ${options.to === 'sidecar' ? sidecar : 'the front matter'}; nothing written.`);
    if (options.json) ctx.ui.json({ file, state: options.to, written: false });
    return;
  }
  const entry = await applyStateMove(plan, { signal: ctx.signal, now: new Date() });
  ctx.ui.success(
    `${file}: state moved to ${options.to === 'sidecar' ? sidecar : 'the front matter'} ` +
      `(history #${entry.id}; \`draft undo ${file}\` moves it back)`,
  );
  if (options.json) ctx.ui.json({ file, state: options.to, sidecar: post.place!.sidecar, written: true, history: entry.id });
}
