//! The project's own drafts: their findings, snapshot-tested, and every fix applied to them
//! checked byte for byte.

use copydesk::analysis::is_markdown_path;
use copydesk::fixes::{apply_edits, apply_fix, fix_all};
use copydesk::positions::{Encoding, LineIndex};
use copydesk::{Config, Edit, analyze};
use std::path::PathBuf;

fn drafts() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/drafts");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")))
        .filter(|p| !p.ends_with("README.md"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(
        out.len() >= 10,
        "expected at least ten drafts, found {}",
        out.len()
    );
    out
}

/// Findings as the command line prints them, with the detected language first.
fn report(name: &str, text: &str) -> String {
    let a = analyze(text, &Config::default(), is_markdown_path(name));
    let idx = LineIndex::new(text);
    let mut out = format!("language: {}\n", a.lang.code());
    for f in &a.findings {
        let (l, c) = idx.position(f.range.start, Encoding::Utf32);
        let fix = if f.fix.is_some() { " [fix]" } else { "" };
        out.push_str(&format!(
            "{}:{}: {}[{}] {}{fix}\n",
            l + 1,
            c + 1,
            f.severity.as_str(),
            f.code,
            f.message
        ));
    }
    out
}

#[test]
fn findings_on_every_draft() {
    for (name, text) in drafts() {
        insta::assert_snapshot!(name.replace('.', "_"), report(&name, &text));
    }
}

/// Shows the spaces fixes insert, so that snapshots show them.
fn visible(s: &str) -> String {
    s.replace('\u{a0}', "⍽").replace('\u{202f}', "·")
}

/// Checks that `after` is `before` with exactly `edits` applied: every byte outside the edited
/// ranges is unchanged and in place.
fn only_edits_changed(before: &str, after: &str, edits: &[Edit]) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.range.start);
    let (mut b, mut a) = (0, 0);
    for e in sorted {
        let keep = &before[b..e.range.start];
        assert_eq!(
            &after[a..a + keep.len()],
            keep,
            "bytes before an edit changed"
        );
        a += keep.len();
        assert_eq!(&after[a..a + e.replacement.len()], e.replacement);
        a += e.replacement.len();
        b = e.range.end;
    }
    assert_eq!(
        &after[a..],
        &before[b..],
        "bytes after the last edit changed"
    );
}

#[test]
fn every_fix_changes_only_what_it_names() {
    let allowed = |s: &str| {
        s.chars()
            .all(|c| matches!(c, '\u{a0}' | '\u{202f}' | '«' | '»' | '“' | '”' | '‘' | '’'))
    };
    for (name, text) in drafts() {
        let md = is_markdown_path(&name);
        let a = analyze(&text, &Config::default(), md);
        // One quick fix at a time.
        for f in a.findings.iter().filter(|f| f.fix.is_some()) {
            let fix = f.fix.as_ref().unwrap();
            let after = apply_fix(&text, fix);
            only_edits_changed(&text, &after, &fix.edits);
            for e in &fix.edits {
                assert!(
                    allowed(&e.replacement),
                    "{name}: a fix inserts {:?}",
                    e.replacement
                );
                let removed = &text[e.range.clone()];
                assert!(
                    removed
                        .chars()
                        .all(|c| c.is_whitespace() || "\"“”‘’«»<>".contains(c)),
                    "{name}: a fix removes {removed:?}"
                );
            }
        }
        // All at once.
        let edits = fix_all(&text, &Config::default(), &a);
        let fixed = apply_edits(&text, &edits);
        only_edits_changed(&text, &fixed, &edits);
        // Fixing is done in one pass: nothing fixable is left, and nothing new appears.
        let again = analyze(&fixed, &Config::default(), md);
        let left: Vec<_> = again
            .findings
            .iter()
            .filter(|f| f.fix.is_some())
            .map(|f| (f.code, f.message.clone()))
            .collect();
        assert!(
            left.is_empty(),
            "{name}: fixable findings left after fix-all: {left:?}"
        );
        assert!(
            again.findings.len() <= a.findings.len(),
            "{name}: fix-all added findings"
        );
        insta::assert_snapshot!(format!("{}_fixed", name.replace('.', "_")), visible(&fixed));
    }
}
