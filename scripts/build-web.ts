// Build the phone app into web/dist: esbuild bundles web/main.ts to app.js, web/sw/service-worker.ts to sw.js and
// web/styles.css (with its imports) to styles.css, then the static files are copied.
// Run with `npm run build:web` (Node 24). Touches nothing outside web/dist.
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');

/**
 * Cloudflare static-asset headers (`_headers`): everything is revalidated on each load (no-cache) so a deploy reaches
 * phones at once. The security headers (CSP, HSTS, …) are not here: every request runs the Worker first and
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

/** Bundle and copy; resolves with the bundle's size in bytes. Throws (esbuild's error) when the bundle fails. */
export async function buildWeb(): Promise<number> {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  const common: BuildOptions = {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [dropZodLocales],
  };
  const [result] = await Promise.all([
    build({ ...common, entryPoints: [path.join(web, 'main.ts')], outfile: path.join(dist, 'app.js'), format: 'esm', metafile: true }),
    // A classic (not module) worker: every browser that has push runs it.
    build({ ...common, entryPoints: [path.join(web, 'sw', 'service-worker.ts')], outfile: path.join(dist, 'sw.js'), format: 'iife' }),
    build({ ...common, entryPoints: [path.join(web, 'styles.css')], outfile: path.join(dist, 'styles.css'), plugins: [] }),
  ]);
  await Promise.all([
    copyFile(path.join(web, 'index.html'), path.join(dist, 'index.html')),
    writeFile(path.join(dist, '_headers'), HEADERS),
  ]);
  return result.metafile?.outputs[path.relative(process.cwd(), path.join(dist, 'app.js'))]?.bytes ?? 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const bytes = await buildWeb();
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`web/dist built in ${ms} ms (app.js ${(bytes / 1024).toFixed(1)} KiB)\n`);
}
