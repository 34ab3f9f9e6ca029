// Build the phone app into web/dist: esbuild bundles web/main.ts to app.js and web/styles.css (with its imports) to
// styles.css, copies the manifest and the committed icons (scripts/make-icons.ts draws them), stamps the build's
// version into index.html's asset URLs, then bundles web/sw/service-worker.ts to sw.js with that version and the
// shell's URLs. Everything is built in memory, then written file by file. Run with `npm run build:web` (Node 24).
// Touches nothing outside web/dist; needs no browser.
import { build, type BuildOptions, type BuildResult, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');

/**
 * Cloudflare static-asset headers (`_headers`): everything is revalidated on each load (no-cache) so a deploy reaches
 * phones at once — sw.js and the manifest included, which the update flow relies on (the SW is at the root, so no
 * Service-Worker-Allowed header is needed). The security headers (CSP, HSTS, …) are not here: every request runs the Worker first and
 * worker/security-headers.ts sets them, with the PartyKit host from the Worker's config in connect-src.
 */
const HEADERS = `/*
  Cache-Control: no-cache
`;

/**
 * zod re-exports every locale as `z.locales` (~260 KiB minified) and esbuild cannot drop a re-exported namespace.
 * The app never switches locale (zod registers English itself), so the locale index becomes an empty module.
 */
const dropZodLocales: Plugin = {
  name: 'drop-zod-locales',
  setup(plugin) {
    plugin.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/**
 * The build's version: the first 16 hex digits of a SHA-256 over every file the shell serves (`files`, as
 * name → bytes, taken in name order). Any change to the app gives a new version, hence a new sw.js and an update.
 */
export function shellVersion(files: ReadonlyMap<string, Uint8Array>): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) hash.update(`${name}\0`).update(files.get(name) ?? new Uint8Array());
  return hash.digest('hex').slice(0, 16);
}

/** index.html with `/app.js` and `/styles.css` loaded as `?v=<version>`; throws when either reference is missing. */
export function stampIndex(html: string, version: string): string {
  let stamped = html;
  for (const ref of ['src="/app.js"', 'href="/styles.css"']) {
    if (!stamped.includes(ref)) throw new Error(`web/index.html lacks ${ref}`);
    stamped = stamped.replace(ref, ref.replace(/"$/, `?v=${version}"`));
  }
  return stamped;
}

/**
 * Write `files` (absolute path → bytes) into web/dist, each through a temp file and a rename, then remove what no
 * longer belongs there. web/dist never disappears and no file is ever half written: test processes build at once
 * while wrangler serves web/dist.
 */
async function writeDist(files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  await Promise.all(
    [...files].map(async ([file, bytes]) => {
      const temp = `${file}.${process.pid}.tmp`;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temp, bytes);
      await rename(temp, file);
    }),
  );
  const present = await readdir(dist, { recursive: true, withFileTypes: true });
  const stale = present.filter((e) => e.isFile() && !files.has(path.join(e.parentPath, e.name)) && !e.name.endsWith('.tmp'));
  await Promise.all(stale.map((e) => rm(path.join(e.parentPath, e.name), { force: true })));
}

/** Bundle and copy; resolves with the bundle's size in bytes. Throws (esbuild's error) when the bundle fails. */
export async function buildWeb(): Promise<number> {
  const common: BuildOptions = {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [dropZodLocales],
    write: false,
  };
  const out = new Map<string, Uint8Array>();
  const keep = (result: BuildResult): void => {
    for (const file of result.outputFiles ?? []) out.set(file.path, file.contents);
  };
  const iconNames = (await readdir(path.join(web, 'icons'))).filter((n) => n.endsWith('.png')).sort();
  const icons = iconNames.map((name) => `icons/${name}`);
  const copied = ['manifest.webmanifest', ...icons];
  const [app, css, html, ...copies] = await Promise.all([
    build({ ...common, entryPoints: [path.join(web, 'main.ts')], outfile: path.join(dist, 'app.js'), format: 'esm' }),
    build({ ...common, entryPoints: [path.join(web, 'styles.css')], outfile: path.join(dist, 'styles.css'), plugins: [] }),
    readFile(path.join(web, 'index.html')),
    ...copied.map((name) => readFile(path.join(web, name))),
  ]);
  keep(app);
  keep(css);
  copied.forEach((name, i) => out.set(path.join(dist, name), copies[i] ?? new Uint8Array()));
  out.set(path.join(dist, '_headers'), new TextEncoder().encode(HEADERS));

  const served = new Map<string, Uint8Array>([['index.html', html]]);
  for (const name of ['app.js', 'styles.css', ...copied]) served.set(name, out.get(path.join(dist, name)) ?? new Uint8Array());
  const version = shellVersion(served);
  out.set(path.join(dist, 'index.html'), new TextEncoder().encode(stampIndex(html.toString('utf8'), version)));

  const shell = ['/', `/app.js?v=${version}`, `/styles.css?v=${version}`, '/manifest.webmanifest', ...icons.map((i) => `/${i}`)];
  // A classic (not module) worker: every browser that has push runs it.
  keep(
    await build({
      ...common,
      entryPoints: [path.join(web, 'sw', 'service-worker.ts')],
      outfile: path.join(dist, 'sw.js'),
      format: 'iife',
      define: { __HEARTH_SHELL_VERSION__: JSON.stringify(version), __HEARTH_SHELL_ASSETS__: JSON.stringify(shell) },
    }),
  );
  await writeDist(out);
  return out.get(path.join(dist, 'app.js'))?.byteLength ?? 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const bytes = await buildWeb();
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`web/dist built in ${ms} ms (app.js ${(bytes / 1024).toFixed(1)} KiB)\n`);
}
