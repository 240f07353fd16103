//! Incremental analysis equals a full analysis, after any sequence of edits.

use copydesk::incremental::{Incremental, Limits};
use copydesk::positions::{Encoding, LineIndex};
use copydesk::{Config, LangSetting, analyze};
use proptest::prelude::*;
use std::sync::Arc;

/// Pieces drafts are made of, chosen for what reaches across paragraphs: quotation marks that
/// run on, attributions found in the paragraph before (a colon that introduces, a quotation
/// continued, `Et d'ajouter`), teasers whose title is on the next line, Markdown blocks, line
/// breaks of every kind, and words of both languages (so that detection can flip).
const PIECES: &[&str] = &[
    "Le maire a dit",
    " la piscine",
    " selon elle",
    " the council said",
    " and the mayor",
    " « ",
    " » ",
    "«",
    "»",
    "“",
    "”",
    "‘",
    "’",
    "\"",
    "'",
    " : ",
    ":",
    " ; ",
    " ! ",
    "?",
    ".",
    ", a-t-il déclaré.",
    " he said.",
    ", poursuit-elle. ",
    " a déclaré la ministre :",
    " Et d'ajouter : ",
    " Elle ",
    "« Nous verrons. »",
    "\"We will see,\" ",
    " she told reporters:",
    " Marie Curie",
    "\n",
    "\n\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    "   ",
    "\t",
    "\u{a0}",
    "\u{202f}",
    "é",
    "😀",
    "À lire aussi :",
    "À lire aussi : Le port rouvre",
    ">> Le maire démissionne <<",
    "Read more:",
    "[lien](https://j.fr/a)",
    "[Le port][p]",
    "\n[p]: https://j.fr/p\n",
    "https://exemple.fr/a?b=1",
    "redaction@journal.fr",
    "\n    code « x »",
    "\n- item « a",
    "\n1. point",
    "\n# Titre",
    "\n---\n",
    "---\n",
    "<<",
    ">>",
    "`code`",
    "M. Dupont",
    "\n> cité",
    "Suite",
    "\nLire aussi",
    "\n\nSuite",
];

/// Pieces whose reach has no bound: rarer, since any of them makes the draft one piece.
const RISKY: &[&str] = &[
    "```",
    "~~~",
    "<!-- note -->",
    "<!--",
    "-->",
    "<!-- copydesk-disable guillemet-spacing -->",
    "<!-- copydesk-enable -->",
    "<!-- copydesk-disable-next-line -->",
];

/// How paragraphs open: mostly words (where drafts may be cut), sometimes marks that carry a
/// quotation or a Markdown block over from the paragraph before.
const OPENERS: &[&str] = &[
    "Le",
    "The",
    "Il",
    "Selon",
    "Mais",
    "Read",
    "Lire",
    "2024",
    "Élodie",
    "Et d'ajouter : « ",
    "https://j.fr « ",
    "La ministre a déclaré :",
    "Selon lui, « ",
    "« ",
    "» ",
    "“",
    "\"",
    "> ",
    "- ",
    "    ",
    "À lire aussi :",
    ">> ",
    "# ",
    "---",
    "[p]: https://j.fr/p",
    "x",
];

const SEPARATORS: &[&str] = &["\n\n", "\n\n", "\n\n", "\n", "\r\n\r\n", "\n \n", "\n\n\n"];

#[derive(Debug, Clone)]
enum Piece {
    Safe(usize),
    Risky(usize),
}

/// A piece; one in `1 + safe` is risky.
fn weighted(safe: u32) -> impl Strategy<Value = Piece> {
    prop_oneof![
        safe => (0..PIECES.len()).prop_map(Piece::Safe),
        1 => (0..RISKY.len()).prop_map(Piece::Risky),
    ]
}

fn piece() -> impl Strategy<Value = Piece> {
    weighted(400)
}

fn render(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Safe(i) => PIECES[*i],
            Piece::Risky(i) => RISKY[*i],
        })
        .collect()
}

/// A draft: paragraphs of an opener and pieces, separated mostly by blank lines.
fn draft() -> impl Strategy<Value = String> {
    draft_with(SEPARATORS)
}

/// Line breaks only: a draft that reads one paragraph per line (until a piece brings a blank
/// line in).
const LINE_BREAKS: &[&str] = &["\n", "\n", "\r\n", "\r"];

fn draft_with(separators: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            0..OPENERS.len(),
            prop::collection::vec(piece(), 0..12),
            0..separators.len(),
        ),
        5..60,
    )
    .prop_map(move |paragraphs| {
        let mut s = String::new();
        for (open, body, sep) in paragraphs {
            s.push_str(OPENERS[open]);
            s.push_str(&render(&body));
            s.push_str(separators[sep]);
        }
        s
    })
}

fn floor_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    delete: usize,
    insert: Vec<Piece>,
}

/// An edit whose inserted pieces are risky one time in `1 + safe`.
fn edit(safe: u32) -> impl Strategy<Value = Edit> {
    (
        0.0..1.0f64,
        prop_oneof![Just(0usize), 1..4usize, 0..200usize],
        prop::collection::vec(weighted(safe), 0..4),
    )
        .prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

fn same(
    engine: &Incremental,
    text: &str,
    config: &Config,
    markdown: bool,
) -> Result<(), TestCaseError> {
    let full = analyze(text, config, markdown);
    let inc = engine.analysis();
    prop_assert_eq!(format!("{inc:#?}"), format!("{full:#?}"));
    // Lines and columns, as diagnostics carry them.
    let index = LineIndex::new(text);
    let expected: Vec<[u32; 4]> = full
        .findings
        .iter()
        .map(|f| {
            let (l0, c0) = index.position(f.range.start, Encoding::Utf16);
            let (l1, c1) = index.position(f.range.end, Encoding::Utf16);
            [l0 as u32, c0 as u32, l1 as u32, c1 as u32]
        })
        .collect();
    prop_assert_eq!(engine.spans().collect::<Vec<_>>(), expected);
    Ok(())
}

fn check(
    mut text: String,
    edits: Vec<Edit>,
    markdown: bool,
    language: LangSetting,
) -> Result<(), TestCaseError> {
    let config = Arc::new(Config {
        language,
        ..Config::default()
    });
    // Cut small drafts finely, so that every edit meets chunk boundaries, and read regions of
    // four chunks or more on several threads, as long drafts are.
    let limits = Limits {
        min_chunked: 0,
        chunk_target: 40,
        parallel_from: 0,
    };
    let mut engine = Incremental::with_limits(
        text.as_str(),
        config.clone(),
        markdown,
        Encoding::Utf16,
        limits,
    );
    same(&engine, &text, &config, markdown)?;
    for e in edits {
        let start = floor_boundary(&text, (e.at * text.len() as f64) as usize);
        let end = floor_boundary(&text, start + e.delete);
        let insert = render(&e.insert);
        text.replace_range(start..end, &insert);
        engine.update(text.as_str(), start..start + insert.len());
        same(&engine, &text, &config, markdown)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_full_plain_text(
        doc in draft(),
        edits in prop::collection::vec(edit(400), 1..12),
        lang in prop_oneof![Just(LangSetting::Auto), Just(LangSetting::Fr), Just(LangSetting::En)],
    ) {
        check(doc, edits, false, lang)?;
    }

    #[test]
    fn incremental_equals_full_markdown(
        doc in draft(),
        edits in prop::collection::vec(edit(400), 1..12),
    ) {
        check(doc, edits, true, LangSetting::Auto)?;
    }

    /// Drafts written one paragraph per line, cut between lines; edits may bring a blank line
    /// in (and the draft then reads blank-line paragraphs) or take it out.
    #[test]
    fn incremental_equals_full_one_paragraph_per_line(
        doc in draft_with(LINE_BREAKS),
        edits in prop::collection::vec(edit(400), 1..12),
        lang in prop_oneof![Just(LangSetting::Auto), Just(LangSetting::Fr), Just(LangSetting::En)],
    ) {
        check(doc, edits, false, lang)?;
    }

    /// Edits that open or close unbounded constructs (code fences, comments, directives).
    #[test]
    fn incremental_equals_full_with_risky_edits(
        doc in draft(),
        edits in prop::collection::vec(edit(8), 1..12),
        markdown in any::<bool>(),
    ) {
        check(doc, edits, markdown, LangSetting::Auto)?;
    }
}
