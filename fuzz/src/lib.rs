//! What the fuzz targets share: reading options from the input, and the invariants every
//! analysis must hold whatever the draft.

//!
//! Plain functions over plain types, so that the main test suite can include this file
//! (`tests/fuzz_regressions.rs`) and replay every crash the fuzzers found.

use copydesk::config::Region;
use copydesk::fixes::{apply_edits, apply_fix, combine, fix_all};
use copydesk::incremental::{Incremental, Limits};
use copydesk::positions::{Encoding, LineIndex};
use copydesk::server::documents::apply_changes;
use copydesk::server::position::{to_offset, to_position, to_range};
use copydesk::{Analysis, Config, Edit, LangSetting, analyze};
use ropey::Rope;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent};

/// The analysis options a fuzz input's first byte chooses: bit 0 Markdown, bits 1–2 the
/// language (auto, fr, en), bits 3–4 the region (France, Quebec, Switzerland).
pub fn options(flags: u8) -> (Config, bool) {
    let config = Config {
        language: match (flags >> 1) & 3 {
            1 => LangSetting::Fr,
            2 => LangSetting::En,
            _ => LangSetting::Auto,
        },
        region: match (flags >> 3) & 3 {
            1 => Region::FrCa,
            2 => Region::FrCh,
            _ => Region::FrFr,
        },
        ..Config::default()
    };
    (config, flags & 1 == 1)
}

fn on_boundaries(text: &str, r: &Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

/// Whether `edits` touch no byte twice (an insertion may sit at the end of a replacement).
fn disjoint(edits: &[Edit]) -> bool {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    sorted.windows(2).all(|w| {
        w[0].range.end <= w[1].range.start
            && !(w[0].range.start == w[1].range.start && w[0].range.is_empty())
    })
}

/// Checks that `fixed` is `text` with `edits` applied and nothing else changed.
fn only_edits_changed(text: &str, edits: &[Edit], fixed: &str) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let (mut at, mut out_at) = (0, 0);
    for e in sorted {
        let keep = &text[at..e.range.start];
        assert_eq!(
            &fixed[out_at..out_at + keep.len()],
            keep,
            "bytes outside the edits changed"
        );
        out_at += keep.len();
        assert_eq!(&fixed[out_at..out_at + e.replacement.len()], e.replacement);
        out_at += e.replacement.len();
        at = e.range.end;
    }
    assert_eq!(
        &fixed[out_at..],
        &text[at..],
        "bytes after the last edit changed"
    );
}

fn counts(a: &Analysis) -> HashMap<&'static str, usize> {
    let mut m = HashMap::new();
    for f in &a.findings {
        *m.entry(f.code).or_insert(0) += 1;
    }
    m
}

/// The invariants of one analysis of `text`: findings and edits sit on character boundaries
/// inside the text, each fix's edits are disjoint and apply cleanly, changing only their own
/// bytes, and fix-all does not collide. With `strict` (the fuzz target's default), fix-all must
/// also add no finding of any rule, and a fix its own check left out must add none alone.
pub fn check(text: &str, config: &Config, markdown: bool, strict: bool) -> Analysis {
    let a = analyze(text, config, markdown);
    for f in &a.findings {
        assert!(
            on_boundaries(text, &f.range),
            "finding {f:?} in {} bytes",
            text.len()
        );
        if let Some(fix) = &f.fix {
            assert!(!fix.edits.is_empty(), "a fix without edits: {f:?}");
            for e in &fix.edits {
                assert!(on_boundaries(text, &e.range), "edit {e:?} of {f:?}");
            }
            assert!(disjoint(&fix.edits), "overlapping edits in {f:?}");
            let fixed = apply_fix(text, fix);
            only_edits_changed(text, &fix.edits, &fixed);
        }
    }
    let all = fix_all(text, config, &a);
    assert!(disjoint(&all), "fix-all edits collide: {all:?}");
    if !all.is_empty() {
        let fixed = apply_edits(text, &all);
        only_edits_changed(text, &all, &fixed);
        let again = analyze(&fixed, config, markdown);
        if strict {
            raises_nothing(&a, &again, text, &fixed, "fix-all");
        }
    }
    // Fix-all checks its own result and leaves out fixes that together add a finding; that must
    // not hide a quick fix that adds one alone. So the fixes the check left out (taken by the
    // unchecked combination, not by fix-all) are checked alone: the first 16, so that an input
    // of hundreds of interacting fixes stays a few milliseconds (all of them took seconds).
    // (When fix-all took every fix, there is nothing left out, and no need to combine again.)
    let every_fix: usize = a
        .findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .map(|fix| fix.edits.len())
        .sum();
    if strict && all.len() < every_fix {
        let combined = combine(text, markdown, &a.findings);
        if all != combined {
            let left_out = a.findings.iter().filter(|f| {
                f.fix.as_ref().is_some_and(|fix| {
                    fix.edits
                        .iter()
                        .all(|e| combined.contains(e) && !all.contains(e))
                })
            });
            for f in left_out.take(16) {
                let fixed = apply_fix(text, f.fix.as_ref().expect("filtered on its fix"));
                let again = analyze(&fixed, config, markdown);
                raises_nothing(&a, &again, text, &fixed, &format!("the fix of {f:?}"));
            }
        }
    }
    a
}

/// Asserts that no rule finds more in `again` (the analysis of `fixed`) than in `a` (of `text`).
fn raises_nothing(a: &Analysis, again: &Analysis, text: &str, fixed: &str, what: &str) {
    let (before, after) = (counts(a), counts(again));
    for (code, n) in &after {
        let was = before.get(code).copied().unwrap_or(0);
        assert!(
            *n <= was,
            "{what} raised {code} from {was} to {n}\nbefore: {text:?}\nafter:  {fixed:?}"
        );
    }
}

/// The encoding a fuzz input's option byte chooses (bits 5–7).
pub fn encoding(flags: u8) -> Encoding {
    match (flags >> 5) % 3 {
        0 => Encoding::Utf8,
        1 => Encoding::Utf16,
        _ => Encoding::Utf32,
    }
}

/// One `didChange` content change: a whole-text replacement, or a ranged edit given as
/// untrusted (line, column) pairs.
#[derive(Debug, Clone)]
pub struct Change {
    pub full: bool,
    pub start: (u32, u32),
    pub end: (u32, u32),
    pub text: String,
}

/// The edit on a string, with the repairs the server promises: positions clamped to the document
/// and to character starts, a reversed range swapped. Returns the bytes that changed, in the new
/// text.
fn apply_to_string(text: &mut String, c: &Change, enc: Encoding) -> Range<usize> {
    if c.full {
        *text = c.text.clone();
        return 0..text.len();
    }
    let index = LineIndex::new(text);
    let mut a = index.offset(c.start.0 as usize, c.start.1 as usize, enc);
    let mut b = index.offset(c.end.0 as usize, c.end.1 as usize, enc);
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    text.replace_range(a..b, &c.text);
    a..a + c.text.len()
}

/// Applies `changes` one by one to a rope through the server's edit path and to a string with
/// the string-based line index: the texts are equal after every change, and the final analysis
/// converts to the same LSP ranges on the rope as on the string. The incremental engine, cutting
/// the draft finely, follows the same edits and ends with the full analysis's result, and the
/// speakers resolved for hovers match the analysis's quotations.
pub fn check_edits(initial: &str, changes: &[Change], flags: u8) {
    let enc = encoding(flags);
    let (config, markdown) = options(flags);
    let mut rope = Rope::from_str(initial);
    let mut text = initial.to_string();
    // Cut finely; regions stay on one thread (a thread per update would slow every run).
    let limits = Limits {
        min_chunked: 0,
        chunk_target: 40,
        ..Limits::default()
    };
    let config = Arc::new(config);
    let mut engine = Incremental::with_limits(initial, config.clone(), markdown, enc, limits);
    for c in changes {
        let event = TextDocumentContentChangeEvent {
            range: (!c.full).then(|| {
                tower_lsp_server::ls_types::Range::new(
                    Position::new(c.start.0, c.start.1),
                    Position::new(c.end.0, c.end.1),
                )
            }),
            range_length: None,
            text: c.text.clone(),
        };
        apply_changes(&mut rope, vec![event], enc);
        let dirty = apply_to_string(&mut text, c, enc);
        assert_eq!(rope.to_string(), text, "after {c:?}");
        engine.update(&rope, dirty);
    }
    let analysis = analyze(&text, &config, markdown);
    assert_eq!(
        format!("{:?}", engine.analysis()),
        format!("{analysis:?}"),
        "incremental != full for {text:?}"
    );
    let speakers = copydesk::analysis::speakers(&text, &config, markdown);
    assert_eq!(speakers.len(), analysis.quotes.quotations.len());
    let index = LineIndex::new(&text);
    for f in &analysis.findings {
        let r = to_range(&rope, &f.range, enc);
        let (sl, sc) = index.position(f.range.start, enc);
        let (el, ec) = index.position(f.range.end, enc);
        assert_eq!(
            (r.start.line, r.start.character, r.end.line, r.end.character),
            (sl as u32, sc as u32, el as u32, ec as u32),
            "{f:?}"
        );
    }
}

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

/// Between the two bytes of a CRLF: no LSP position names that offset.
fn inside_crlf(text: &str, i: usize) -> bool {
    text[..i].ends_with('\r') && text[i..].starts_with('\n')
}

/// Offsets round-trip through (line, column) in every encoding, and the string-based
/// `LineIndex` (command line) agrees with the rope conversions (server), at `offsets` (every
/// offset of a short text) and at untrusted `positions`.
pub fn check_positions(text: &str, offsets: &[usize], positions: &[(u32, u32)]) {
    let rope = Rope::from_str(text);
    let index = LineIndex::new(text);
    let offsets: Vec<usize> = if text.len() <= 256 {
        (0..=text.len()).collect()
    } else {
        offsets.iter().map(|&o| o % (text.len() + 1)).collect()
    };
    for enc in ENCODINGS {
        for &i in &offsets {
            // Inside a character both sides name the character's start.
            let start = (0..=i)
                .rev()
                .find(|&k| text.is_char_boundary(k))
                .unwrap_or(0);
            if inside_crlf(text, start) {
                continue;
            }
            let (line, col) = index.position(i, enc);
            let p = to_position(&rope, i, enc);
            assert_eq!(
                (p.line as usize, p.character as usize),
                (line, col),
                "{enc:?} at {i}"
            );
            assert_eq!(
                index.offset(line, col, enc),
                start,
                "{enc:?} round trip at {i}"
            );
            assert_eq!(
                to_offset(&rope, p, enc),
                start,
                "{enc:?} rope round trip at {i}"
            );
        }
        for &(line, col) in positions {
            let from_string = index.offset(line as usize, col as usize, enc);
            let from_rope = to_offset(&rope, Position::new(line, col), enc);
            assert_eq!(from_string, from_rope, "{enc:?} at {line}:{col}");
            assert!(text.is_char_boundary(from_rope));
        }
    }
}

/// Words a configuration is made of, so that generated settings reach past "unknown key".
const CONFIG_WORDS: &[&str] = &[
    "language",
    "region",
    "nbsp",
    "rules",
    "cues",
    "teasers",
    "files",
    "fr",
    "en",
    "auto",
    "markers",
    "ignore",
    "path",
    "trace",
    "server",
    "enable",
    "fr-FR",
    "fr-CA",
    "fr-CH",
    "U+00A0",
    "U+202F",
    "narrow",
    "\u{a0}",
    "off",
    "error",
    "warning",
    "info",
    "hint",
    "archives/**",
    "**/{a,",
    "[",
    "Sur le même sujet",
    "İSTANBUL",
    "martèle",
    "",
    " ",
];

/// A JSON value built from `bytes` (a cursor that yields zeros once exhausted): nested objects
/// and arrays whose keys and strings mostly come from [`CONFIG_WORDS`] and the rule codes.
fn json_from_bytes(bytes: &mut std::slice::Iter<'_, u8>, depth: usize) -> serde_json::Value {
    use serde_json::Value;
    fn next(bytes: &mut std::slice::Iter<'_, u8>) -> u8 {
        bytes.next().copied().unwrap_or(0)
    }
    fn word(bytes: &mut std::slice::Iter<'_, u8>) -> String {
        let codes: Vec<&str> = copydesk::rules::RULES.iter().map(|r| r.code).collect();
        let n = CONFIG_WORDS.len() + codes.len();
        match next(bytes) as usize % (n + 1) {
            i if i < CONFIG_WORDS.len() => CONFIG_WORDS[i].to_string(),
            i if i < n => codes[i - CONFIG_WORDS.len()].to_string(),
            _ => {
                let len = next(bytes) % 8;
                let raw: Vec<u8> = (0..len).map(|_| next(bytes)).collect();
                String::from_utf8_lossy(&raw).into_owned()
            }
        }
    }
    let kind = if depth == 0 { 6 } else { next(bytes) % 8 };
    match kind {
        0 => Value::Null,
        1 => Value::Bool(next(bytes) & 1 == 1),
        2 => Value::from(i64::from(next(bytes) as i8) * 1_000_003),
        3 => Value::from(f64::from(next(bytes)) / 7.0),
        4 | 5 if depth < 4 => {
            let len = next(bytes) % 4;
            Value::Array(
                (0..len)
                    .map(|_| json_from_bytes(bytes, depth + 1))
                    .collect(),
            )
        }
        6 | 7 if depth < 4 => {
            let len = next(bytes) % 6;
            let mut map = serde_json::Map::new();
            for _ in 0..len {
                let key = word(bytes);
                map.insert(key, json_from_bytes(bytes, depth + 1));
            }
            Value::Object(map)
        }
        _ => Value::String(word(bytes)),
    }
}

/// A short draft that uses what `config` configures: its teaser markers and cues, as written
/// and upper-cased, around quotations and high punctuation.
fn draft_for(config: &Config) -> String {
    let mut draft = String::from(
        "# Titre\n\n« Oui », a dit le maire ; puis : « non ! »\n\nHe said “yes” and ‘no’.\n\n",
    );
    for m in config.teaser_markers.iter().take(3) {
        draft.push_str(&format!(
            "{m} : [lien](https://x.fr/a)\n{} Titre\n\n",
            m.to_uppercase()
        ));
    }
    for c in config.cues_fr.iter().chain(&config.cues_en).take(4) {
        draft.push_str(&format!(
            "« Non », {c} la ministre. “No,” {} he.\n",
            c.to_uppercase()
        ));
    }
    draft
}

/// Checks the problems `from_toml` reported for `text`: lines inside the text, spans on its
/// character boundaries.
fn check_problems(text: Option<&str>, problems: &[copydesk::settings::Problem]) {
    for p in problems {
        match text {
            Some(text) => {
                let lines = text.split('\n').count();
                if let Some(line) = p.line {
                    assert!((1..=lines).contains(&line), "{p:?} in {lines} lines");
                }
                if let Some(s) = &p.span {
                    assert!(on_boundaries(text, s), "{p:?} in {} bytes", text.len());
                }
            }
            None => assert!(p.line.is_none() && p.span.is_none(), "{p:?}"),
        }
        assert!(!p.message.is_empty(), "{p:?}");
    }
}

/// The `config` target: `data` as `copydesk.toml` text, as editor settings when it is JSON,
/// and as a generated JSON value; the editor's settings over the file's, as the server reads
/// them. Reading never panics, problems point inside the text, and every resulting `Config`
/// analyses a short draft that uses it.
pub fn check_config(data: &[u8]) {
    use copydesk::settings::{from_editor, from_toml};
    let text = String::from_utf8_lossy(data);
    let (from_file, problems) = from_toml(&text, &Config::default());
    check_problems(Some(&text), &problems);
    let mut configs = vec![from_file.clone()];
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let (c, problems) = from_editor(&value, &from_file);
        check_problems(None, &problems);
        configs.push(c);
    }
    let value = json_from_bytes(&mut data.iter(), 0);
    let (c, problems) = from_editor(&value, &from_file);
    check_problems(None, &problems);
    configs.push(c);
    // The same configuration analyses the same draft the same way: once is enough (most inputs
    // leave every source at the defaults; this makes a run about three times faster).
    let mut distinct: Vec<Config> = Vec::with_capacity(configs.len());
    for c in configs {
        if !distinct.contains(&c) {
            distinct.push(c);
        }
    }
    let configs = distinct;
    for config in &configs {
        let draft = draft_for(config);
        check(&draft, config, true, false);
        check(&draft, config, false, false);
    }
}
