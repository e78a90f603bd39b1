import { describe, expect, it } from 'vitest';
import { alignColumns } from '../src/core/text-table.js';

describe('alignColumns (the models, providers and dry-run tables)', () => {
  it('pads each column to its widest cell, two spaces apart, with no trailing blanks', () => {
    expect(
      alignColumns([
        ['NAME', 'MODEL', 'NOTE'],
        ['openai', 'gpt-4o-mini', ''],
        ['a', 'b', 'long note'],
      ]),
    ).toEqual(['NAME    MODEL        NOTE', 'openai  gpt-4o-mini', 'a       b            long note']);
  });

  it('gives no lines for no rows', () => {
    expect(alignColumns([])).toEqual([]);
  });
});
