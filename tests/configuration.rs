//! House style: copydesk.toml, editor settings, precedence, live reload and bad configuration,
//! over LSP and on the command line.

mod common;

use assert_cmd::Command;
use common::{Client, seed_article};
use serde_json::{Value, json};
use std::path::Path;

/// A draft of our own in the seed's style: 2 teasers, 4 guillemets, 2 punctuation marks.
const DRAFT: &str = "La mairie a voté le budget hier soir.\n>> Le budget 2027 en détail <<\nLe maire a tranché : « Nous tiendrons nos promesses », a-t-il assuré. « Sans hausse d'impôts », a-t-il ajouté.\nEt l'opposition ? Elle a voté contre.\n>> Qui siège au conseil municipal <<\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn uri(path: &str) -> String {
    format!("file://{path}")
}

fn count(diags: &[Value], code: &str) -> usize {
    diags.iter().filter(|d| d["code"] == code).count()
}

const CAPS: fn() -> Value = || {
    json!({
        "workspace": {"configuration": true, "didChangeWatchedFiles": {"dynamicRegistration": true}},
        "general": {"positionEncodings": ["utf-16"]}
    })
};

async fn fix_all(c: &mut Client, uri: &str) -> Vec<Value> {
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll.copydesk"]}}),
        )
        .await;
    r["result"][0]["edit"]["changes"][uri]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_file_switches_a_rule_off_and_chooses_the_space() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copydesk.toml",
        "punctuation-spacing = \"off\"\nnbsp = \"U+202F\"\n",
    );
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    let path = write(&dir.path().join("articles"), "budget.txt", DRAFT);
    let mut c = Client::in_process();
    c.initialize_with(CAPS()).await;
    let u = uri(&path);
    c.open(&u, "plaintext", DRAFT).await;
    let d = c.diagnostics(&u, 1).await;
    assert_eq!(
        (
            count(&d, "teaser-unlinked"),
            count(&d, "guillemet-spacing"),
            count(&d, "punctuation-spacing")
        ),
        (2, 4, 0),
        "{d:?}"
    );
    let edits = fix_all(&mut c, &u).await;
    assert_eq!(edits.len(), 4);
    assert!(
        edits.iter().all(|e| e["newText"] == "\u{202f}"),
        "{edits:?}"
    );
}

#[tokio::test]
async fn seed_article_with_the_issue_configuration_reports_fourteen() {
    let Some(seed) = seed_article() else { return };
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copydesk.toml",
        "punctuation-spacing = \"off\"\nnbsp = \"U+202F\"\n",
    );
    let path = write(dir.path(), "seed-article.txt", &seed);
    // Command line.
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .args(["check", "--format", "json", "--lang", "fr", &path])
        .output()
        .unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), 14);
    // Editor, from the file.
    let mut c = Client::in_process();
    c.initialize_with(CAPS()).await;
    let u = uri(&path);
    c.open(&u, "plaintext", &seed).await;
    assert_eq!(c.diagnostics(&u, 1).await.len(), 14);
    let edits = fix_all(&mut c, &u).await;
    assert_eq!(edits.len(), 12);
    assert!(edits.iter().all(|e| e["newText"] == "\u{202f}"));
    // Editor, from its settings, live: no file this time.
    let other = tempfile::tempdir().unwrap();
    let path = write(other.path(), "seed-article.txt", &seed);
    let u = uri(&path);
    let mut c = Client::in_process();
    c.initialize_with(CAPS()).await;
    c.open(&u, "plaintext", &seed).await;
    assert_eq!(c.diagnostics(&u, 1).await.len(), 17);
    c.settings = json!({"rules": {"punctuation-spacing": "off"}, "nbsp": "U+202F"});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    )
    .await;
    let d = c
        .notification(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u.as_str()
                && m["params"]["diagnostics"].as_array().unwrap().len() == 14
        })
        .await;
    assert_eq!(d["params"]["version"], 1);
    assert!(
        fix_all(&mut c, &u)
            .await
            .iter()
            .all(|e| e["newText"] == "\u{202f}")
    );
}

#[tokio::test]
async fn editor_settings_win_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copydesk.toml",
        "[rules]\nteaser-unlinked = \"off\"\nguillemet-spacing = \"error\"\n",
    );
    let path = write(dir.path(), "a.txt", DRAFT);
    let mut c = Client::in_process();
    c.settings =
        json!({"rules": {"guillemet-spacing": "hint"}, "path": "/opt/copydesk", "language": null});
    c.initialize_with(CAPS()).await;
    let u = uri(&path);
    c.open(&u, "plaintext", DRAFT).await;
    let d = c.diagnostics(&u, 1).await;
    assert_eq!(count(&d, "teaser-unlinked"), 0, "the file's setting stays");
    assert!(
        d.iter()
            .filter(|d| d["code"] == "guillemet-spacing")
            .all(|d| d["severity"] == 4),
        "the editor's severity wins: {d:?}"
    );
}

#[tokio::test]
async fn editing_the_file_rechecks_every_open_draft() {
    let dir = tempfile::tempdir().unwrap();
    let toml = write(dir.path(), "copydesk.toml", "language = \"fr\"\n");
    let a = uri(&write(dir.path(), "a.txt", DRAFT));
    let b = uri(&write(dir.path(), "b.txt", DRAFT));
    let mut c = Client::in_process();
    c.initialize_with(CAPS()).await;
    // The server asks to watch copydesk.toml files.
    c.server_request("client/registerCapability").await;
    c.open(&a, "plaintext", DRAFT).await;
    c.open(&b, "plaintext", DRAFT).await;
    assert_eq!(c.diagnostics(&a, 1).await.len(), 8);
    assert_eq!(c.diagnostics(&b, 1).await.len(), 8);
    std::fs::write(
        &toml,
        "language = \"fr\"\n[rules]\nguillemet-spacing = \"off\"\n",
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&toml), "type": 2}]}),
    )
    .await;
    for u in [&a, &b] {
        c.notification(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u.as_str()
                && m["params"]["diagnostics"].as_array().unwrap().len() == 4
        })
        .await;
    }
}

#[tokio::test]
async fn a_bad_file_is_reported_on_itself_and_the_defaults_stay() {
    let dir = tempfile::tempdir().unwrap();
    let toml = write(
        dir.path(),
        "copydesk.toml",
        "# house style\nnbsp = \"U+0020\"\nlangage = \"fr\"\n",
    );
    let path = write(dir.path(), "a.txt", DRAFT);
    let mut c = Client::in_process();
    c.initialize_with(CAPS()).await;
    let u = uri(&path);
    c.open(&u, "plaintext", DRAFT).await;
    let on_file = c
        .notification(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri(&toml)
        })
        .await;
    let d = on_file["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 1);
    assert_eq!(d[0]["severity"], 1);
    assert!(d[0]["message"].as_str().unwrap().contains("nbsp"));
    assert_eq!(d[1]["range"]["start"]["line"], 2);
    assert!(
        d[1]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `language`")
    );
    let log = c
        .notification(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("copydesk.toml:2")
        })
        .await;
    assert_eq!(log["params"]["type"], 1, "{log}");
    assert_eq!(
        c.diagnostics(&u, 1).await.len(),
        8,
        "the defaults stay in force"
    );
}

#[test]
fn command_line_finds_the_nearest_file_and_takes_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copydesk.toml",
        "[rules]\nteaser-unlinked = \"off\"\n",
    );
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let path = write(&dir.path().join("sub"), "a.txt", DRAFT);
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .args(["check", &path])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 6, "{stdout}");
    let other = write(dir.path(), "other.toml", "language = \"en\"\n");
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .args(["check", "--config", &other, &path])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("quote-style") && !stdout.contains("guillemet-spacing"),
        "{stdout}"
    );
}

#[test]
fn command_line_bad_config_prints_file_and_line_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copydesk.toml",
        "language = \"fr\"\n\n[rules]\nquote-style = \"loud\"\nteasers-unlinked = \"off\"\n",
    );
    let path = write(dir.path(), "a.txt", DRAFT);
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .args(["check", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let toml = dir.path().join("copydesk.toml");
    assert!(
        stderr.contains(&format!(
            "{}:4: `rules.quote-style` must be",
            toml.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}:5: warning: unknown key `rules.teasers-unlinked`; did you mean `teaser-unlinked`?",
            toml.display()
        )),
        "{stderr}"
    );
    // The defaults stay in force: the draft is still checked.
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 8);
}

#[test]
fn command_line_ignores_globs_when_walking_folders() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "copydesk.toml",
        "[files]\nignore = [\"archives/**\", \"*.brouillon.md\"]\n",
    );
    for sub in ["archives", "articles"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    write(&dir.path().join("archives"), "vieux.txt", DRAFT);
    write(&dir.path().join("articles"), "a.txt", DRAFT);
    write(&dir.path().join("articles"), "b.brouillon.md", DRAFT);
    write(&dir.path().join("articles"), "notes.csv", DRAFT);
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .args(["check", "--format", "json", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let paths: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(paths.iter().next().unwrap().ends_with("articles/a.txt"));
}
