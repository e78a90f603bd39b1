import { describe, expect, it } from 'vitest';
import { placeNewSection } from '../src/core/revise/add-section.js';
import { postFromText } from '../src/core/revise/post.js';

describe('--add-section --after a nested heading', () => {
  it('goes after the top-level part that holds it, never between its ### headings', () => {
    const text = 'Lead.\n\n## A\n\na\n\n### A1\n\none\n\n### A2\n\ntwo\n\n## B\n\nb\n';
    const placement = placeNewSection(postFromText('/tmp/post.md', 'post.md', text), 'New', 'a1');
    expect(placement.offset).toBe(text.indexOf('## B'));
    expect(placement.after?.heading).toBe('A');
    expect(placement.before?.heading).toBe('B');
  });
});
