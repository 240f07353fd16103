// The copydesk extension: finds the copydesk binary, starts it as a language server for
// plain-text and Markdown drafts, and restarts it when asked or when its settings change.
// Everything the journalist sees (diagnostics, hovers, quick fixes) comes from the server.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

const SECTION = "copydesk";
const BINARY = process.platform === "win32" ? "copydesk.exe" : "copydesk";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // One channel for the whole session: restarts keep appending to it, so the log of a
  // server that crashed stays readable after the restart.
  output = vscode.window.createOutputChannel("copydesk");
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand("copydesk.restartServer", () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The language goes to the server at start-up too (initializationOptions), and a new
      // path means a new process: both need a restart. Other copydesk keys reach the running
      // server through workspace/didChangeConfiguration.
      if (
        event.affectsConfiguration(`${SECTION}.path`) ||
        event.affectsConfiguration(`${SECTION}.language`)
      ) {
        void restart(context);
      }
    }),
  );

  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const found = findServer(context, config.get<string>("path", ""));
  if ("problem" in found) {
    output?.appendLine(found.problem);
    const openSettings = "Open Settings";
    void vscode.window
      .showErrorMessage(found.problem, openSettings)
      .then((choice) => {
        if (choice === openSettings) {
          void vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.path`);
        }
      });
    return;
  }
  output?.appendLine(`Starting ${found.command} lsp (${found.origin})`);

  const serverOptions: ServerOptions = {
    command: found.command,
    args: ["lsp"],
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: "plaintext", scheme: "file" },
      { language: "plaintext", scheme: "untitled" },
      { language: "markdown", scheme: "file" },
      { language: "markdown", scheme: "untitled" },
    ],
    // An empty language leaves copydesk.toml (or detection) in charge.
    initializationOptions: { language: config.get<string>("language", "") || null },
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
  };

  // The id "copydesk" makes the client honour the `copydesk.trace.server` setting.
  client = new LanguageClient(SECTION, "copydesk", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = `copydesk: the server at ${found.command} did not start: ${String(error)}`;
    output?.appendLine(message);
    void vscode.window.showErrorMessage(message);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output?.appendLine(`copydesk: stopping the server failed: ${String(error)}`);
    }
    await running.dispose();
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  output?.appendLine("Restarting the copydesk server");
  await stop();
  await start(context);
}

type Found = { command: string; origin: string } | { problem: string };

/** The setting first, then the binary shipped inside the extension, then PATH. */
function findServer(context: vscode.ExtensionContext, setting: string): Found {
  const configured = setting.trim();
  if (configured !== "") {
    const resolved = expandHome(configured);
    if (isExecutable(resolved)) {
      return { command: resolved, origin: "setting copydesk.path" };
    }
    return {
      problem:
        `copydesk: the setting copydesk.path points to ${resolved}, which is not an executable file. ` +
        "Fix the path in Settings, or clear it to use the bundled binary or copydesk from PATH.",
    };
  }

  const bundled = context.asAbsolutePath(path.join("server", BINARY));
  if (fs.existsSync(bundled)) {
    makeExecutable(bundled);
    if (isExecutable(bundled)) {
      return { command: bundled, origin: "bundled with the extension" };
    }
  }

  const onPath = searchPath(BINARY);
  if (onPath) {
    return { command: onPath, origin: "found on PATH" };
  }

  return {
    problem:
      "copydesk: no copydesk server found. Set copydesk.path in Settings to the copydesk binary, " +
      "or install copydesk on your PATH (cargo install --path . from the copydesk repository).",
  };
}

function expandHome(p: string): string {
  if (p === "~" || p.startsWith("~/")) {
    return path.join(os.homedir(), p.slice(1));
  }
  return p;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// A .vsix is a zip archive; some unpackers drop the executable bit of the bundled binary.
function makeExecutable(file: string): void {
  if (process.platform === "win32") {
    return;
  }
  try {
    const mode = fs.statSync(file).mode;
    if ((mode & 0o111) === 0) {
      fs.chmodSync(file, mode | 0o755);
    }
  } catch (error) {
    output?.appendLine(`copydesk: could not make ${file} executable: ${String(error)}`);
  }
}

function searchPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") {
      continue;
    }
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}
