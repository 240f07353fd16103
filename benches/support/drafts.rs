//! Benchmark documents generated from the project's own drafts (`tests/drafts/`), shared by the
//! throughput bench and the latency example (included with `#[path]`).
//!
//! Drafts written one paragraph per line (no blank line) keep that meaning once concatenated:
//! their lines are separated by blank lines, so each line stays a paragraph. Drafts are joined
//! by a blank line and repeated round-robin until the wanted size; the last one is cut at a
//! paragraph boundary so that the document stays valid prose.
#![allow(dead_code)]

use std::path::PathBuf;

/// Where the drafts are: `$COPYDESK_DRAFTS`, else `tests/drafts` in the crate.
pub fn drafts_dir() -> PathBuf {
    std::env::var_os("COPYDESK_DRAFTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/drafts"))
}

/// The drafts of a language (`fr` or `en`, from the file name's prefix), plain text (`.txt`) or
/// Markdown (`.md`), sorted by name.
pub fn drafts(lang: &str, markdown: bool) -> Vec<String> {
    let dir = drafts_dir();
    let ext = if markdown { "md" } else { "txt" };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "cannot read the drafts in {} ({e}); set COPYDESK_DRAFTS to a folder of drafts",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with(&format!("{lang}-")) && name.ends_with(&format!(".{ext}"))
        })
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no {lang}-*.{ext} draft in {}",
        dir.display()
    );
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a draft is UTF-8 text"))
        .collect()
}

fn has_blank_line(text: &str) -> bool {
    text.lines().any(|l| l.trim().is_empty())
}

/// A draft as a piece of a longer document: paragraphs separated by blank lines, Markdown front
/// matter dropped (only a document's first lines can hold it).
fn piece(draft: &str, first: bool) -> String {
    let mut text = draft.trim_end().to_string();
    if !first
        && (text.starts_with("---\n") || text.starts_with("---\r\n"))
        && let Some(end) = text[3..].find("\n---").map(|k| k + 3)
    {
        let after = text[end + 4..].trim_start_matches(['\r', '\n']);
        text = after.to_string();
    }
    if !has_blank_line(&text) {
        text = text.replace("\r\n", "\n\n").replace('\n', "\n\n");
        text = text.replace("\n\n\n\n", "\n\n");
    }
    text
}

/// A document of about `size` bytes (never more) made of the drafts of `lang`.
/// `clean_after`: copies starting past this many bytes have copydesk's own safe fixes applied,
/// as a long document would look once most of it went through the copy desk.
pub fn document(lang: &str, markdown: bool, size: usize, clean_after: Option<usize>) -> String {
    let drafts = drafts(lang, markdown);
    let mut out = String::with_capacity(size + 4096);
    let mut k = 0;
    let config = copydesk::Config::default();
    let mut fixed: Vec<Option<String>> = vec![None; drafts.len()];
    while out.len() < size {
        let i = k % drafts.len();
        let mut p = piece(&drafts[i], k == 0);
        if clean_after.is_some_and(|n| out.len() >= n) {
            p = fixed[i]
                .get_or_insert_with(|| {
                    let a = copydesk::analyze(&p, &config, markdown);
                    copydesk::fixes::apply_edits(&p, &copydesk::fixes::fix_all(&p, &config, &a))
                })
                .clone();
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&p);
        k += 1;
    }
    // Cut back to the last paragraph boundary at or below `size`.
    if out.len() > size {
        let mut cut = size;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        let at = out[..cut].rfind("\n\n").unwrap_or(cut);
        out.truncate(at);
    }
    out.push('\n');
    out
}
