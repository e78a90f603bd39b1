// Bundles the shipped CLI with esbuild: dist/cli.js (the entry, the same name tsc writes, so whichever
// build ran last is the one bin/draft.js runs and a stale bundle can never hide behind a fresh `tsc`),
// plus lazy chunks in dist/chunks/ for what commands import with `await import()` (the SDK, the
// tokenizer ranks, the DOM and PDF stacks for sources, the style checkers). node-llama-cpp stays
// external: a native, optional peer. Source maps sit beside each file for `--debug`.
// Usage: node scripts/bundle.mjs [outdir=dist]
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? `${root}dist`;
rmSync(`${outdir}/chunks`, { recursive: true, force: true });

/** Whether esbuild bundles this file as CommonJS: a .cjs, or a .js without ES `export` statements (a "module" field's file is ESM whatever its package.json says). */
function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (file.endsWith('.mjs')) return false;
  return !/^\s*export\b/m.test(readFileSync(file, 'utf8'));
}

/**
 * `await import('yaml')` of a CommonJS package gives Node's named exports (`LineCounter`, ...), but an
 * esbuild chunk made for it exports only `default`. This plugin puts a small ES module in between that
 * re-exports the package's names, read from the package itself at build time.
 */
const cjsNamedExports = {
  name: 'cjs-named-exports',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData?.direct) return undefined;
      const r = await b.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir, pluginData: { direct: true } });
      if (r.errors.length > 0 || r.external || !isCommonJs(r.path)) return undefined;
      return { path: args.path, namespace: 'cjs-named', pluginData: { resolveDir: args.resolveDir } };
    });
    b.onLoad({ filter: /.*/, namespace: 'cjs-named' }, (args) => {
      const { resolveDir } = args.pluginData;
      const exported = createRequire(join(resolveDir, 'index.js'))(args.path);
      const names = Object.keys(exported).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
      const spec = JSON.stringify(args.path);
      return {
        contents: `import * as m from ${spec};\nexport default m.default;\nexport const { ${names.join(', ')} } = m;\n`,
        resolveDir,
        loader: 'js',
      };
    });
  },
};

/**
 * commander requires node:child_process at load, for executable subcommands, which draft has none of;
 * loading it (with net, dgram and their kin) was ~2 ms of `draft --help`. Here it loads on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "let loaded;\nmodule.exports = new Proxy({}, { get: (_, name) => (loaded ??= require('node:child_process'))[name] });\n",
      loader: 'js',
    }));
  },
};

const result = await build({
  absWorkingDir: root,
  // The provider thread of a batch (src/core/provider/thread-host.ts) is a second entry, sharing the chunks.
  entryPoints: { cli: 'src/cli.ts', 'provider-thread': 'src/core/provider/provider-thread.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  // No keepNames: it wraps every function and class in a `__name()` call, also closures made inside hot
  // functions (micromark's tokenizers), which cost `draft new` ~15 ms before its first request (bench/).
  // Without minifying, names stay as written; only a name two bundled modules share gets a suffix
  // (commander's CommanderError becomes CommanderError2), and a --debug stack trace still names the
  // src/ file and line through the source maps.
  keepNames: false,
  minifyWhitespace: true,
  external: ['node-llama-cpp'],
  // ESM builds first: jsonc-parser's UMD main requires its own files by computed paths a bundler cannot follow.
  mainFields: ['module', 'main'],
  // CommonJS packages inside the ESM bundle (gray-matter, turndown, readability...) call require()
  // for node: built-ins; ESM has none, so each file gets one.
  banner: {
    js: "import { createRequire as __draftCreateRequire } from 'node:module'; const require = __draftCreateRequire(import.meta.url);",
  },
  plugins: [cjsNamedExports, lazyChildProcess],
  metafile: true,
  logLevel: 'warning',
});

if (process.env.DRAFT_BUNDLE_REPORT) {
  const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
  for (const [file, o] of outputs.sort((a, b) => b[1].bytes - a[1].bytes))
    console.log(`${(o.bytes / 1024).toFixed(0).padStart(6)} KB  ${file.slice(root.length - 1)}`);
}

// `draft --help` as the built program prints it, and the width it was rendered at, for bin/draft.js
// to print without loading the CLI (commander and 14 commands' flags were most of what --help cost
// over bare node). Rendered from the bundle just written, so it says what the program would.
const { buildProgram, HELP_WIDTH } = await import(pathToFileURL(join(outdir, 'cli.js')).href);
let help = '';
buildProgram(async () => {
  throw new Error('not run at build time');
})
  .configureOutput({ writeOut: (text) => (help += text), getOutHelpWidth: () => HELP_WIDTH, getOutHasColors: () => false })
  .outputHelp();
writeFileSync(join(outdir, 'help.json'), JSON.stringify({ width: HELP_WIDTH, text: help }));
