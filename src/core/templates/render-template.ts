import { UsageError } from '../errors.js';
import { type DataFile, dataString } from './data-file-values.js';
import type { ChatMessage } from '../provider/types.js';

/**
 * A prompt template is a text file: optional front matter (description), then
 * `=== system ===` and `=== user ===` parts. Placeholders are `{{name}}`; `{{#name}}...{{/name}}`
 * keeps its text only when the value is non-empty, `{{^name}}...{{/name}}` only when it is empty.
 * Substitution is a single pass over the template: values are inserted verbatim and never scanned,
 * so a post containing Hugo shortcodes such as `{{< figure >}}` passes through untouched.
 */
export interface Template {
  name: string;
  path: string;
  description: string;
  system: string;
  user: string;
}

export type TemplateVars = Record<string, string | number | boolean | undefined | null>;

/**
 * A template from its file's front matter and body, however they were read: parsed now (template.ts) or
 * at build time for a built-in one (prebuilt-templates.ts). Kept free of the YAML parser for that reason.
 */
export function templateFromDataFile(name: string, path: string, { data, content: rest }: DataFile): Template {
  const description = dataString(data, 'description');
  const parts = rest.split(/^=== (system|user) ===\s*$/m);
  let system = '';
  let user = '';
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i] === 'system') system = parts[i + 1]!.trim();
    else user = parts[i + 1]!.trim();
  }
  if (!user) {
    throw new UsageError(`${path}: template "${name}" has no "=== user ===" part`, {
      hint: 'a template has an optional "=== system ===" part and a required "=== user ===" part',
    });
  }
  return { name, path, description, system, user };
}

const TOKEN = /\{\{([#^/]?)\s*([A-Za-z][\w-]*)\s*\}\}/g;

export function renderText(source: string, vars: TemplateVars, where: string): string {
  const out: string[] = [];
  // Stack of open sections; text is emitted only while every open section is "on".
  const open: { name: string; on: boolean }[] = [];
  const emitting = () => open.every((s) => s.on);
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    const [token, sigil, name] = match as unknown as [string, string, string];
    if (emitting()) out.push(source.slice(last, match.index));
    last = match.index! + token.length;
    if (!(name in vars)) {
      throw new UsageError(`${where}: unknown placeholder {{${sigil}${name}}}`, {
        hint: `known placeholders: ${Object.keys(vars).sort().join(', ')}`,
      });
    }
    const value = vars[name];
    const present = value !== undefined && value !== null && value !== '' && value !== false;
    if (sigil === '#' || sigil === '^') open.push({ name, on: sigil === '#' ? present : !present });
    else if (sigil === '/') {
      const top = open.pop();
      if (!top || top.name !== name) throw new UsageError(`${where}: {{/${name}}} closes nothing`, { hint: 'check the template sections' });
    } else if (emitting()) out.push(present ? String(value) : '');
  }
  if (open.length > 0) throw new UsageError(`${where}: {{#${open[0]!.name}}} is never closed`, { hint: 'add the matching {{/name}}' });
  if (emitting()) out.push(source.slice(last));
  return out
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function renderTemplate(template: Template, vars: TemplateVars): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = template.system ? renderText(template.system, vars, template.path) : '';
  if (system) messages.push({ role: 'system', content: system });
  messages.push({ role: 'user', content: renderText(template.user, vars, template.path) });
  return messages;
}
