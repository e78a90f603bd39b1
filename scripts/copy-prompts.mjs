// Built-in prompt templates and focus presets are data files, not TypeScript:
// tsc does not copy them, so the build does.
import { cpSync, rmSync } from 'node:fs';

rmSync(new URL('../dist/prompts', import.meta.url), { recursive: true, force: true });
cpSync(new URL('../src/prompts', import.meta.url), new URL('../dist/prompts', import.meta.url), {
  recursive: true,
  filter: (src) => !src.endsWith('.ts'),
});
