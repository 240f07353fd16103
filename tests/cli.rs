//! The real binary: `copydesk check`, `rules`, `explain`, and `lsp` over stdio.

mod common;

use assert_cmd::Command;
use common::{Client, codes_and_lines, seed_article, seed_expectation};
use serde_json::{Value, json};
use std::io::Write;

fn copydesk() -> Command {
    Command::cargo_bin("copydesk").unwrap()
}

fn draft(dir: &tempfile::TempDir, name: &str, text: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text)
        .unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn seed_article_reports_exactly_the_seventeen_findings() {
    let Some(seed) = seed_article() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = draft(&dir, "seed-article.txt", seed.as_bytes());
    let out = copydesk()
        .args(["check", "--format", "json", "--lang", "fr", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, seed_expectation());
    for f in &findings {
        for key in [
            "path",
            "code",
            "severity",
            "message",
            "line",
            "column",
            "end_line",
            "end_column",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
}

#[test]
fn text_format_is_like_a_compilers() {
    let dir = tempfile::tempdir().unwrap();
    let path = draft(&dir, "a.txt", "😀 Il a dit «non».\n".as_bytes());
    let out = copydesk()
        .args(["check", "--lang", "fr", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Columns count characters: the emoji is one.
    assert!(
        stdout.starts_with(&format!("{path}:1:12: warning[guillemet-spacing] ")),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 2);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let out = copydesk()
        .args(["check", "--format", "json", "-"])
        .write_stdin("The mayor said «no».")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["path"], "<stdin>");
    assert_eq!(findings[0]["code"], "quote-style");
}

#[test]
fn clean_drafts_and_information_only_exit_zero() {
    copydesk()
        .args(["check", "-"])
        .write_stdin("Le maire a dit «\u{a0}non\u{a0}».")
        .assert()
        .code(0)
        .stdout("");
    // punctuation-spacing is information-level: reported, but not a failure.
    let out = copydesk()
        .args(["check", "--lang", "fr", "-"])
        .write_stdin("Pourquoi ?")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("info[punctuation-spacing]")
    );
}

#[test]
fn missing_and_non_utf8_files_are_named_and_the_others_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let good = draft(&dir, "bon.txt", "Il a dit «non».".as_bytes());
    let latin1 = draft(&dir, "latin1.txt", b"Il a dit \xabnon\xbb.");
    let missing = dir.path().join("absent.txt").to_str().unwrap().to_string();
    let out = copydesk()
        .args(["check", "--lang", "fr", &missing, &latin1, &good])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("cannot read {missing}: no such file")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("cannot read {latin1}: not UTF-8")),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!("{good}:1:10: warning[guillemet-spacing]")),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_two() {
    copydesk()
        .args(["check", "--lang", "de", "x.txt"])
        .assert()
        .code(2);
    copydesk().args(["check"]).assert().code(2);
    copydesk()
        .args(["explain", "no-such-rule"])
        .assert()
        .code(2);
}

#[test]
fn rules_and_explain() {
    let out = copydesk().args(["rules", "--lang", "en"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    for code in [
        "guillemet-spacing",
        "quote-unbalanced",
        "quote-style",
        "quote-nesting",
        "punctuation-spacing",
        "teaser-unlinked",
    ] {
        assert!(stdout.contains(code), "{code} missing from {stdout}");
    }
    let out = copydesk()
        .args(["explain", "guillemet-spacing", "--lang", "fr"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("espace insécable") && stdout.contains("Correction"),
        "{stdout}"
    );
}

#[test]
fn markdown_files_skip_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = draft(
        &dir,
        "a.md",
        "Du code : `a << b >> \"c`.\n\n```\n«x»\n```\n".as_bytes(),
    );
    copydesk()
        .args(["check", "--lang", "fr", &path])
        .assert()
        .code(0);
}

async fn spawn_lsp() -> (tokio::process::Child, Client) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["lsp", "--stdio"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    (child, Client::new(stdout, stdin))
}

#[tokio::test]
async fn the_binary_serves_lsp_over_stdio() {
    let (mut child, mut c) = spawn_lsp().await;
    let r = c.initialize(&["utf-16"]).await;
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-16");
    let uri = "file:///tmp/brouillon.txt";
    let text = seed_article().unwrap_or_else(|| "Il a dit « non » hier.".to_string());
    c.open(uri, "plaintext", &text).await;
    let d = c.diagnostics(uri, 1).await;
    if text.len() > 100 {
        assert_eq!(codes_and_lines(&d), seed_expectation());
    } else {
        assert_eq!(d.len(), 2);
    }
    let at = &d.iter().find(|d| d["code"] == "guillemet-spacing").unwrap()["range"]["start"];
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at}),
        )
        .await;
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("guillemet-spacing")
    );
    c.shutdown_and_exit().await;
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn exit_without_shutdown_is_status_one() {
    let (mut child, mut c) = spawn_lsp().await;
    c.initialize(&[]).await;
    c.notify("exit", Value::Null).await;
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}
