import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../src/core/templates/load-templates.js';
import { parseTemplate, renderTemplate, renderText } from '../src/core/templates/template.js';

describe('template rendering', () => {
  it('substitutes once: values containing template syntax or Hugo shortcodes pass through untouched', () => {
    const out = renderText(
      'Section:\n{{text}}\nEnd {{name}}',
      { text: '{{< figure src="x.png" >}} and {{name}} and {{% note %}}', name: 'N' },
      't',
    );
    expect(out).toBe('Section:\n{{< figure src="x.png" >}} and {{name}} and {{% note %}}\nEnd N');
  });
  it('keeps {{#x}} blocks only for non-empty values and {{^x}} only for empty ones', () => {
    const t = '{{#a}}A={{a}} {{/a}}{{^a}}no a {{/a}}{{#b}}B{{/b}}';
    expect(renderText(t, { a: 'yes', b: '' }, 't')).toBe('A=yes');
    expect(renderText(t, { a: undefined, b: 'x' }, 't')).toBe('no a B');
  });
  it('an unknown placeholder or an unclosed block is an error naming the template file', () => {
    expect(() => renderText('{{nope}}', {}, '/x/outline.md')).toThrow(/\/x\/outline\.md: unknown placeholder \{\{nope\}\}/);
    expect(() => renderText('{{#a}}x', { a: 'v' }, 'f.md')).toThrow(/never closed/);
  });
  it('splits system and user parts', () => {
    const t = parseTemplate('x', 'x.md', '---\ndescription: Hi\n---\n=== system ===\nS {{a}}\n=== user ===\nU {{a}}\n');
    expect(t.description).toBe('Hi');
    expect(renderTemplate(t, { a: 1 })).toEqual([
      { role: 'system', content: 'S 1' },
      { role: 'user', content: 'U 1' },
    ]);
  });
});

describe('template overrides', () => {
  it('a project file in .draft/prompts overrides the built-in template, without touching code', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'tpl-'));
    const env = { HOME: cwd, XDG_CONFIG_HOME: join(cwd, 'cfg') };
    const builtIn = await loadTemplate('outline', { cwd, env });
    expect(builtIn?.origin).toBe('built-in');
    expect(builtIn?.user).toContain('# Outline request');
    await mkdir(join(cwd, 'cfg', 'draft', 'prompts'), { recursive: true });
    await writeFile(join(cwd, 'cfg', 'draft', 'prompts', 'outline.md'), '=== user ===\n# Outline request\nuser-level {{topic}}');
    expect((await loadTemplate('outline', { cwd, env }))?.origin).toBe('user');
    await mkdir(join(cwd, '.draft', 'prompts'), { recursive: true });
    await writeFile(join(cwd, '.draft', 'prompts', 'outline.md'), '=== user ===\n# Outline request\nproject-level {{topic}}');
    const project = await loadTemplate('outline', { cwd, env });
    expect(project?.origin).toBe('project');
    expect(renderTemplate(project!, { topic: 'T' })[0]!.content).toBe('# Outline request\nproject-level T');
  });
});
