// The off-thread half of bench/list-modules.mjs: records each resolved file: URL.
import { appendFileSync } from 'node:fs';

let file;
export function initialize(data) {
  file = data.file;
}
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.startsWith('file:')) appendFileSync(file, `${result.url}\n`);
  return result;
}
