// build.mjs - bundles the dashboard (web/src, Preact, Chart.js, the noble
// hashes and curves) with esbuild into OUTDIR: index.html, app.js, app.css.
// Run by the Meson build (web/meson.build): node web/build.mjs OUTDIR
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
	console.error("usage: node build.mjs OUTDIR");
	process.exit(2);
}
mkdirSync(out, { recursive: true });
await build({
	entryPoints: [join(here, "src", "main.jsx")],
	bundle: true,
	format: "esm",
	target: ["es2020"],
	minify: true,
	legalComments: "eof",
	jsx: "automatic",
	jsxImportSource: "preact",
	outfile: join(out, "app.js"),
	logLevel: "warning",
});
copyFileSync(join(here, "index.html"), join(out, "index.html"));
copyFileSync(join(here, "style.css"), join(out, "app.css"));
