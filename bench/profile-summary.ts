/**
 * Self time per package from a V8 CPU profile, to see where a command's fixed cost goes.
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/draft.js new ... && npx tsx bench/profile-summary.ts /tmp/prof/*.cpuprofile
 * A sample's self time is charged to the package of the function on top of the stack: node_modules/<pkg>,
 * read through the file's source map when it has one (so the bundle's chunks name their packages too),
 * the project's own dist/ or src/ (by top folder), node: internals, or (garbage collector), (program), (idle).
 * Module loading shows as node:internal/modules/* (resolution, reading) plus the packages' top-level code.
 *   ... profile-summary.ts --callers micromark,yaml FILES: whose work that is: each such sample is charged
 *   to the nearest function of the project's own code below it on the stack (profile a tsc build for this).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string; lineNumber?: number; columnNumber?: number };
  children?: number[];
}

const maps = new Map<string, SourceMap | null>();

/** The original file a bundled function came from, through the `.map` beside the file; else the URL itself. */
export function originalUrl(frame: ProfileNode['callFrame']): string {
  if (!frame.url.startsWith('file:')) return frame.url;
  let map = maps.get(frame.url);
  if (map === undefined) {
    const file = `${fileURLToPath(frame.url)}.map`;
    map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null;
    maps.set(frame.url, map);
  }
  if (!map) return frame.url;
  const entry = map.findEntry(frame.lineNumber ?? 0, frame.columnNumber ?? 0) as { originalSource?: string };
  return entry.originalSource ? new URL(entry.originalSource, frame.url).href : frame.url;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function packageOf(url: string, functionName: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  if (url.startsWith('node:')) return url.startsWith('node:internal/modules') ? 'node: module loading' : 'node: internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const own = /\/(dist|src)\/(.*)$/.exec(url);
  if (own) {
    const parts = own[2]!.split('/');
    return `draft: ${own[1]}/${parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0]}`;
  }
  return url;
}

export function summarise(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const key = packageOf(originalUrl(n.callFrame), n.callFrame.functionName);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

/** Self time of samples on top of `packages`, charged to the nearest own (dist/ or src/) function below. */
export function callers(profile: Profile, packages: Set<string>): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const top = byId.get(id)!;
    if (!packages.has(packageOf(originalUrl(top.callFrame), top.callFrame.functionName))) return;
    let at: number | undefined = id;
    while (at !== undefined && !packageOf(originalUrl(byId.get(at)!.callFrame), '').startsWith('draft:')) at = parent.get(at);
    const f = at === undefined ? undefined : byId.get(at)!.callFrame;
    const key = f ? `${f.functionName || '(anonymous)'} ${originalUrl(f).replace(/^.*\/(dist|src)\//, '')}` : '(no own frame)';
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let files = process.argv.slice(2);
  let only: Set<string> | undefined;
  if (files[0] === '--callers') {
    only = new Set(files[1]!.split(','));
    files = files.slice(2);
  }
  const totals = new Map<string, number>();
  for (const f of files) {
    const profile = JSON.parse(readFileSync(f, 'utf8'));
    for (const [k, v] of only ? callers(profile, only) : summarise(profile)) totals.set(k, (totals.get(k) ?? 0) + v);
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${files.length} profile(s), ${all.toFixed(0)} ms ${only ? `in ${[...only].join(', ')}, by the own function that called it` : 'sampled; self time per package'} (per profile)`,
  );
  for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${(v / files.length).toFixed(1).padStart(8)} ms  ${k}`);
}
