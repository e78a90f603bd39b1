import { resolve } from 'node:path';
import { clearResponseCache, defaultCacheDir } from '../core/provider/response-cache.js';
import type { CommandContext } from './context.js';

function cacheDirFor(options: { cacheDir?: string }, ctx: CommandContext): string {
  return resolve(ctx.cwd, options.cacheDir ?? defaultCacheDir(ctx.env));
}

export async function runCacheClear(options: { cacheDir?: string }, ctx: CommandContext): Promise<void> {
  const dir = cacheDirFor(options, ctx);
  const { entries, bytes } = await clearResponseCache(dir);
  ctx.ui.info(`Cleared ${entries} cached repl${entries === 1 ? 'y' : 'ies'} (${(bytes / 1024).toFixed(1)} KiB) from ${dir}`);
}

export async function runCachePath(options: { cacheDir?: string }, ctx: CommandContext): Promise<void> {
  ctx.ui.out(cacheDirFor(options, ctx));
}
