/**
 * Defaults are stated once (src/core/defaults.ts, re-exported by config.ts); --help quotes them
 * rather than repeating the numbers.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerBatch } from '../src/cli/batch-command.js';
import { registerNew } from '../src/cli/new-command.js';
import { registerRevise } from '../src/cli/revise-command.js';
import * as config from '../src/core/config.js';

function help(register: (program: Command, context: never) => void, name: string): string {
  const program = new Command();
  register(program, (() => Promise.reject(new Error('not run'))) as never);
  return program.commands
    .find((c) => c.name() === name)!
    .helpInformation({ error: false })
    .replace(/\s+/g, ' ');
}

describe('--help states the defaults config.ts applies', () => {
  it('draft new', () => {
    const text = help(registerNew, 'new');
    expect(text).toContain(`target length in words (default ${config.DEFAULT_WORDS})`);
    expect(text).toContain(`(default ${config.DEFAULT_SECTIONS})`);
    expect(text).toContain(`(default ${config.DEFAULT_CONCURRENCY}, at most ${config.MAX_CONCURRENCY})`);
    expect(text).toContain(`(default ${config.DEFAULT_FILE_NAME_PATTERN})`);
    expect(text).toContain(`(default “${config.DEFAULT_NOTES_HEADING}”)`);
    expect(text).toContain(`(default ${config.DEFAULT_TIMEOUT_SECONDS}, at most ${config.MAX_TIMEOUT_SECONDS})`);
    expect(text).toContain(`(default ${config.DEFAULT_RETRIES})`);
    expect(text).toContain(`or ${config.DEFAULT_AZURE_API_VERSION})`);
  });

  it('draft revise and draft batch', () => {
    expect(help(registerRevise, 'revise')).toContain(`how many titles --title proposes (default ${config.DEFAULT_TITLE_COUNT})`);
    expect(help(registerBatch, 'batch')).toContain(`(default: ${config.DEFAULT_OUT_DIR});`);
  });

  it('no help text spells out a default the config module owns', async () => {
    const dir = join(import.meta.dirname, '../src/cli');
    const owned = [
      config.DEFAULT_WORDS,
      config.DEFAULT_SECTIONS,
      config.DEFAULT_CONCURRENCY,
      config.DEFAULT_TITLE_COUNT,
      config.DEFAULT_TIMEOUT_SECONDS,
      config.DEFAULT_RETRIES,
    ];
    const hardCoded: string[] = [];
    for (const file of await readdir(dir)) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const n of owned) if (new RegExp(`\\(default:? ${n}\\b`).test(text)) hardCoded.push(`${file}: (default ${n}`);
      for (const s of [config.DEFAULT_FILE_NAME_PATTERN, config.DEFAULT_NOTES_HEADING, config.DEFAULT_AZURE_API_VERSION])
        if (text.includes(s)) hardCoded.push(`${file}: ${s}`);
    }
    expect(hardCoded).toEqual([]);
  });
});
