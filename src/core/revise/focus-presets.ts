import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { dataString, readDataFile } from '../templates/data-file.js';
import { collectTemplateFiles } from '../templates/load-templates.js';
import type { TemplateSource } from '../templates/template-dirs.js';

/**
 * A focus preset is data: a Markdown file with a `description:` line in its front matter and the
 * instruction text as its body. Project (`.draft/focus/`), then user (`$XDG_CONFIG_HOME/draft/focus/`),
 * then built-in (`src/prompts/focus/`); the first file with a name wins, so users override by name.
 */
export interface FocusPreset {
  name: string;
  description: string;
  /** The instruction given to the model. */
  text: string;
  origin: TemplateSource['origin'];
  path: string;
}

// Names become file names: nothing that could climb out of the presets folder.
const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

export function parseFocusPreset(name: string, path: string, source: string, origin: FocusPreset['origin']): FocusPreset {
  const { data, content: rest } = readDataFile(path, source);
  const description = dataString(data, 'description');
  // A preset written like a prompt template (with `=== user ===`) is accepted too: its user part is the text.
  const userPart = /^=== user ===\s*$/m.exec(rest);
  const text = (userPart ? rest.slice(userPart.index + userPart[0].length) : rest).trim();
  if (text === '') {
    throw new UsageError(`${path}: focus preset "${name}" has no instruction text`, {
      hint: 'Write the instruction for the model below the front matter.',
    });
  }
  return { name, description: description || firstLine(text), text, origin, path };
}

export async function listFocusPresets(options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<FocusPreset[]> {
  return collectTemplateFiles(
    { ...options, kind: 'focus' },
    async (name, path, origin) => {
      const text = await readPreset(path);
      return text === undefined ? undefined : parseFocusPreset(name, path, text, origin);
    },
    (name) => NAME.test(name),
  );
}

/** The preset called `name`, or a usage error listing the known ones. */
export async function requireFocusPreset(name: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<FocusPreset> {
  const presets = await listFocusPresets(options);
  const wanted = name.trim().toLowerCase();
  const preset = presets.find((p) => p.name.toLowerCase() === wanted);
  if (preset) return preset;
  const known = presets.map((p) => p.name).join(', ') || '(none found)';
  throw new UsageError(`unknown focus "${name}"; known focus presets: ${known}`, {
    hint: 'See `draft focus list`, or add your own as .draft/focus/<name>.md (front matter `description:`, then the instruction).',
  });
}

async function readPreset(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return undefined;
    throw new UsageError(`${path}: cannot read focus preset (${code})`, { hint: 'Check its permissions.' });
  }
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').slice(0, 100);
}
