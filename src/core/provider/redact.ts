/**
 * Servers echo keys back (OpenAI: "Incorrect API key provided: sk-proj-…"), and errors end up in
 * terminals, CI logs and bug reports. Everything user-facing that came from the network passes here.
 */

const REDACTED = '[redacted]';

// Shapes of keys we may not have been told about: OpenAI/DeepSeek/OpenRouter `sk-…` (including the
// partly masked `sk-proj-****abcd` form), Google `AIza…`, Groq `gsk_…`, and any bearer token.
const KEY_SHAPES: readonly RegExp[] = [/\bsk-[A-Za-z0-9_*.-]{4,}/g, /\bAIza[A-Za-z0-9_-]{20,}/g, /\bgsk_[A-Za-z0-9]{10,}/g];
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
// `scheme://user:password@` anywhere in a message (fetch and proxies quote the URL they were given).
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+:[^\s/?#@"'<>]*@/gi;

/** Replaces each known secret (length ≥ 4, shorter ones would shred ordinary words) and key-shaped text. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first, so a secret that contains another is not left half-replaced.
  const known = secrets.filter((s): s is string => !!s && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(REDACTED);
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
  return out.replace(BEARER, `$1${REDACTED}`).replace(URL_USERINFO, `$1${REDACTED}@`);
}

/**
 * A base URL as it may be printed: userinfo (`user:password@`) replaced, whatever else it holds.
 * Every place that shows a base URL (errors, --dry-run headers, debug lines, reports) uses this.
 */
export function redactUrl(url: string): string {
  const parsed = tryParse(url);
  if (!parsed) return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}@`);
  if (!parsed.username && !parsed.password) return url;
  // Rebuilt by hand: URL.toString() would re-add the userinfo, and a bare origin must stay bare.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, `$1${REDACTED}@`);
}

export interface SplitBaseUrl {
  /** The URL without userinfo: what is requested (fetch refuses URLs that carry credentials). */
  url: string;
  /** `Basic …` for the Authorization header, when the URL carried userinfo. */
  authorization?: string;
  /** The parts that must never be printed or written. */
  secrets: string[];
}

export function splitBaseUrl(url: string): SplitBaseUrl {
  const parsed = tryParse(url);
  if (!parsed || (!parsed.username && !parsed.password)) return { url, secrets: [] };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const clean = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  // The user name alone is usually harmless ("user" would shred ordinary words), unless it is the
  // whole credential (`https://TOKEN@host`).
  const secrets = password ? [password, parsed.password] : [user, parsed.username];
  return { url: clean, authorization, secrets: [...new Set(secrets.filter(Boolean))] };
}

function tryParse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Model output with every configured secret replaced. Only the known values, not key shapes: a post
 * about API keys may legitimately show `sk-…` examples.
 */
export function scrubKnownSecrets(text: string, secrets: readonly (string | undefined)[]): { text: string; scrubbed: boolean } {
  const known = secrets.filter((s): s is string => !!s && s.length >= 4).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of known) out = out.split(secret).join(REDACTED);
  return { text: out, scrubbed: out !== text };
}

/** Values of variables that look like credentials, so no message, log or report can echo one. */
export function secretsInEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value && /(KEY|TOKEN|SECRET|PASSWORD)/i.test(name))
    .map(([, value]) => value!);
}
