// `npm run package`: builds the extension and writes copydesk-<version>.vsix.
// With COPYDESK_BIN set to a built copydesk binary, that binary is copied into server/ and
// shipped inside the .vsix, so the extension works without any setting.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);

function run(command, args) {
  execFileSync(command, args, { stdio: "inherit", env: { ...process.env, npm_config_yes: "true" } });
}

run("npm", ["run", "build"]);

const serverDir = path.join(root, "server");
fs.rmSync(serverDir, { recursive: true, force: true });
const bin = process.env.COPYDESK_BIN;
if (bin) {
  if (!fs.existsSync(bin)) {
    console.error(`COPYDESK_BIN=${bin} does not exist: build copydesk first (cargo build --release).`);
    process.exit(2);
  }
  fs.mkdirSync(serverDir);
  const target = path.join(serverDir, process.platform === "win32" ? "copydesk.exe" : "copydesk");
  fs.copyFileSync(bin, target);
  fs.chmodSync(target, 0o755);
  console.log(`bundled ${bin} as server/${path.basename(target)}`);
}

const { version } = JSON.parse(fs.readFileSync("package.json", "utf8"));
const out = process.env.VSIX_OUT ?? `copydesk-${version}.vsix`;
// --no-dependencies: dist/extension.js already bundles everything the extension imports.
run("npx", [
  "@vscode/vsce@3.9.2", "package",
  "--allow-missing-repository", "--skip-license", "--no-dependencies",
  "--out", out,
]);
