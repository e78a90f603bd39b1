import { describe, expect, it } from 'vitest';
import { postFromText } from '../src/core/revise/post.js';
import { WorkingCopy } from '../src/core/revise/working-copy.js';

const TEXT = 'Lead.\r\n\r\n## Deep\r\n\r\nDive.\r\n\r\n### Details\r\n\r\nOld details.\r\n\r\n## Results\r\n\r\nNumbers.\r\n';

describe('WorkingCopy with a nested section revised', () => {
  const post = postFromText('/tmp/post.md', 'post.md', TEXT);
  const find = (heading: string) => post.structure.outline.find((s) => s.heading === heading)!;

  it('splices the nested section alone, and the part that holds it reads the revision', () => {
    const copy = new WorkingCopy(post);
    copy.setContent(find('Details'), 'New details.');
    expect(copy.renderBody()).toBe(TEXT.replace('Old details.', 'New details.'));
    expect(copy.content(find('Deep'))).toBe('Dive.\n\n### Details\n\nNew details.');
    expect(copy.markdown()).toContain('### Details\n\nNew details.');
  });

  it('a later revision of the holding part replaces the nested one instead of overlapping it', () => {
    const copy = new WorkingCopy(post);
    copy.setContent(find('Details'), 'New details.');
    copy.setContent(find('Deep'), `${copy.content(find('Deep'))}\n\nWith a link.`);
    expect(copy.renderBody()).toBe(TEXT.replace('Old details.\r\n', 'New details.\r\n\r\nWith a link.\r\n'));
  });
});
