/**
 * The seed post's brief, "DeepSeek's disruption of the AI business", as `draft new` arguments:
 * the end-to-end tests and `npm run demo` all draft from it.
 */
export const SEED_LINK_URL = 'https://example.com/blog/deepseek-r1';

/** `draft new` with the seed brief; `{ direction: false }` leaves out its direction. */
export function seedNewArgs(options: { direction?: boolean } = {}): string[] {
  return [
    'new',
    '--topic',
    "DeepSeek's disruption of the AI business",
    ...(options.direction === false ? [] : ['--direction', 'Shift the focus toward the financial and business implications']),
    '--link',
    `DeepSeek R1: Revolutionising Open-Source AI=${SEED_LINK_URL}`,
    '--keyword',
    'DeepSeek',
    '--keyword',
    'Nvidia',
    '--author',
    'Manolo',
  ];
}
