/**
 * A key-value object as parsers produce it (plain or null-prototype, as smol-toml's tables are); not
 * an array, a Date or another class instance, which must not be walked or merged as data.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
