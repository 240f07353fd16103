// Bundles src/extension.ts and vscode-languageclient into one file, dist/extension.js, so the
// .vsix needs no node_modules. `--watch` rebuilds on every save.
import * as esbuild from "esbuild";

const options = {
  entryPoints: ["src/extension.ts"],
  outfile: "dist/extension.js",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  sourcemap: false,
  minify: !process.argv.includes("--watch"),
  keepNames: true,
  logLevel: "info",
};

if (process.argv.includes("--watch")) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
