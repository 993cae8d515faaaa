/* Bundles editor.js into one browser file: `node build.mjs OUTFILE METAFILE` (run by
 * scripts/vendor_cms.py, after `npm ci` here). The editor's page allows no code made from text
 * (no 'unsafe-eval'), so:
 *   - Decap's check of its own configuration (AJV) is replaced by config-unchecked.js (see why
 *     there);
 *   - two packages try code made from text as they load, inside a `try` (TRIED): @iarna/toml
 *     (Decap's TOML format) looks for Node's util.inspect, and ts-invariant (the GitHub
 *     backend's GraphQL client) sets a global `process`. In a browser under the page's policy
 *     both fail and are reported as refused; here they fail the same way, without the call.
 * The build stops if one of those calls is no longer where it was (a new version of its
 * package): look again at what it does. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const [outfile, metafile] = process.argv.slice(2);
// Code made from text, each tried inside a `try` when its package loads: [file, the call].
const TRIED = [
  ['@iarna/toml/lib/toml-parser.js', 'eval("require(\'util\').inspect")'],
  ['ts-invariant/lib/invariant.esm.js', 'Function("stub", "process = stub")(processStub)'],
];
const patched = new Set();
const unchecked = fileURLToPath(new URL('./config-unchecked.js', import.meta.url));

const result = await esbuild.build({
  entryPoints: [fileURLToPath(new URL('./editor.js', import.meta.url))],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020', // the business unit's browsers are current: Decap's code stays as written
  legalComments: 'none', // each package's licence is in decap-cms.js.LICENSES.txt
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  logLevel: 'warning',
  outfile,
  metafile: true,
  plugins: [{
    name: 'config-unchecked',
    setup(build) {
      build.onResolve({ filter: /^ajv(-keywords|-errors)?(\/|$)/ }, () => ({ path: unchecked }));
    },
  }, {
    name: 'without-eval',
    setup(build) {
      build.onLoad({ filter: /node_modules[\\/].*\.js$/ }, ({ path }) => {
        const tried = TRIED.find(([file]) => path.replaceAll('\\', '/').endsWith(file));
        if (!tried) return undefined;
        const text = readFileSync(path, 'utf8');
        if (!text.includes(tried[1])) throw new Error(`${path} no longer has ${tried[1]}: look again`);
        patched.add(tried[0]);
        return { contents: text.replace(tried[1], '(() => { throw new Error("no code from text") })()') };
      });
    },
  }],
});
const missed = TRIED.filter(([file]) => !patched.has(file)).map(([file]) => file);
if (missed.length) throw new Error(`not bundled any more: ${missed.join(', ')}: look again`);
writeFileSync(metafile, JSON.stringify(result.metafile));
