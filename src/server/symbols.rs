//! Document symbols: the article's sources — its quotations grouped by speaker — as an outline.

use super::documents::Snapshot;
use super::position::to_range;
use crate::attribution::sources;
use crate::positions::Encoding;
use tower_lsp_server::ls_types::{DocumentSymbol, SymbolKind};

/// The words of a quotation, shortened for an outline line.
fn label(s: &Snapshot, range: &std::ops::Range<usize>) -> String {
    let end = range.end.min(s.rope.len_bytes());
    let start = range.start.min(end);
    let text: String = s.rope.byte_slice(start..end).to_string();
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    const MAX: usize = 60;
    if joined.chars().count() <= MAX {
        joined
    } else {
        let cut: String = joined.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written out.
pub fn document_symbols(s: &Snapshot, enc: Encoding) -> Vec<DocumentSymbol> {
    let a = s.analysis();
    let lang = a.lang;
    sources(&a.quotes, &a.paragraphs, s.speakers())
        .into_iter()
        .map(|source| {
            let children: Vec<DocumentSymbol> = source
                .quotations
                .iter()
                .map(|q| {
                    let range = to_range(&s.rope, &q.range, enc);
                    DocumentSymbol {
                        name: label(s, &q.range),
                        detail: q.cue.clone(),
                        kind: SymbolKind::STRING,
                        tags: None,
                        deprecated: None,
                        range,
                        selection_range: range,
                        children: None,
                    }
                })
                .collect();
            let first = source.quotations.first().map_or(0, |q| q.range.start);
            let last = source
                .quotations
                .iter()
                .map(|q| q.range.end)
                .max()
                .unwrap_or(first);
            let range = to_range(&s.rope, &(first..last), enc);
            let n = children.len();
            let name = source
                .speaker
                .unwrap_or_else(|| lang.pick("Sans attribution", "Unattributed").to_string());
            DocumentSymbol {
                name,
                detail: Some(match lang {
                    crate::language::Lang::Fr => {
                        format!("{n} citation{}", if n > 1 { "s" } else { "" })
                    }
                    crate::language::Lang::En => {
                        format!("{n} quotation{}", if n > 1 { "s" } else { "" })
                    }
                }),
                kind: SymbolKind::OBJECT,
                tags: None,
                deprecated: None,
                range,
                selection_range: children.first().map_or(range, |c| c.selection_range),
                children: Some(children),
            }
        })
        .collect()
}
