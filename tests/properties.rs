//! Property tests: random drafts and random edit sessions, checked against what must always hold.
//!
//! - an edit session applied incrementally through the LSP gives the same text and the same
//!   diagnostics as a full sync of the final text;
//! - every quick fix and fix-all change only their own ranges, and re-analysing the fixed text
//!   shows no finding the fix caused;
//! - positions round-trip in UTF-8, UTF-16 and UTF-32, and the command line's string index agrees
//!   with the server's rope conversions.
//!
//! Case counts are modest so that `cargo test` stays fast; `PROPTEST_CASES=5000 cargo test
//! --release --test properties` runs more.

mod common;

use common::Client;
use copydesk::config::Region;
use copydesk::fixes::{apply_edits, apply_fix, fix_all};
use copydesk::positions::{Encoding, LineIndex};
use copydesk::server::position::{to_offset, to_position};
use copydesk::{Config, Edit, LangSetting, analyze};
use proptest::prelude::*;
use ropey::Rope;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Pieces drafts are made of: words, multi-byte and astral characters, every kind of space and
/// line break, quotation marks of every style, high punctuation, and a little Markdown.
const PIECES: &[&str] = &[
    "a",
    "mot",
    "Il a dit",
    "said",
    " ",
    " ",
    "  ",
    "\t",
    "\u{a0}",
    "\u{202f}",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "é",
    "e\u{301}",
    "😀",
    "𝄞",
    "«",
    "»",
    "« ",
    " »",
    "“",
    "”",
    "‘",
    "’",
    "\"",
    "'",
    "<<",
    ">>",
    ":",
    ";",
    "?",
    "!",
    ".",
    "…",
    ",",
    "M.",
    "10:30",
    "`",
    "[l](https://j.fr/a)",
    "https://j.fr/x",
    "# ",
    "> ",
    ">> Titre <<",
    "Lire aussi : ",
    "Read more: ",
    "&nbsp;",
    "<b>",
    "<!-- c -->",
];

/// Pieces of inline directives (whole, broken, or only their words), mixed with [`PIECES`] in a
/// property of their own (the other properties' saved cases depend on `PIECES` as it is).
const DIRECTIVE_PIECES: &[&str] = &[
    "<!-- copydesk-disable quote-style -->",
    "<!-- copydesk-disable-next-line guillemet-spacing -->",
    "<!-- copydesk-enable -->",
    "<!--",
    "-->",
    "copydesk-",
    "copydesk-disable ",
    "desk-",
    "copy",
];

/// What may open a line and change how it reads (list and quote markers, headings, indents),
/// the whitespace `char::is_whitespace` knows beyond spaces and tabs (a vertical tab, a form
/// feed, an ideographic space, NEL, the line separator), and link syntax that may run over
/// lines: mixed with [`PIECES`] in a property of their own (found by the `analyze` fuzzer: a
/// vertical tab before `- »`; an indented `](` that a window read as code).
const LINE_OPENING_PIECES: &[&str] = &[
    "\n- ", "\n* ", "\n+ ", "\n1. ", "\n12) ", "\n# ", "\n> ", "\n    ", "-", "1.", "\u{b}",
    "\u{c}", "\u{3000}", "\u{85}", "\u{2028}", "\u{2009}", "](", "[", ")",
];

fn draft(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max_pieces).prop_map(|v| v.concat())
}

/// [`PIECES`] and a run of 300 bytes of letters, for checks that read a window around an edit
/// (a line's far end may decide how it reads).
fn draft_with_long_lines(max_pieces: usize) -> impl Strategy<Value = String> {
    let all: Vec<&'static str> = PIECES.iter().copied().chain(["\u{0}LONG"]).collect();
    prop::collection::vec(prop::sample::select(all), 0..max_pieces)
        .prop_map(|v| v.concat().replace("\u{0}LONG", &"é".repeat(150)))
}

/// Backtick runs, guillemets at line breaks and paragraphs long enough that a code span may
/// open or close beyond the lines a fix check reads (more than eight lines, or a kilobyte, away):
/// found by the `analyze` fuzzer, a span paired across the window a join was checked in.
const CODE_SPAN_PIECES: &[&str] = &[
    "`",
    "``",
    "`",
    "«",
    "»",
    "«\n",
    "\n»",
    " ",
    "mot",
    "Il a dit",
    "\n",
    "\n\n",
    "\r\n",
    "\u{a0}",
    "\n\u{a0}\n",
    "\n\u{c}\n",
    "\n  \n",
    "[",
    "](",
    ")",
    "<",
    ">",
    "\u{0}LINES",
    "\u{0}LONG",
];

fn draft_with_far_code_spans(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(CODE_SPAN_PIECES), 0..max_pieces).prop_map(|v| {
        v.concat()
            .replace("\u{0}LINES", &"\nune ligne".repeat(9))
            .replace("\u{0}LONG", &"é".repeat(520))
    })
}

fn draft_with_line_openings(max_pieces: usize) -> impl Strategy<Value = String> {
    let all: Vec<&'static str> = PIECES.iter().chain(LINE_OPENING_PIECES).copied().collect();
    prop::collection::vec(prop::sample::select(all), 0..max_pieces).prop_map(|v| v.concat())
}

fn draft_with_directives(max_pieces: usize) -> impl Strategy<Value = String> {
    let all: Vec<&'static str> = PIECES.iter().chain(DIRECTIVE_PIECES).copied().collect();
    prop::collection::vec(prop::sample::select(all), 0..max_pieces).prop_map(|v| v.concat())
}

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        // A failing case is kept in tests/properties.proptest-regressions and replayed first.
        ..ProptestConfig::default()
    }
}

#[derive(Debug, Clone)]
enum Change {
    Insert {
        at: (u32, u32),
        text: String,
    },
    Delete {
        from: (u32, u32),
        to: (u32, u32),
    },
    Replace {
        from: (u32, u32),
        to: (u32, u32),
        text: String,
    },
}

fn position() -> impl Strategy<Value = (u32, u32)> {
    // Mostly inside a small draft, sometimes past the end of a line or of the document.
    (0u32..6, 0u32..24)
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (position(), draft(4)).prop_map(|(at, text)| Change::Insert { at, text }),
        (position(), position()).prop_map(|(from, to)| Change::Delete { from, to }),
        (position(), position(), draft(4)).prop_map(|(from, to, text)| Change::Replace {
            from,
            to,
            text
        }),
    ]
}

impl Change {
    fn parts(&self) -> ((u32, u32), (u32, u32), &str) {
        match self {
            Change::Insert { at, text } => (*at, *at, text),
            Change::Delete { from, to } => (*from, *to, ""),
            Change::Replace { from, to, text } => (*from, *to, text),
        }
    }

    fn json(&self) -> Value {
        let ((sl, sc), (el, ec), text) = self.parts();
        json!({"range": {"start": {"line": sl, "character": sc},
                         "end": {"line": el, "character": ec}}, "text": text})
    }

    /// The same change on a string, with the repairs the server promises (positions clamped,
    /// reversed ranges swapped).
    fn apply(&self, text: &mut String, enc: Encoding) {
        let ((sl, sc), (el, ec), new) = self.parts();
        let index = LineIndex::new(text);
        let a = index.offset(sl as usize, sc as usize, enc);
        let b = index.offset(el as usize, ec as usize, enc);
        text.replace_range(a.min(b)..a.max(b), new);
    }
}

fn encoding_name(enc: Encoding) -> &'static str {
    match enc {
        Encoding::Utf8 => "utf-8",
        Encoding::Utf16 => "utf-16",
        Encoding::Utf32 => "utf-32",
    }
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop::sample::select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Utf32])
}

/// Diagnostics as comparable values: range, code, severity and message.
fn comparable(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {}",
                d["range"], d["code"], d["severity"], d["message"]
            )
        })
        .collect()
}

/// What the server should publish for `text`, computed from the analysis core and the string
/// index: the same ranges, codes and messages.
fn expected(text: &str, markdown: bool, enc: Encoding) -> Vec<String> {
    let index = LineIndex::new(text);
    let severity = |s: copydesk::Severity| match s {
        copydesk::Severity::Error => 1,
        copydesk::Severity::Warning => 2,
        copydesk::Severity::Information => 3,
        copydesk::Severity::Hint => 4,
    };
    analyze(text, &Config::default(), markdown)
        .findings
        .iter()
        .map(|f| {
            let (sl, sc) = index.position(f.range.start, enc);
            let (el, ec) = index.position(f.range.end, enc);
            let range = json!({"start": {"line": sl, "character": sc},
                               "end": {"line": el, "character": ec}});
            format!(
                "{} {} {} {}",
                range,
                json!(f.code),
                severity(f.severity),
                json!(f.message)
            )
        })
        .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(cases(48))]

    /// Random edit sessions, one change per `didChange` or several at once, through the
    /// in-process server: the incremental document ends with the same diagnostics as a document
    /// opened with the final text, and both match the analysis of the text the string model
    /// computed.
    #[test]
    fn incremental_sync_equals_full_sync(
        initial in draft(24),
        changes in prop::collection::vec(change(), 1..12),
        batch in any::<bool>(),
        markdown in any::<bool>(),
        enc in encoding(),
    ) {
        let mut text = initial.clone();
        for c in &changes {
            c.apply(&mut text, enc);
        }
        let (incremental, full) = runtime().block_on(async {
            let mut c = Client::in_process();
            c.initialize(&[encoding_name(enc)]).await;
            let (lang, ext) = if markdown { ("markdown", "md") } else { ("plaintext", "txt") };
            let a = format!("file:///tmp/incremental.{ext}");
            let b = format!("file:///tmp/full.{ext}");
            c.open(&a, lang, &initial).await;
            let mut version = 1;
            if batch {
                version += 1;
                let all: Vec<Value> = changes.iter().map(Change::json).collect();
                c.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": version}, "contentChanges": all})).await;
            } else {
                for ch in &changes {
                    version += 1;
                    c.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": version}, "contentChanges": [ch.json()]})).await;
                }
            }
            let incremental = c.diagnostics(&a, version).await;
            c.open(&b, lang, &text).await;
            let full = c.diagnostics(&b, 1).await;
            (incremental, full)
        });
        prop_assert_eq!(comparable(&incremental), comparable(&full));
        prop_assert_eq!(comparable(&full), expected(&text, markdown, enc));
    }

    /// Each quick fix and fix-all change only the bytes their edits name, and re-analysing the
    /// fixed text finds no more of any rule's findings than before.
    #[test]
    fn fixes_change_only_their_own_ranges(
        text in draft(40),
        markdown in any::<bool>(),
        lang in prop::sample::select(vec![LangSetting::Auto, LangSetting::Fr, LangSetting::En]),
    ) {
        fixes_hold(&text, markdown, Config { language: lang, ..Config::default() })?;
    }

    /// The same with inline directives about: no fix may make, break or move one.
    #[test]
    fn fixes_keep_directive_comments(
        text in draft_with_directives(40),
        markdown in any::<bool>(),
        lang in prop::sample::select(vec![LangSetting::Auto, LangSetting::Fr, LangSetting::En]),
    ) {
        fixes_hold(&text, markdown, Config { language: lang, ..Config::default() })?;
    }

    /// The same where lines open with Markdown markers after any whitespace: no fix may
    /// change whether a line starts a list item, a heading or a quote.
    #[test]
    fn fixes_keep_how_lines_open(
        text in draft_with_line_openings(40),
        markdown in any::<bool>(),
        lang in prop::sample::select(vec![LangSetting::Auto, LangSetting::Fr, LangSetting::En]),
        region in prop::sample::select(vec![Region::FrFr, Region::FrCa, Region::FrCh]),
    ) {
        fixes_hold(&text, markdown, Config { language: lang, region, ..Config::default() })?;
    }

    /// The same with lines longer than the windows the fix checks read around an edit.
    #[test]
    fn fixes_change_only_their_own_ranges_on_long_lines(
        text in draft_with_long_lines(40),
        markdown in any::<bool>(),
        lang in prop::sample::select(vec![LangSetting::Auto, LangSetting::Fr, LangSetting::En]),
        region in prop::sample::select(vec![Region::FrFr, Region::FrCa, Region::FrCh]),
    ) {
        fixes_hold(&text, markdown, Config { language: lang, region, ..Config::default() })?;
    }

    /// The same in Markdown where code spans may pair beyond the lines a fix check reads.
    #[test]
    fn fixes_change_only_their_own_ranges_around_far_code_spans(
        text in draft_with_far_code_spans(40),
        lang in prop::sample::select(vec![LangSetting::Auto, LangSetting::Fr]),
    ) {
        let config = Config { language: lang, ..Config::default() };
        fixes_hold(&text, true, config.clone())?;
        fixes_keep_the_masking(&text, &config)?;
    }

    /// The same in Quebec and Switzerland, whose spacing differs (no space before `; ! ?` in
    /// Quebec; narrow no-break spaces inside guillemets in Switzerland).
    #[test]
    fn fixes_change_only_their_own_ranges_in_every_region(
        text in draft(40),
        markdown in any::<bool>(),
        lang in prop::sample::select(vec![LangSetting::Auto, LangSetting::Fr]),
        region in prop::sample::select(vec![Region::FrCa, Region::FrCh]),
    ) {
        fixes_hold(&text, markdown, Config { language: lang, region, ..Config::default() })?;
    }

    /// Positions round-trip in every encoding, and the string index (command line) agrees with
    /// the rope conversions (server), also for untrusted positions past the ends.
    #[test]
    fn positions_round_trip_in_every_encoding(
        text in draft(40),
        probes in prop::collection::vec(position(), 0..16),
    ) {
        let rope = Rope::from_str(&text);
        let index = LineIndex::new(&text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                if text[..i].ends_with('\r') && text[i..].starts_with('\n') {
                    continue; // no LSP position names the middle of a CRLF
                }
                let (line, col) = index.position(i, enc);
                let p = to_position(&rope, i, enc);
                prop_assert_eq!((p.line as usize, p.character as usize), (line, col));
                prop_assert_eq!(index.offset(line, col, enc), i);
                prop_assert_eq!(to_offset(&rope, p, enc), i);
            }
            for &(line, col) in &probes {
                prop_assert_eq!(
                    index.offset(line as usize, col as usize, enc),
                    to_offset(&rope, tower_lsp_server::ls_types::Position::new(line, col), enc)
                );
            }
        }
    }
}

/// `fixed` is `text` with `edits` applied, every other byte identical.
fn assert_only_edits_changed(text: &str, edits: &[Edit], fixed: &str) -> Result<(), TestCaseError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let (mut at, mut out) = (0, 0);
    for e in sorted {
        prop_assert!(e.range.start >= at, "overlapping edits {:?}", edits);
        let keep = &text.as_bytes()[at..e.range.start];
        prop_assert_eq!(&fixed.as_bytes()[out..out + keep.len()], keep);
        out += keep.len();
        prop_assert_eq!(
            &fixed.as_bytes()[out..out + e.replacement.len()],
            e.replacement.as_bytes()
        );
        out += e.replacement.len();
        at = e.range.end;
    }
    prop_assert_eq!(&fixed.as_bytes()[out..], &text.as_bytes()[at..]);
    Ok(())
}

/// Every quick fix of a Markdown draft leaves what the whole draft's masking hides as it was
/// outside its edits, and what it writes unmasked: a stricter check than the findings' counts,
/// which a fix that hides or shows text may leave alike. (Not for teaser fixes, which write a
/// link on purpose; the drafts this runs on have no teaser.)
fn fixes_keep_the_masking(text: &str, config: &Config) -> Result<(), TestCaseError> {
    use copydesk::prose::mask::mask;
    let was = mask(text, true).text;
    for f in &analyze(text, config, true).findings {
        let Some(fix) = &f.fix else { continue };
        let mut edits: Vec<&Edit> = fix.edits.iter().collect();
        edits.sort_by_key(|e| e.range.start);
        // The draft's masking with each edit's text written unmasked in its place.
        let (mut expected, mut at) = (String::new(), 0);
        for e in edits {
            expected.push_str(&was[at..e.range.start]);
            expected.push_str(&e.replacement);
            at = e.range.end;
        }
        expected.push_str(&was[at..]);
        let now = mask(&apply_fix(text, fix), true).text;
        prop_assert!(
            now == expected,
            "the fix of {:?} changed the masking of {:?}",
            f,
            text
        );
    }
    Ok(())
}

/// Every fix and fix-all of `text` change only their own ranges and raise no rule's count.
fn fixes_hold(text: &str, markdown: bool, config: Config) -> Result<(), TestCaseError> {
    let before = analyze(text, &config, markdown);
    let counts = |a: &copydesk::Analysis| {
        let mut m: HashMap<&str, usize> = HashMap::new();
        for f in &a.findings {
            *m.entry(f.code).or_default() += 1;
        }
        m
    };
    let was = counts(&before);
    let check = |edits: &[Edit], fixed: &str, what: &str| -> Result<(), TestCaseError> {
        assert_only_edits_changed(text, edits, fixed)?;
        let after = analyze(fixed, &config, markdown);
        for (code, n) in counts(&after) {
            let old = was.get(code).copied().unwrap_or(0);
            prop_assert!(
                n <= old,
                "{} raised {} from {} to {}\nbefore: {:?}\nafter:  {:?}",
                what,
                code,
                old,
                n,
                text,
                fixed
            );
        }
        Ok(())
    };
    for f in &before.findings {
        if let Some(fix) = &f.fix {
            check(
                &fix.edits,
                &apply_fix(text, fix),
                &format!("the fix of {f:?}"),
            )?;
        }
    }
    let all = fix_all(text, &config, &before);
    check(&all, &apply_edits(text, &all), "fix-all")
}
