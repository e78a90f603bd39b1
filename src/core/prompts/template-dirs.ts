import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where templates come from, highest precedence first. */
export interface TemplateSource {
  origin: 'project' | 'user' | 'built-in';
  dir: string;
}

/** Built-in templates sit in src/prompts (copied to dist/prompts by the build). */
export function builtInPromptsDir(): string {
  return fileURLToPath(new URL('../../prompts/', import.meta.url));
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
