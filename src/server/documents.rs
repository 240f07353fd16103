//! Open documents: ropes edited incrementally, and the latest analysis of each.

use super::convert;
use super::position::to_offset;
use crate::analysis::{Analysis, analyze};
use crate::config::Config;
use crate::incremental::{Incremental, Pieces};
use crate::positions::Encoding;
use ropey::Rope;
use std::ops::Range;
use std::sync::{Arc, OnceLock};
use tokio::sync::watch;
use tower_lsp_server::ls_types::{self as lsp, Diagnostic, TextDocumentContentChangeEvent};

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
}

impl Document {
    /// Applies the changes of one `didChange`, in order. Returns a note for the log about any
    /// change whose range had to be repaired (past the end, or reversed).
    pub fn apply(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        for change in changes {
            let Some(range) = change.range else {
                let old = self.rope.len_bytes();
                self.rope = Rope::from_str(&change.text);
                self.mark_dirty(0, old, change.text.len());
                continue;
            };
            let len = self.rope.len_bytes();
            let past_end =
                |p: &tower_lsp_server::ls_types::Position| p.line as usize >= self.rope.len_lines();
            if past_end(&range.start) || past_end(&range.end) {
                notes.push(format!("an edit's range {}:{}–{}:{} runs past the end of the document; clamped to the end", range.start.line, range.start.character, range.end.line, range.end.character));
            }
            let mut start = to_offset(&self.rope, range.start, enc);
            let mut end = to_offset(&self.rope, range.end, enc);
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
            let start_char = self.rope.byte_to_char(start);
            let end_char = self.rope.byte_to_char(end);
            self.rope.remove(start_char..end_char);
            self.rope.insert(start_char, &change.text);
            self.mark_dirty(start, end, change.text.len());
        }
        notes
    }

    /// Records that bytes `start..end` were replaced by `inserted` bytes.
    fn mark_dirty(&mut self, start: usize, end: usize, inserted: usize) {
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
        self.dirty = Some(match self.dirty.take() {
            None => new,
            Some(d) => moved(d.start).min(new.start)..moved(d.end).max(new.end),
        });
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
pub fn analyse_incremental(
    engine: Option<Incremental>,
    rope: Rope,
    dirty: Option<Range<usize>>,
    version: i32,
    markdown: bool,
    config: Arc<Config>,
    enc: Encoding,
) -> (Incremental, Snapshot, Vec<Diagnostic>) {
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
    let mut diagnostics = Vec::new();
    for chunk in engine.chunks() {
        let line = chunk.first_line as u32;
        let data = &chunk.data;
        for (f, s) in data.analysis.findings.iter().zip(&data.spans) {
            let range = lsp::Range::new(
                lsp::Position::new(s[0] + line, s[1]),
                lsp::Position::new(s[2] + line, s[3]),
            );
            diagnostics.push(convert::diagnostic_at(f, range));
        }
    }
    let snapshot = Snapshot {
        version,
        rope,
        config,
        analysis: OnceLock::new(),
        pieces: Some(engine.pieces()),
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
    }
}
