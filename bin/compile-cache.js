// A V8 code cache for the bundle (dist/*.cjs, dist/chunks/*.cjs): what Node 22's module compile cache
// does, which Node 20 lacks. Each file is compiled through vm.Script with the code V8 made for it in an
// earlier run, so a start-up skips parsing and compiling (bench/README.md, "Fifth round"). V8 checks a
// cache against its own version and flags and the source's length and refuses one that does not fit;
// the folder is also keyed by the build and Node's version (dist/compile-cache.json, written by
// scripts/bundle.mjs), so a rebuilt bundle never meets an older build's code. The files that import()
// an ES package are left to Node, which that list names too (see there why).
//
// Written at exit, for each file that had none (or a refused one), so it holds the functions that run
// compiled as well as the top level. Never in the way: a cache that cannot be read, written or made
// is skipped without a word, and the run is the same, only slower.
//
// Where: $DRAFT_COMPILE_CACHE_DIR, else $XDG_CACHE_HOME/draft/compile, else ~/.cache/draft/compile,
// one folder per build, the newest KEEP_BUILDS kept. DRAFT_COMPILE_CACHE=off turns it off.
const fs = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const path = require('node:path');
const { threadId } = require('node:worker_threads');
const { Script } = require('node:vm');

const KEEP_BUILDS = 4;

function cacheRoot(env) {
  if (env.DRAFT_COMPILE_CACHE_DIR) return path.resolve(env.DRAFT_COMPILE_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(env.HOME || homedir(), '.cache');
  return path.join(base, 'draft', 'compile');
}

/** This build's folder and the files Node compiles itself; undefined when off or when the build says nothing. */
function buildCache(dist, env) {
  if (env.DRAFT_COMPILE_CACHE === 'off') return undefined;
  try {
    const { build, compiledByNode } = JSON.parse(fs.readFileSync(path.join(dist, 'compile-cache.json'), 'utf8'));
    if (!/^[0-9a-f]{8,64}$/.test(build) || !Array.isArray(compiledByNode)) return undefined;
    return {
      folder: path.join(cacheRoot(env), `${build}-node${process.version.slice(1)}-${process.arch}`),
      byNode: new Set(compiledByNode.map((file) => path.join(dist, file))),
    };
  } catch {
    return undefined;
  }
}

/** Written whole or not at all: a reader sees the old file or the new one, and no temp file stays. */
function writeWhole(file, data) {
  const temp = `${file}.${process.pid}-${threadId}.tmp`;
  try {
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

/** Other builds' folders past the newest KEEP_BUILDS (by when they were last written) are removed. */
function pruneOlderBuilds(root, current) {
  const builds = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && path.join(root, entry.name) !== current)
    .map((entry) => ({ dir: path.join(root, entry.name), mtime: fs.statSync(path.join(root, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of builds.slice(KEEP_BUILDS - 1)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Compiles the bundle's CommonJS files under `dist` with the cache from now on. Returns whether it did.
 * Other files (node_modules, tsc's ES modules) load as they always do.
 */
function installCompileCache(dist, env = process.env) {
  const cache = buildCache(dist, env);
  if (!cache) return false;
  const { folder, byNode } = cache;
  const prefix = dist + path.sep;
  const made = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename, ...rest) {
    if (!filename.startsWith(prefix) || !filename.endsWith('.cjs') || byNode.has(filename))
      return compile.call(this, content, filename, ...rest);
    const file = path.join(folder, `${filename.slice(prefix.length).replaceAll(path.sep, '~')}.v8`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      // None yet.
    }
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${content}\n})`, { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) made.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    if (made.length === 0) return;
    try {
      const root = path.dirname(folder);
      const created = !fs.existsSync(folder);
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      for (const { file, script } of made) writeWhole(file, script.createCachedData());
      if (created) pruneOlderBuilds(root, folder);
    } catch {
      // A cache folder that cannot be made or read (read-only home, a file in its place): no cache.
    }
  });
  return true;
}

module.exports = { installCompileCache };
