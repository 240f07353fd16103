//! The settings the analysis honours. Loading them from `copydesk.toml` or editor settings
//! lives in `settings`; this is the resolved form the rules read.

use crate::finding::Severity;
use crate::language::LangSetting;
use std::collections::HashMap;

pub const NBSP: char = '\u{00A0}';
pub const NNBSP: char = '\u{202F}';

/// French typographic conventions that differ between countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Region {
    /// France: no-break space before `:`, narrow no-break space before `; ! ?`.
    #[default]
    FrFr,
    /// Quebec: no space at all before `; ! ?`, no-break space before `:`.
    FrCa,
    /// Switzerland: narrow no-break spaces everywhere.
    FrCh,
}

impl Region {
    pub fn parse(value: &str) -> Option<Region> {
        match value.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "fr-fr" | "fr" | "fr-be" => Some(Region::FrFr),
            "fr-ca" => Some(Region::FrCa),
            "fr-ch" => Some(Region::FrCh),
            _ => None,
        }
    }
}

/// A rule's level: a severity, or switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub language: LangSetting,
    pub region: Region,
    /// The no-break space fixes insert before `:` and inside guillemets; `None` keeps the
    /// region's choice (U+00A0 in France and Quebec, U+202F in Switzerland).
    pub nbsp: Option<char>,
    /// Per-rule levels, by rule code; rules not named keep their default severity.
    pub levels: HashMap<String, Level>,
    /// Extra reporting cues (verbs or phrases), as written in drafts.
    pub cues_fr: Vec<String>,
    pub cues_en: Vec<String>,
    /// Extra teaser markers, lower-cased.
    pub teaser_markers: Vec<String>,
    /// File globs the command line skips.
    pub ignore: Vec<String>,
}

impl Config {
    /// The space that fixes insert for guillemets and colons.
    pub fn wide_space(&self) -> char {
        self.nbsp.unwrap_or(if self.region == Region::FrCh {
            NNBSP
        } else {
            NBSP
        })
    }

    /// The space that fixes insert before `; ! ?`: the narrow one, unless configured.
    pub fn narrow_space(&self) -> char {
        self.nbsp.unwrap_or(NNBSP)
    }

    pub fn level(&self, code: &str, default: Severity) -> Level {
        self.levels.get(code).copied().unwrap_or(Level::On(default))
    }
}
