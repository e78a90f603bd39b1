/**
 * Every default the tool applies when neither a flag, the brief nor the config file says otherwise,
 * in one place. config.ts re-exports them; this file imports nothing, so `--help` can quote them
 * without loading the config machinery.
 */
export const DEFAULT_WORDS = 1000;
export const DEFAULT_SECTIONS = 5;
export const DEFAULT_TITLE_COUNT = 5;
export const DEFAULT_CONCURRENCY = 4;
/** One ceiling for every command and the config file: past it a provider's rate limit, not us, sets the pace. */
export const MAX_CONCURRENCY = 32;
export const DEFAULT_TIMEOUT_SECONDS = 60;
/** Node's timers hold a signed 32-bit count of milliseconds; a longer one fires at once. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
export const DEFAULT_RETRIES = 3;
/** The first retry's backoff when the server names no wait; it doubles on each later one. */
export const BACKOFF_BASE_MS = 500;
export const DEFAULT_OUT_DIR = 'drafts';
export const DEFAULT_FILE_NAME_PATTERN = '{slug}.md';
export const DEFAULT_NOTES_HEADING = 'Collaboration notes';
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';
/** With --provider-batch: the first wait between job status checks (it grows from there). */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** Search engines cut meta descriptions at about this many characters; longer ones are cut at a word. */
export const DESCRIPTION_LIMIT = 160;
