//! What the analysis reports: findings with byte ranges and safe fixes.
//! Nothing here knows about the Language Server Protocol.

use std::borrow::Cow;
use std::ops::Range;

/// Text a finding carries: most messages, titles and replacements are the same for many
/// findings and are not allocated for each (`Cow::Borrowed` of a static string).
pub type Str = Cow<'static, str>;

/// How loudly a finding is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }

    /// Parses the names used in configuration files and settings.
    pub fn parse(name: &str) -> Option<Severity> {
        match name {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// One replacement of a byte range of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: Str,
}

/// A safe edit that repairs a finding. It changes only the bytes its edits name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Shown in the editor's quick-fix menu, in the document's language.
    pub title: Str,
    pub edits: Vec<Edit>,
}

/// Something a copy desk would send back, located by byte offsets in the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub range: Range<usize>,
    pub severity: Severity,
    pub message: Str,
    pub fix: Option<Fix>,
}
