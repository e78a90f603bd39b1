/** Front matter values as plain data: what the engines return and what a write will read back as. */
import type { DataFormat } from './front-matter-block.js';
import { isPlainObject } from '../plain-object.js';

/** Dates become strings and undefined members vanish, as they would after a write and re-read. */
export function normalizeChanges(changes: Record<string, unknown>, format: DataFormat): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    // TOML has no null: a null value removes the key.
    out[key] = value === undefined || (format === 'toml' && value === null) ? undefined : normalizeValue(value, format === 'toml');
  }
  return out;
}

export function normalizeValue(value: unknown, dropNull: boolean): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => normalizeValue(item ?? null, dropNull));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || (dropNull && item === null)) continue;
      out[key] = normalizeValue(item, dropNull);
    }
    return out;
  }
  return value;
}

/**
 * Engine output as ordinary data: any Date an engine still produced (explicit YAML tags, a datetime the
 * TOML scan missed) becomes its ISO string, and smol-toml's null-prototype tables become plain objects.
 */
export function toPlainData(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlainData);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a "__proto__" key must stay a key, not replace the prototype.
      Object.defineProperty(out, key, { value: toPlainData(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
