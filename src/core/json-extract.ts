import { stripThink } from './provider/think.js';

/**
 * Finds the JSON object in a model's reply: models wrap it in code fences, put prose around it,
 * or (reasoning models) think aloud first. Returns undefined when no object parses.
 */
export function extractJsonObject(reply: string): unknown {
  const text = stripThink(reply);
  const candidates: string[] = [];
  for (const fence of text.matchAll(/```(?:json|JSON)?\s*\n([\s\S]*?)```/g)) candidates.push(fence[1]!);
  candidates.push(text);
  for (const candidate of candidates) {
    for (const slice of balancedObjects(candidate)) {
      try {
        return JSON.parse(slice);
      } catch {
        try {
          return JSON.parse(slice.replace(/,\s*([}\]])/g, '$1'));
        } catch {
          // try the next balanced span
        }
      }
    }
  }
  return undefined;
}

/** Each top-level {...} span, respecting strings, in order of appearance. */
function* balancedObjects(text: string): Generator<string> {
  let start = text.indexOf('{');
  while (start !== -1) {
    let depth = 0;
    let inString = false;
    let escaped = false;
    let end = -1;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end === -1) return;
    yield text.slice(start, end + 1);
    start = text.indexOf('{', end + 1);
  }
}
