// Bundles the shipped CLI with rolldown, as CommonJS: dist/cli.cjs (the entry) and
// dist/provider-thread.cjs (a batch's provider thread), plus chunks in dist/chunks/, the lazy ones for
// what commands import with `await import()` (the SDK, the tokenizer ranks, the DOM stack for sources,
// the style checkers). CommonJS because Node 20 can keep a V8 code cache only for scripts it compiles
// through vm.Script, which ES modules are not: bin/compile-cache.js compiles these files with one
// (dist/compile-cache.json says which build this is). node-llama-cpp (native, an optional peer) and
// unpdf (ES-only, and it finds its own files through import.meta.resolve) stay external, loaded by import().
// Source maps sit beside each file for `--debug`.
// Usage: node scripts/bundle.mjs [outdir=dist]
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? `${root}dist`;
// The previous bundle's files, and a tsc entry it supersedes (bin/draft.js runs the newer entry).
rmSync(`${outdir}/chunks`, { recursive: true, force: true });
for (const name of ['cli', 'provider-thread'])
  for (const ext of ['.js', '.js.map', '.cjs', '.cjs.map']) rmSync(join(outdir, `${name}${ext}`), { force: true });

const LAZY_CHILD_PROCESS = '\0lazy-child-process';
// The provider thread reads the code cache the main thread's runs write (a worker that is terminated
// writes nothing itself); without bin/compile-cache.js beside dist/ it loads as plainly.
const THREAD_CACHE =
  "try { require(require('node:path').join(__dirname, '..', 'bin', 'compile-cache.js')).installCompileCache(__dirname); } catch {}";

/**
 * commander requires node:child_process at load, for executable subcommands, which draft has none of;
 * loading it (with net, dgram and their kin) was ~2 ms of `draft new --help`. Here it loads on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  resolveId(source, importer) {
    if (source === 'node:child_process' && importer && /[\\/]node_modules[\\/]commander[\\/]/.test(importer)) return LAZY_CHILD_PROCESS;
    return null;
  },
  load(id) {
    if (id !== LAZY_CHILD_PROCESS) return null;
    return "let loaded;\nmodule.exports = new Proxy({}, { get: (_, name) => (loaded ??= require('node:child_process'))[name] });\n";
  },
};

const bundle = await rolldown({
  cwd: root,
  input: { cli: 'src/cli.ts', 'provider-thread': 'src/core/provider/provider-thread.ts' },
  platform: 'node',
  external: ['node-llama-cpp', 'unpdf'],
  // ESM builds first: jsonc-parser's UMD main requires its own files by computed paths a bundler cannot follow.
  resolve: { mainFields: ['module', 'main'] },
  // CommonJS has no import.meta; each file's own URL stands in (see `intro`), as it did in ES chunks.
  transform: { target: 'node20.19', define: { 'import.meta.url': '__draftModuleUrl' } },
  plugins: [lazyChildProcess],
  logLevel: 'warn',
});
const { output } = await bundle.write({
  dir: outdir,
  format: 'cjs',
  entryFileNames: '[name].cjs',
  chunkFileNames: 'chunks/[name]-[hash].cjs',
  sourcemap: true,
  // ES modules are strict, and the bundle of them was; so are these files.
  strict: true,
  // Each file's own URL (for import.meta.url, above), and in the provider thread's entry the code cache
  // (bin/draft.js installs it in the main thread; a worker has a module loader of its own).
  intro: (chunk) =>
    `const __draftModuleUrl = require('node:url').pathToFileURL(__filename).href;${chunk.fileName === 'provider-thread.cjs' ? THREAD_CACHE : ''}`,
  // Whitespace only: no comments or indentation to read and scan at load, and names stay as written
  // (a --debug stack trace names the src/ file and line through the source maps; keepNames is off,
  // since its wrapper around every function cost `draft new` ~15 ms before its first request).
  minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
});
await bundle.close();

// For bin/compile-cache.js: the build's id, which keys its code cache (a new build never reads an older
// one's), and the files it leaves to Node. A script compiled through vm.Script has no import() of its
// own, and on Node 20 one restored from a code cache loses the one it is given (the failure behind
// zertosh/v8-compile-cache#30 and nodejs/corepack#342), so a file that imports an external ES package
// (unpdf, node-llama-cpp) is compiled by Node itself, without a cache.
const chunks = output.filter((o) => o.type === 'chunk').sort((a, b) => a.fileName.localeCompare(b.fileName));
const hash = createHash('sha256');
for (const chunk of chunks) hash.update(chunk.fileName).update(chunk.code);
const compiledByNode = chunks.filter((c) => c.dynamicImports.some((d) => !d.endsWith('.cjs'))).map((c) => c.fileName);
writeFileSync(join(outdir, 'compile-cache.json'), `${JSON.stringify({ build: hash.digest('hex').slice(0, 16), compiledByNode })}\n`);

if (process.env.DRAFT_BUNDLE_REPORT) {
  for (const o of [...chunks].sort((a, b) => b.code.length - a.code.length))
    console.log(`${(Buffer.byteLength(o.code) / 1024).toFixed(0).padStart(6)} KB  dist/${o.fileName}`);
}

// `draft --help` as the built program prints it, and the width it was rendered at, for bin/draft.js
// to print without loading the CLI (commander and 14 commands' flags were most of what --help cost
// over bare node). Rendered from the bundle just written, so it says what the program would.
const { buildProgram, HELP_WIDTH } = createRequire(import.meta.url)(join(outdir, 'cli.cjs'));
let help = '';
buildProgram(async () => {
  throw new Error('not run at build time');
})
  .configureOutput({ writeOut: (text) => (help += text), getOutHelpWidth: () => HELP_WIDTH, getOutHasColors: () => false })
  .outputHelp();
writeFileSync(join(outdir, 'help.json'), JSON.stringify({ width: HELP_WIDTH, text: help }));
