/**
 * Servers echo keys back (OpenAI: "Incorrect API key provided: sk-proj-…"), and errors end up in
 * terminals, CI logs and bug reports. Everything user-facing that came from the network passes here.
 */

const REDACTED = '[redacted]';

// Shapes of keys we may not have been told about: OpenAI/DeepSeek/OpenRouter `sk-…` (including the
// partly masked `sk-proj-****abcd` form), Google `AIza…`, Groq `gsk_…`, and any bearer token.
const KEY_SHAPES: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_*.-]{4,}/g,
  /\bAIza[A-Za-z0-9_-]{20,}/g,
  /\bgsk_[A-Za-z0-9]{10,}/g,
];
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;

/** Replaces each known secret (length ≥ 4, shorter ones would shred ordinary words) and key-shaped text. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first, so a secret that contains another is not left half-replaced.
  const known = secrets.filter((s): s is string => !!s && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(REDACTED);
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
  return out.replace(BEARER, `$1${REDACTED}`);
}
