//! Code actions: a quick fix per finding with a safe edit, and `source.fixAll.copydesk`.

use super::convert::{diagnostic, text_edit};
use super::documents::Snapshot;
use super::position::{to_offset, to_position};
use crate::directives::disable_next_line;
use crate::fixes::fix_all;
use crate::language::Lang;
use crate::positions::Encoding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, Range,
    TextEdit, Uri, WorkspaceEdit,
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

/// What a fix-all action left to resolve carries: the document and the version it was offered
/// for.
#[derive(Serialize, Deserialize)]
struct FixAllData {
    uri: Uri,
    version: i32,
}

/// The code actions for `params`. With `lazy` (the client resolves an action's `edit` and keeps
/// its `data`), fix-all offered among all actions (no `only`: the light bulb, asked at every
/// cursor move) comes without its edit, computed on `codeAction/resolve` ([`resolve`]): fix-all
/// analyses the fixed draft again to check it.
pub fn code_actions(
    s: &Snapshot,
    uri: &Uri,
    params: &CodeActionParams,
    enc: Encoding,
    lazy: bool,
) -> Option<CodeActionResponse> {
    let start = to_offset(&s.rope, params.range.start, enc);
    let end = to_offset(&s.rope, params.range.end, enc).max(start);
    let only = params.context.only.as_ref();
    let lang = s.analysis().lang;
    let mut actions = Vec::new();
    if wanted(only, &CodeActionKind::QUICKFIX) {
        for f in &s.analysis().findings {
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
                title: fix.title.to_string(),
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
    if wanted(only, &CodeActionKind::QUICKFIX) {
        // Silencing a rule on one line: the escape hatch when a finding is deliberate.
        let rope = &s.rope;
        let newline = if rope.line(0).to_string().ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let mut seen = Vec::new();
        for f in &s.analysis().findings {
            if !(f.range.start <= end && start <= f.range.end) {
                continue;
            }
            let line = rope.byte_to_line(f.range.start);
            if seen.contains(&(line, f.code)) {
                continue;
            }
            seen.push((line, f.code));
            let line_start = rope.line_to_byte(line);
            let line_text = rope.line(line).to_string();
            let comment = disable_next_line(&line_text, 0, f.code, newline);
            let at = to_position(rope, line_start, enc);
            let edit = TextEdit {
                range: Range::new(at, at),
                new_text: comment,
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: match lang {
                    Lang::Fr => format!("Désactiver {} pour cette ligne", f.code),
                    Lang::En => format!("Disable {} for this line", f.code),
                },
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(rope, f, enc)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            }));
        }
    }
    if wanted(only, &FIX_ALL) && s.analysis().findings.iter().any(|f| f.fix.is_some()) {
        let mut action = CodeAction {
            title: lang
                .pick(
                    "Corriger toute la typographie (copydesk)",
                    "Fix all typography (copydesk)",
                )
                .to_string(),
            kind: Some(FIX_ALL.clone()),
            ..CodeAction::default()
        };
        if lazy && only.is_none() {
            action.data = serde_json::to_value(FixAllData {
                uri: uri.clone(),
                version: s.version,
            })
            .ok();
            actions.push(CodeActionOrCommand::CodeAction(action));
        } else if let Some(edit) = fix_all_edit(s, uri, enc) {
            action.edit = Some(edit);
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
    }
    Some(actions)
}

/// The edit of fix-all on snapshot `s` of `uri`; `None` when no fix is safe.
fn fix_all_edit(s: &Snapshot, uri: &Uri, enc: Encoding) -> Option<WorkspaceEdit> {
    let edits = fix_all(&s.rope.to_string(), &s.config, s.analysis());
    if edits.is_empty() {
        return None;
    }
    let edits = edits.iter().map(|e| text_edit(&s.rope, e, enc)).collect();
    Some(WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    })
}

/// The document a fix-all action left to resolve was offered for, or why it cannot be
/// resolved. Actions without `data` are returned as they are (they are complete).
pub fn resolve_target(action: &CodeAction) -> Result<Option<(Uri, i32)>> {
    let Some(data) = &action.data else {
        return Ok(None);
    };
    if action.kind.as_ref() != Some(&*FIX_ALL) || action.edit.is_some() {
        return Ok(None);
    }
    let d: FixAllData = serde_json::from_value(data.clone()).map_err(|e| {
        Error::invalid_params(format!(
            "codeAction/resolve: this is not a fix-all action copydesk offered ({e})"
        ))
    })?;
    Ok(Some((d.uri, d.version)))
}

/// Resolves fix-all on snapshot `s` (of the document the action was offered for): its edit,
/// empty when no fix is safe. A draft edited since the action was offered is an error
/// (`ContentModified`): its edits would be computed for another text.
pub fn resolve(
    s: &Snapshot,
    uri: &Uri,
    version: i32,
    mut action: CodeAction,
    enc: Encoding,
) -> Result<CodeAction> {
    if s.version != version {
        let mut e = Error::content_modified();
        e.message = format!(
            "the draft changed since fix-all was offered (version {version}, now {}); ask for code actions again",
            s.version
        )
        .into();
        return Err(e);
    }
    action.edit = Some(fix_all_edit(s, uri, enc).unwrap_or_default());
    action.data = None;
    Ok(action)
}
