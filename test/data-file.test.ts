import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { parseTemplate } from '../src/core/templates/template.js';
import { parseFocusPreset } from '../src/core/revise/focus-presets.js';

describe('data files (templates, focus presets) and their front matter', () => {
  it('reads a quoted description with a colon, CRLF and a BOM', () => {
    const text = '\uFEFF---\r\ndescription: "Plan a post: title and sections"\r\n---\r\n=== user ===\r\nWrite {{topic}}.\r\n';
    const template = parseTemplate('outline', '/p/outline.md', text);
    expect(template.description).toBe('Plan a post: title and sections');
    expect(template.user).toBe('Write {{topic}}.');
  });

  it('a focus preset keeps its instruction and falls back to its first line for a description', () => {
    const preset = parseFocusPreset('calm', '/p/calm.md', 'Keep the tone calm.\nNo hype.\n', 'project');
    expect(preset).toMatchObject({ description: 'Keep the tone calm.', text: 'Keep the tone calm.\nNo hype.' });
  });

  it('malformed front matter is a usage error naming the file, not a silent empty description', () => {
    const text = '---\ndescription: [unclosed\n---\n=== user ===\nx\n';
    let error: unknown;
    try {
      parseTemplate('section', '.draft/prompts/section.md', text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^\.draft\/prompts\/section\.md: malformed front matter/);
  });
});
