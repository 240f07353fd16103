// End-to-end check of the copydesk VS Code extension in a real VS Code workbench
// (code-server) driven through Debian's Chromium with playwright-core.
//
//   node tests/e2e/vscode/check.mjs
//
// Environment (run.sh sets it):
//   E2E_CODE_SERVER  the code-server entry script      E2E_VSIX      the extension's .vsix
//   E2E_EXPECTED     the fixture's .expected.json       E2E_ARTIFACTS where screenshots go
//   E2E_WORK         an empty scratch directory         E2E_BIN       optional: set as copydesk.path
//                                                                     (else the .vsix must bundle it)
//   E2E_CHROMIUM     the browser (default /usr/bin/chromium)
//
// Steps: install the .vsix with `code-server --install-extension`, start code-server on a free
// loopback port, open the French draft, wait for copydesk's findings in the Problems panel,
// show the hover on the flagged opening guillemet, apply its quick fix with Ctrl+., save, and
// compare the file on disk with the expected text; then run "copydesk: Restart server", and
// point copydesk.path nowhere to see the notification that says how to fix it. Prints "ok:" lines, then
// "vscode: PASS" or "vscode: FAIL <reason>"; exits 0 or 1.

import { spawn, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "playwright-core";

function need(name) {
  const value = process.env[name];
  if (!value) {
    console.log(`vscode: FAIL environment variable ${name} is not set`);
    process.exit(1);
  }
  return value;
}

const codeServer = need("E2E_CODE_SERVER");
const vsix = need("E2E_VSIX");
const expectedPath = need("E2E_EXPECTED");
const artifacts = need("E2E_ARTIFACTS");
const work = need("E2E_WORK");
const bin = process.env.E2E_BIN ?? "";
const browserPath = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";

const expected = JSON.parse(fs.readFileSync(expectedPath, "utf8"));
const fixturePath = path.join(path.dirname(expectedPath), expected.file);
const original = fs.readFileSync(fixturePath, "utf8");

const userDir = path.join(work, "user");
const extDir = path.join(work, "ext");
const project = path.join(work, "project");
const draft = path.join(project, expected.file);

const STEP_TIMEOUT = 30_000;
const say = (line) => console.log(line);

class Failure extends Error {}
function check(condition, message) {
  if (!condition) {
    throw new Failure(message);
  }
}

function prepare() {
  fs.mkdirSync(path.join(userDir, "User"), { recursive: true });
  fs.mkdirSync(extDir, { recursive: true });
  fs.mkdirSync(project, { recursive: true });
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(draft, original);
  fs.writeFileSync(path.join(project, "copydesk.toml"), "# copydesk settings for the e2e test project\n");
  const settings = {
    "copydesk.language": expected.language,
    // A quiet workbench: nothing may steal focus from the editor or cover the panel.
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "workbench.welcomePage.walkthroughs.openOnInstall": false,
    "extensions.ignoreRecommendations": true,
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "chat.disableAIFeatures": true,
    "files.autoSave": "off",
    // The whole draft on screen, for the screenshot.
    "editor.wordWrap": "on",
    "editor.minimap.enabled": false,
  };
  if (bin) {
    settings["copydesk.path"] = bin;
  }
  fs.writeFileSync(path.join(userDir, "User", "settings.json"), JSON.stringify(settings, null, 2));
}

function codeServerArgs() {
  return [
    "--config", path.join(work, "config.yaml"),
    "--user-data-dir", userDir,
    "--extensions-dir", extDir,
  ];
}

function installExtension() {
  const out = execFileSync(process.execPath, [codeServer, ...codeServerArgs(), "--install-extension", vsix], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  });
  check(/successfully installed/i.test(out), `code-server --install-extension said: ${out.trim()}`);
  say(`ok: installed ${path.basename(vsix)}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// run.sh's `timeout` ends this script with SIGTERM: take code-server (its own process group)
// down with it.
let codeServerPid;
process.on("SIGTERM", () => {
  if (codeServerPid) {
    try {
      process.kill(-codeServerPid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  console.log("vscode: FAIL timed out");
  process.exit(1);
});

/** Stops a code-server started by startCodeServer and waits until it has exited. */
async function stopCodeServer(child) {
  if (child.exitCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  await Promise.race([exited, sleep(10000)]);
}

async function startCodeServer(port) {
  const log = fs.openSync(path.join(work, "code-server.log"), "w");
  const child = spawn(
    process.execPath,
    [
      codeServer, ...codeServerArgs(),
      "--auth", "none",
      "--bind-addr", `127.0.0.1:${port}`,
      "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
      project,
    ],
    { stdio: ["ignore", log, log], detached: true },
  );
  codeServerPid = child.pid;
  const deadline = Date.now() + STEP_TIMEOUT;
  while (Date.now() < deadline) {
    check(child.exitCode === null, `code-server exited with ${child.exitCode}; see code-server.log`);
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) {
      say(`ok: code-server listening on 127.0.0.1:${port}`);
      return child;
    }
    await sleep(200);
  }
  throw new Failure("code-server did not listen within 30 s");
}

// The Problems panel's rows, as { code, line, column, text }; rows from other sources kept
// with code null so a failure message can show them.
async function problems(page) {
  const rows = await page.locator(".markers-panel .monaco-list-row").allInnerTexts();
  return rows.map((text) => {
    const flat = text.replace(/\s+/g, " ");
    // Shown as "copydesk(code)"; the parentheses come from CSS, so innerText lacks them.
    const m = flat.match(/\bcopydesk\W+([a-z][\w-]*)\W+\[Ln (\d+), Col (\d+)\]/);
    return m ? { code: m[1], line: Number(m[2]), column: Number(m[3]), text: flat } : { code: null, text: flat };
  });
}

// null when the rows hold exactly the expected count of each (code, line) for the codes the
// fixture names; else a description of the difference.
function mismatch(rows, wanted) {
  const counts = new Map();
  for (const row of rows) {
    if (row.code) {
      const key = `${row.code}@${row.line}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const watched = new Set(wanted.map((w) => w.code));
  const problemsFound = [];
  for (const w of wanted) {
    const key = `${w.code}@${w.line}`;
    const want = w.count ?? 1;
    if ((counts.get(key) ?? 0) !== want) {
      problemsFound.push(`${w.code} on line ${w.line}: ${counts.get(key) ?? 0}, expected ${want}`);
    }
    counts.delete(key);
  }
  for (const [key, n] of counts) {
    if (watched.has(key.split("@")[0])) {
      problemsFound.push(`${key}: ${n} unexpected`);
    }
  }
  return problemsFound.length ? problemsFound.join("; ") : null;
}

async function waitForProblems(page, wanted, what) {
  let last = "the Problems panel stayed empty";
  const deadline = Date.now() + STEP_TIMEOUT;
  while (Date.now() < deadline) {
    const rows = await problems(page);
    last = mismatch(rows, wanted);
    if (last === null) {
      return rows;
    }
    await sleep(250);
  }
  const rows = await problems(page);
  throw new Failure(`${what}: ${last} (panel: ${rows.map((r) => r.text).join(" | ") || "empty"})`);
}

async function goTo(page, line, column) {
  await page.keyboard.press("Control+G");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: STEP_TIMEOUT });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: STEP_TIMEOUT });
}

async function openDraft(page) {
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  say("ok: workbench loaded");
  // Quick Open: type the name, wait until it is listed, open it.
  await page.locator(".monaco-workbench .part.editor").waitFor({ timeout: STEP_TIMEOUT });
  await page.keyboard.press("Control+P");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: STEP_TIMEOUT });
  await page.keyboard.type(expected.file);
  await page
    .locator(".quick-input-widget .monaco-list-row", { hasText: expected.file })
    .first()
    .waitFor({ timeout: STEP_TIMEOUT });
  await page.keyboard.press("Enter");
  await page.locator(`.tab[aria-label*="${expected.file}"]`).first().waitFor({ timeout: STEP_TIMEOUT });
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: STEP_TIMEOUT });
  say(`ok: opened ${expected.file}`);
}

async function runCommand(page, title) {
  await page.keyboard.press("F1");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: STEP_TIMEOUT });
  await page.keyboard.type(title);
  await page
    .locator(".quick-input-widget .monaco-list-row", { hasText: title })
    .first()
    .waitFor({ timeout: STEP_TIMEOUT });
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: STEP_TIMEOUT });
}

async function run(page) {
  const port = await freePort();
  let child = await startCodeServer(port);
  try {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(project)}`);
    await openDraft(page);

    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel").waitFor({ timeout: STEP_TIMEOUT });
    const rows = await waitForProblems(page, expected.diagnostics, "Problems panel");
    say(`ok: Problems panel lists ${rows.filter((r) => r.code).length} copydesk findings: ` +
      rows.filter((r) => r.code).map((r) => `${r.code} ${r.line}:${r.column}`).join(", "));
    await page.screenshot({ path: path.join(artifacts, "vscode-diagnostics.png") });

    // Hover on the flagged opening guillemet, from the keyboard (Ctrl+K Ctrl+I), in the editor.
    await page.locator(".monaco-editor .view-lines").first().click({ position: { x: 5, y: 5 } });
    await goTo(page, expected.hover.line, expected.hover.column);
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+I");
    // The server's markdown hover; the marker part of the widget comes from the diagnostic.
    const hover = page.locator(".monaco-hover .markdown-hover .rendered-markdown");
    await hover.first().waitFor({ state: "visible", timeout: STEP_TIMEOUT });
    const hoverText = (await hover.allInnerTexts()).join(" ").replace(/\s+/g, " ").trim();
    check(hoverText.length > 0, "the hover shows no text from the server");
    say(`ok: hover "${hoverText.slice(0, 100)}"`);
    await page.screenshot({ path: path.join(artifacts, "vscode-hover.png") });
    await page.keyboard.press("Escape");

    // Quick fix: Ctrl+. on the same guillemet, pick the fix for this finding.
    const fix = expected.quickfix;
    await goTo(page, fix.line, fix.column);
    await page.keyboard.press("Control+.");
    const actionRows = page.locator(".action-widget .monaco-list-row.action");
    await actionRows.first().waitFor({ state: "visible", timeout: STEP_TIMEOUT });
    const labels = await actionRows.evaluateAll((els) =>
      els.map((el) => ({ label: el.getAttribute("aria-label") ?? el.textContent ?? "", disabled: el.classList.contains("option-disabled") })),
    );
    // The fix for this one finding rather than a fix-everything action, when both are offered.
    let index = labels.findIndex((a) => !a.disabled && !/\b(all|tout|toutes|tous)\b/i.test(a.label));
    if (index < 0) {
      index = labels.findIndex((a) => !a.disabled);
    }
    check(index >= 0, `Ctrl+. offered no usable action (${labels.map((a) => a.label).join(" | ")})`);
    say(`ok: Ctrl+. offers ${labels.map((a) => `"${a.label}"`).join(", ")}; picking "${labels[index].label}"`);
    await page.screenshot({ path: path.join(artifacts, "vscode-quickfix.png") });
    // The widget's pointer block swallows clicks: move the keyboard focus, then Enter.
    const target = labels[index].label;
    for (let step = 0; step <= labels.length; step++) {
      const focused = await page.locator(".action-widget .monaco-list-row.action.focused").getAttribute("aria-label");
      if (focused === target) {
        break;
      }
      await page.keyboard.press("ArrowDown");
    }
    check(
      (await page.locator(".action-widget .monaco-list-row.action.focused").getAttribute("aria-label")) === target,
      `could not focus "${target}" in the Ctrl+. menu`,
    );
    await page.keyboard.press("Enter");
    await page.locator(".action-widget").waitFor({ state: "hidden", timeout: STEP_TIMEOUT });

    await page.keyboard.press("Control+S");
    const lines = original.split("\n");
    const chars = Array.from(lines[fix.line - 1]);
    chars[fix.replaced_column - 1] = fix.replacement;
    lines[fix.line - 1] = chars.join("");
    const want = lines.join("\n");
    let onDisk = "";
    const deadline = Date.now() + STEP_TIMEOUT;
    while (Date.now() < deadline) {
      onDisk = fs.readFileSync(draft, "utf8");
      if (onDisk !== original) {
        break;
      }
      await sleep(200);
    }
    check(onDisk !== original, "the draft on disk did not change after the quick fix and Ctrl+S");
    if (onDisk !== want) {
      const got = onDisk.split("\n")[fix.line - 1] ?? "";
      throw new Failure(`the quick fix changed more or other than intended; line ${fix.line} is now ${JSON.stringify(got)}`);
    }
    const codepoint = fix.replacement.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
    say(`ok: after the fix and save, line ${fix.line} column ${fix.replaced_column} is U+${codepoint} and nothing else changed`);

    // The server saw the edit: one guillemet finding fewer on that line.
    const after = expected.diagnostics.map((w) =>
      w.code === "guillemet-spacing" && w.line === fix.line ? { ...w, count: (w.count ?? 1) - 1 } : w,
    );
    await page.keyboard.press("Control+Shift+M");
    await waitForProblems(page, after, "Problems panel after the fix");
    say("ok: Problems panel updated after the fix");

    // The command palette's "copydesk: Restart server": the new server reports again.
    await runCommand(page, "copydesk: Restart server");
    await waitForProblems(page, after, "Problems panel after copydesk: Restart server");
    say("ok: copydesk: Restart server, findings reported again");

    // A copydesk.path that points nowhere: the extension says so and how to fix it. code-server
    // does not reliably notice an edit of settings.json on disk, even across a page reload, so
    // it is stopped and started again on the edited settings.
    await stopCodeServer(child);
    const settingsFile = path.join(userDir, "User", "settings.json");
    const settings = JSON.parse(fs.readFileSync(settingsFile, "utf8"));
    settings["copydesk.path"] = path.join(work, "no-such-dir", "copydesk");
    fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    const secondPort = await freePort();
    child = await startCodeServer(secondPort);
    await page.goto(`http://127.0.0.1:${secondPort}/?folder=${encodeURIComponent(project)}`);
    await openDraft(page);
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "copydesk.path" });
    await toast.first().waitFor({ state: "visible", timeout: STEP_TIMEOUT });
    say(`ok: with a wrong copydesk.path: "${(await toast.first().innerText()).replace(/\s+/g, " ").slice(0, 160)}"`);
    await sleep(500); // the toast fades in
    await page.screenshot({ path: path.join(artifacts, "vscode-wrong-path.png") });
  } finally {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

async function main() {
  const started = Date.now();
  try {
    prepare();
    installExtension();
  } catch (error) {
    say(`vscode: FAIL ${error instanceof Failure ? error.message : String(error)}`);
    return 1;
  }
  // playwright-core gives the browser a fresh profile in a temporary directory.
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await run(page);
    say(`vscode: PASS (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  } catch (error) {
    const shot = path.join(artifacts, "vscode-failure.png");
    await page.screenshot({ path: shot }).catch(() => {});
    const logs = path.join(userDir, "logs");
    if (fs.existsSync(logs)) {
      fs.cpSync(logs, path.join(artifacts, "vscode-logs"), { recursive: true });
    }
    if (fs.existsSync(path.join(work, "code-server.log"))) {
      fs.copyFileSync(path.join(work, "code-server.log"), path.join(artifacts, "code-server.log"));
    }
    const reason = error instanceof Failure ? error.message : error?.stack ?? String(error);
    say(`vscode: FAIL ${reason.split("\n").join("\n  ")}`);
    say(`  screenshot: ${shot}; logs: ${path.join(artifacts, "vscode-logs")}`);
    return 1;
  } finally {
    await browser.close();
  }
}

process.exit(await main());
