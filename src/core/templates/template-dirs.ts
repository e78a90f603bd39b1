import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where templates come from, highest precedence first. */
export interface TemplateSource {
  origin: 'project' | 'user' | 'built-in';
  dir: string;
}

let builtIn: string | undefined;

/**
 * Built-in templates sit in src/prompts (copied to dist/prompts by the build). This module runs from
 * src/core/templates/, from tsc's dist/core/templates/, or from the bundle's dist/cli.cjs or dist/chunks/,
 * so the nearest `prompts/` folder holding the outline template, walking up, is the one.
 */
export function builtInPromptsDir(): string {
  builtIn ??= findBuiltInPromptsDir();
  return builtIn;
}

function findBuiltInPromptsDir(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'prompts', 'outline.md'))) return join(dir, 'prompts') + sep;
    const up = dirname(dir);
    if (up === dir) return fileURLToPath(new URL('../../prompts/', import.meta.url));
    dir = up;
  }
}

export function userConfigDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'draft');
}

/** `sub` is '' for prompt templates, 'focus' for focus presets. */
export function templateSources(cwd: string, env: NodeJS.ProcessEnv, sub: '' | 'focus'): TemplateSource[] {
  const projectSub = sub === '' ? 'prompts' : sub;
  return [
    { origin: 'project', dir: resolve(cwd, '.draft', projectSub) },
    { origin: 'user', dir: join(userConfigDir(env), projectSub) },
    { origin: 'built-in', dir: join(builtInPromptsDir(), sub) },
  ];
}
