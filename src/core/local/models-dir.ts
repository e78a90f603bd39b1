import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startsWithGgufMagic } from './gguf-file.js';

/** `~/x` as written in an env var or config file (shells only expand an unquoted ~). */
export function expandHome(file: string, env: NodeJS.ProcessEnv = process.env): string {
  if (file === '~') return homeDir(env);
  if (file.startsWith('~/')) return path.join(homeDir(env), file.slice(2));
  return file;
}

function homeDir(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}

/** DRAFT_MODELS_DIR, else $XDG_CACHE_HOME/draft/models, else ~/.cache/draft/models. */
export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DRAFT_MODELS_DIR) return path.resolve(expandHome(env.DRAFT_MODELS_DIR, env));
  const cache = env.XDG_CACHE_HOME ? expandHome(env.XDG_CACHE_HOME, env) : path.join(homeDir(env), '.cache');
  return path.join(cache, 'draft', 'models');
}

export function isGgufName(name: string): boolean {
  return name.toLowerCase().endsWith('.gguf');
}

export interface GgufFileEntry {
  path: string;
  fileName: string;
  sizeBytes: number;
}

/** GGUF files directly in `dir`, by name. A missing folder is simply empty. */
export async function listGgufFiles(dir: string): Promise<GgufFileEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: GgufFileEntry[] = [];
  for (const fileName of names.filter(isGgufName).sort()) {
    const file = path.join(dir, fileName);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) entries.push({ path: file, fileName, sizeBytes: info.size });
  }
  return entries;
}

/**
 * The model the local engine uses when none is named: DRAFT_LOCAL_MODEL, else the first GGUF
 * file (by name) in the models folder that really starts like one. Synchronous because provider
 * resolution is.
 */
export function findDefaultLocalModel(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DRAFT_LOCAL_MODEL) return expandHome(env.DRAFT_LOCAL_MODEL, env);
  const dir = modelsDir(env);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  for (const name of names.filter(isGgufName).sort()) {
    const file = path.join(dir, name);
    if (looksLikeGguf(file)) return file;
  }
  return undefined;
}

function looksLikeGguf(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      return readSync(fd, head, 0, 4, 0) === 4 && startsWithGgufMagic(head);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // vanished or unreadable: try the next one
  }
}
