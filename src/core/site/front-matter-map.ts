import { STATE_KEY } from '../document/machine-state.js';
import type { SiteFrontMatter } from './site-schema.js';

/**
 * A new post's front matter in the site's own terms: the date under the site's key, the draft marked
 * the way the generator reads it, and (for a strict schema) only the keys it accepts. The tool's state
 * key always stays: dropping it would lose the post's log.
 */
export function siteFrontMatter(data: Record<string, unknown>, site: SiteFrontMatter | undefined): Record<string, unknown> {
  if (!site) return data;
  const out: Record<string, unknown> = {};
  const dateKey = site.dateKey ?? 'date';
  for (const [key, value] of Object.entries(data)) {
    if (key === 'date') out[dateKey] = value;
    else if (key === 'draft') {
      if ((site.draft ?? 'draft-key') === 'draft-key') out.draft = value;
      else if (site.draft === 'published-false') out.published = false;
    } else out[key] = value;
  }
  if (!site.keys) return out;
  const allowed = new Set([...site.keys, STATE_KEY]);
  return Object.fromEntries(Object.entries(out).filter(([key]) => allowed.has(key)));
}
