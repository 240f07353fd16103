//! Open documents: ropes edited incrementally, and the latest analysis of each.

use super::position::to_offset;
use crate::analysis::{Analysis, analyze};
use crate::config::Config;
use crate::positions::Encoding;
use ropey::Rope;
use std::sync::Arc;
use tokio::sync::watch;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub markdown: bool,
    /// The house style for this draft.
    pub config: Arc<Config>,
    /// The analysis of `version`, once computed.
    pub analysis: Option<Arc<Snapshot>>,
    /// Wakes the document's analysis task; dropping it ends the task.
    pub wake: watch::Sender<()>,
}

/// One version of a document with its analysis.
pub struct Snapshot {
    pub version: i32,
    pub rope: Rope,
    pub config: Arc<Config>,
    pub analysis: Analysis,
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
                self.rope = Rope::from_str(&change.text);
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
        }
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

pub fn analyse(rope: Rope, version: i32, markdown: bool, config: Arc<Config>) -> Snapshot {
    let text = rope.to_string();
    let analysis = analyze(&text, &config, markdown);
    Snapshot {
        version,
        rope,
        config,
        analysis,
    }
}
