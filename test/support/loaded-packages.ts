/**
 * The packages behind a list of loaded module URLs (bench/list-modules.mjs writes one per line): a
 * node_modules path names its package; a bundle chunk names the packages in it through its source map.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function packageOf(path: string): string | undefined {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const [scope, name] = path.slice(at + 'node_modules/'.length).split('/');
  return scope!.startsWith('@') ? `${scope}/${name}` : scope;
}

export function packagesIn(urls: Iterable<string>): Set<string> {
  const packages = new Set<string>();
  for (const url of urls) {
    const own = packageOf(url);
    if (own) packages.add(own);
    const map = `${fileURLToPath(url)}.map`;
    if (!own && existsSync(map))
      for (const source of JSON.parse(readFileSync(map, 'utf8')).sources as string[]) {
        const bundled = packageOf(source);
        if (bundled) packages.add(bundled);
      }
  }
  return packages;
}
