//! Findings and edits as LSP values.

use super::position::to_range;
use crate::finding::{Edit, Finding, Severity};
use crate::positions::Encoding;
use ropey::Rope;
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Range, TextEdit};

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(rope: &Rope, f: &Finding, enc: Encoding) -> Diagnostic {
    diagnostic_at(f, to_range(rope, &f.range, enc))
}

/// A finding as a diagnostic, its range already converted.
pub fn diagnostic_at(f: &Finding, range: Range) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.to_string())),
        source: Some("copydesk".to_string()),
        message: f.message.to_string(),
        ..Diagnostic::default()
    }
}

pub fn text_edit(rope: &Rope, e: &Edit, enc: Encoding) -> TextEdit {
    TextEdit {
        range: to_range(rope, &e.range, enc),
        new_text: e.replacement.to_string(),
    }
}
