import { languageVars } from '../style/language.js';
import type { MachineState } from '../document/machine-state.js';
import type { FocusPreset } from './focus-presets.js';

/** What every revision prompt is told about the post and the editor's wishes (never the whole post). */
export interface Guidance {
  title: string;
  topic?: string;
  direction?: string;
  audience?: string;
  tone?: string;
  focusName?: string;
  focus?: string;
  instruction?: string;
  /** The post's language (its brief's), so a revision keeps it and its spelling. */
  language?: string;
  languageName?: string;
}

export function guidanceFor(options: { title: string; state?: MachineState; focus?: FocusPreset; instruction?: string }): Guidance {
  const brief = options.state?.brief ?? {};
  const text = (key: string) =>
    typeof brief[key] === 'string' && (brief[key] as string).trim() ? (brief[key] as string).trim() : undefined;
  return {
    title: options.title,
    topic: text('topic'),
    direction: text('direction'),
    audience: text('audience'),
    tone: text('tone'),
    focusName: options.focus?.name,
    focus: options.focus?.text,
    instruction: options.instruction,
    ...languageVars(text('language')),
  };
}

/** The post's parts as a list for a prompt, with one marked. */
export function outlineList(headings: readonly { heading: string | null }[], marked: (index: number) => string | undefined): string {
  return headings
    .map((h, i) => {
      const mark = marked(i);
      return `- ${h.heading ?? 'Introduction (no heading)'}${mark ? `   <- ${mark}` : ''}`;
    })
    .join('\n');
}
