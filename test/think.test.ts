import { describe, expect, it } from 'vitest';
import { createThinkFilter, stripThink } from '../src/core/provider/think.js';

describe('stripThink', () => {
  it('removes complete think blocks anywhere and trims', () => {
    expect(stripThink('<think>plan the intro</think>\n\nThe market fell.')).toBe('The market fell.');
    expect(stripThink('Intro. <think>hmm</think>Body.')).toBe('Intro. Body.');
    expect(stripThink('<THINKING>\nmulti\nline\n</THINKING>Answer')).toBe('Answer');
    expect(stripThink('<think>a</think>one <think>b</think>two')).toBe('one two');
  });

  it('removes an unterminated leading block (reply cut off mid-thought)', () => {
    expect(stripThink('  <think>still reasoning when max_tokens hit')).toBe('');
  });

  it('leaves ordinary text, including angle brackets and the word think, alone', () => {
    expect(stripThink('I think <b>so</b>, 3 < 4')).toBe('I think <b>so</b>, 3 < 4');
    expect(stripThink('Use a <thinker> tag')).toBe('Use a <thinker> tag');
  });

  it('does not pair <think> with </thinking>', () => {
    expect(stripThink('<think>a</thinking> b</think>c')).toBe('c');
  });
});

/** Feeds `text` through a filter in pieces cut at `cuts`, returning everything it let through. */
function filtered(text: string, cuts: number[]): string {
  const filter = createThinkFilter();
  let out = '';
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    out += filter.push(text.slice(from, cut));
    from = cut;
  }
  return out + filter.flush();
}

const SAMPLES = [
  '<think>reasoning about <b>tags</b></think>\n\nFinal answer.',
  'Before <thinking>hidden</thinking> after.',
  'No tags at all, just <thin ice and a < sign',
  '<think>one</think>A<think>two</think>B',
  'Trailing partial tag <thi',
  '<ThInK>Mixed case</tHiNk>Shown',
];

describe('createThinkFilter', () => {
  it('matches stripThink for every two-piece split of each sample', () => {
    for (const sample of SAMPLES) {
      for (let cut = 0; cut <= sample.length; cut++) {
        expect(filtered(sample, [cut]), `${JSON.stringify(sample)} cut at ${cut}`).toBe(stripThink(sample));
      }
    }
  });

  it('matches stripThink when fed one character at a time', () => {
    for (const sample of SAMPLES) {
      const cuts = Array.from({ length: sample.length }, (_, i) => i);
      expect(filtered(sample, cuts)).toBe(stripThink(sample));
    }
  });

  it('emits visible text as soon as it cannot be the start of a tag', () => {
    const filter = createThinkFilter();
    expect(filter.push('Hello <t')).toBe('Hello ');
    expect(filter.push('able>')).toBe('<table>');
    expect(filter.push('<think>secret')).toBe('');
    expect(filter.push(' more</thi')).toBe('');
    expect(filter.push('nk> world')).toBe(' world');
  });

  it('drops an unterminated block at the end of the stream', () => {
    const filter = createThinkFilter();
    expect(filter.push('<think>never closed')).toBe('');
    expect(filter.flush()).toBe('');
  });
});
