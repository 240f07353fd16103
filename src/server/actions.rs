//! Code actions: a quick fix per finding with a safe edit, and `source.fixAll.copydesk`.

use super::convert::{diagnostic, text_edit};
use super::documents::Snapshot;
use super::position::to_offset;
use crate::fixes::fix_all;
use crate::positions::Encoding;
use std::collections::HashMap;
use std::sync::LazyLock;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, Uri,
    WorkspaceEdit,
};

pub static FIX_ALL: LazyLock<CodeActionKind> =
    LazyLock::new(|| CodeActionKind::new("source.fixAll.copydesk"));

/// Whether `kind` was asked for: no filter, or a requested kind equal to it or above it.
fn wanted(only: Option<&Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|kinds| {
        kinds.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        })
    })
}

pub fn code_actions(
    s: &Snapshot,
    uri: &Uri,
    params: &CodeActionParams,
    enc: Encoding,
) -> Option<CodeActionResponse> {
    let start = to_offset(&s.rope, params.range.start, enc);
    let end = to_offset(&s.rope, params.range.end, enc).max(start);
    let only = params.context.only.as_ref();
    let lang = s.analysis.lang;
    let mut actions = Vec::new();
    if wanted(only, &CodeActionKind::QUICKFIX) {
        for f in &s.analysis.findings {
            let Some(fix) = &f.fix else { continue };
            let touches = |r: &std::ops::Range<usize>| r.start <= end && start <= r.end;
            if !touches(&f.range) && !fix.edits.iter().any(|e| touches(&e.range)) {
                continue;
            }
            let edits = fix
                .edits
                .iter()
                .map(|e| text_edit(&s.rope, e, enc))
                .collect();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(&s.rope, f, enc)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
    }
    if wanted(only, &FIX_ALL) {
        let edits = fix_all(&s.analysis.findings);
        if !edits.is_empty() {
            let edits = edits.iter().map(|e| text_edit(&s.rope, e, enc)).collect();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: lang
                    .pick(
                        "Corriger toute la typographie (copydesk)",
                        "Fix all typography (copydesk)",
                    )
                    .to_string(),
                kind: Some(FIX_ALL.clone()),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            }));
        }
    }
    Some(actions)
}
