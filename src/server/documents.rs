//! Open documents: ropes edited incrementally, and the latest analysis of each.

use super::convert;
use super::position::to_offset;
use crate::analysis::{Analysis, analyze, speakers};
use crate::attribution::Attribution;
use crate::config::Config;
use crate::incremental::{Incremental, Pieces};
use crate::positions::Encoding;
use ropey::Rope;
use std::ops::Range;
use std::sync::{Arc, OnceLock};
use tokio::sync::watch;
use tower_lsp_server::ls_types::{
    self as lsp, Diagnostic, Position, TextDocumentContentChangeEvent,
};

pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub markdown: bool,
    /// The house style for this draft.
    pub config: Arc<Config>,
    /// The analysis of `version`, once computed.
    pub analysis: Option<Arc<Snapshot>>,
    /// The bytes changed since the analysis task last took the text (offsets in `rope`).
    pub dirty: Option<Range<usize>>,
    /// Wakes the document's analysis task; dropping it ends the task.
    pub wake: watch::Sender<()>,
}

/// One version of a document with its analysis.
pub struct Snapshot {
    pub version: i32,
    pub rope: Rope,
    pub config: Arc<Config>,
    /// The analysis, assembled from `pieces` when first asked for (hovers, code actions):
    /// publishing diagnostics does not need it.
    analysis: OnceLock<Analysis>,
    pieces: Option<Pieces>,
    /// Who said each quotation, pronouns resolved: computed when a hover or the outline asks.
    speakers: OnceLock<Vec<Attribution>>,
}

impl Snapshot {
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| {
            self.pieces
                .as_ref()
                .map(Pieces::analysis)
                .expect("a snapshot has its analysis or its pieces")
        })
    }

    /// The attribution of each quotation of [`Snapshot::analysis`], with pronouns and
    /// descriptions resolved to the people the draft names (the analysis leaves them as
    /// written: the diagnostics do not need them).
    pub fn speakers(&self) -> &[Attribution] {
        self.speakers.get_or_init(|| {
            let a = self.analysis();
            if a.quotes.quotations.is_empty() {
                return Vec::new();
            }
            speakers(&self.rope.to_string(), &self.config, a.markdown)
        })
    }
}

impl Document {
    /// Applies the changes of one `didChange`, in order. Returns a note for the log about any
    /// change whose range had to be repaired (past the end, or reversed).
    pub fn apply(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> Vec<String> {
        let mut dirty = self.dirty.take();
        let notes = apply_changes_tracking(&mut self.rope, changes, enc, |start, end, inserted| {
            mark_dirty(&mut dirty, start, end, inserted)
        });
        self.dirty = dirty;
        notes
    }

    /// The analysis of the current version, computed now if the background task has not yet.
    pub fn snapshot(&mut self) -> Arc<Snapshot> {
        if let Some(s) = &self.analysis
            && s.version == self.version
            && Arc::ptr_eq(&s.config, &self.config)
        {
            return s.clone();
        }
        let s = Arc::new(analyse(
            self.rope.clone(),
            self.version,
            self.markdown,
            self.config.clone(),
        ));
        self.analysis = Some(s.clone());
        s
    }
}

/// Brings a document's incremental analysis up to date with `rope` (`dirty`: what changed
/// since the engine last saw it) and returns the snapshot with its diagnostics. A missing
/// engine, or one made for another configuration, language mode or encoding, starts afresh.
/// The diagnostics of an analysis: LSP values, or (for the direct path, see `framing`) the
/// whole `publishDiagnostics` message already serialised.
pub enum Diagnostics {
    Values(Vec<Diagnostic>),
    Message(Vec<u8>),
}

/// Brings a document's incremental analysis up to date with `rope` (`dirty`: what changed
/// since the engine last saw it) and returns the snapshot with its diagnostics (serialised as
/// a `publishDiagnostics` message for `uri` when `serialised`). A missing engine, or one made
/// for another configuration, language mode or encoding, starts afresh.
#[allow(clippy::too_many_arguments)]
pub fn analyse_incremental(
    engine: Option<Incremental>,
    rope: Rope,
    dirty: Option<Range<usize>>,
    version: i32,
    markdown: bool,
    config: Arc<Config>,
    enc: Encoding,
    serialised: Option<&lsp::Uri>,
) -> (Incremental, Snapshot, Diagnostics) {
    let engine = match engine {
        Some(mut e)
            if Arc::ptr_eq(e.config(), &config)
                && e.markdown() == markdown
                && e.encoding() == enc =>
        {
            if let Some(dirty) = dirty {
                e.update(&rope, dirty);
            }
            e
        }
        _ => Incremental::new(&rope, config.clone(), markdown, enc),
    };
    let each = engine.chunks().iter().flat_map(|chunk| {
        let line = chunk.first_line as u32;
        let data = &chunk.data;
        data.analysis
            .findings
            .iter()
            .zip(&data.spans)
            .map(move |(f, s)| {
                let range = lsp::Range::new(
                    lsp::Position::new(s[0] + line, s[1]),
                    lsp::Position::new(s[2] + line, s[3]),
                );
                convert::diagnostic_at(f, range)
            })
    });
    let diagnostics = match serialised {
        None => Diagnostics::Values(each.collect()),
        // Each diagnostic is serialised as soon as it is made: a draft with 30,000 findings
        // never holds 30,000 `Diagnostic` values, only their JSON.
        Some(uri) => {
            let mut out =
                br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#
                    .to_vec();
            let mut ok = serde_json::to_writer(&mut out, uri).is_ok();
            out.extend_from_slice(br#","diagnostics":["#);
            for (k, d) in each.enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                ok &= serde_json::to_writer(&mut out, &d).is_ok();
            }
            out.extend_from_slice(format!(r#"],"version":{version}}}}}"#).as_bytes());
            if !ok {
                eprintln!("copydesk: cannot serialise diagnostics");
            }
            Diagnostics::Message(out)
        }
    };
    let snapshot = Snapshot {
        version,
        rope,
        config,
        analysis: OnceLock::new(),
        pieces: Some(engine.pieces()),
        speakers: OnceLock::new(),
    };
    (engine, snapshot, diagnostics)
}

pub fn analyse(rope: Rope, version: i32, markdown: bool, config: Arc<Config>) -> Snapshot {
    let text = rope.to_string();
    let analysis = analyze(&text, &config, markdown);
    Snapshot {
        version,
        rope,
        config,
        analysis: OnceLock::from(analysis),
        pieces: None,
        speakers: OnceLock::new(),
    }
}

/// Applies the changes of one `didChange` to `rope`, in order: the server's edit path, public so
/// that the fuzzers and property tests drive exactly the code the server runs. Never panics: a
/// range past the end is clamped to the end and a reversed range is swapped; each repair is
/// returned as a note for the log.
pub fn apply_changes(
    rope: &mut Rope,
    changes: Vec<TextDocumentContentChangeEvent>,
    enc: Encoding,
) -> Vec<String> {
    apply_changes_tracking(rope, changes, enc, |_, _, _| {})
}

/// Records in `dirty` that bytes `start..end` were replaced by `inserted` bytes: afterwards it
/// covers every byte that differs from the text the analysis last saw.
fn mark_dirty(dirty: &mut Option<Range<usize>>, start: usize, end: usize, inserted: usize) {
    let moved = |p: usize| {
        if p <= start {
            p
        } else if p >= end {
            p - (end - start) + inserted
        } else {
            start + inserted
        }
    };
    let new = start..start + inserted;
    *dirty = Some(match dirty.take() {
        None => new,
        Some(d) => moved(d.start).min(new.start)..moved(d.end).max(new.end),
    });
}

/// [`apply_changes`], telling `edited(start, end, inserted)` about each replacement made (byte
/// offsets in the text as it was just before that replacement).
pub fn apply_changes_tracking(
    rope: &mut Rope,
    changes: Vec<TextDocumentContentChangeEvent>,
    enc: Encoding,
    mut edited: impl FnMut(usize, usize, usize),
) -> Vec<String> {
    let mut notes = Vec::new();
    for change in changes {
        let Some(range) = change.range else {
            let old = rope.len_bytes();
            *rope = Rope::from_str(&change.text);
            edited(0, old, change.text.len());
            continue;
        };
        let len = rope.len_bytes();
        let past_end = |p: &Position| p.line as usize >= rope.len_lines();
        if past_end(&range.start) || past_end(&range.end) {
            notes.push(format!(
                "an edit's range {}:{}–{}:{} runs past the end of the document; clamped to the end",
                range.start.line, range.start.character, range.end.line, range.end.character
            ));
        }
        let mut start = to_offset(rope, range.start, enc);
        let mut end = to_offset(rope, range.end, enc);
        if start > end {
            notes.push(format!(
                "an edit's range {}:{}–{}:{} ends before it starts; applied as {}:{}–{}:{}",
                range.start.line,
                range.start.character,
                range.end.line,
                range.end.character,
                range.end.line,
                range.end.character,
                range.start.line,
                range.start.character
            ));
            std::mem::swap(&mut start, &mut end);
        }
        let (start, end) = (start.min(len), end.min(len));
        let start_char = rope.byte_to_char(start);
        let end_char = rope.byte_to_char(end);
        rope.remove(start_char..end_char);
        rope.insert(start_char, &change.text);
        edited(start, end, change.text.len());
    }
    notes
}
