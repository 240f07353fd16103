//! The rules: one file each, holding its code, summary, explanation, check and tests.
//! To add a rule, write its file and list it in `RULES`.

pub mod guillemet_spacing;
pub mod punctuation_spacing;
pub mod quote_nesting;
pub mod quote_style;
pub mod quote_unattributed;
pub mod quote_unbalanced;
pub mod teaser_unlinked;
pub mod typography;

use crate::attribution::Attribution;
use crate::config::Config;
use crate::finding::{Finding, Severity};
use crate::language::Lang;
use crate::quotes::Quotes;
use crate::teasers::Teaser;
use std::ops::Range;

/// A text in both languages copydesk speaks.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub fr: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }
}

/// What the rules read: the draft, its prose, and what was found in it.
pub struct Context<'a> {
    /// The draft as typed.
    pub text: &'a str,
    /// The draft with non-prose masked (same byte offsets).
    pub prose: &'a str,
    pub lang: Lang,
    pub markdown: bool,
    pub paragraphs: &'a [Range<usize>],
    pub quotes: &'a Quotes,
    /// Who said each quotation (parallel to `quotes.quotations`).
    pub attributions: &'a [Attribution],
    pub teasers: &'a [Teaser],
    pub config: &'a Config,
    /// The last window the rules' masking checks read (see [`typography::WindowMasks`]).
    pub masks: typography::WindowMasks,
}

impl Context<'_> {
    /// The paragraph holding byte `at`.
    pub fn paragraph_of(&self, at: usize) -> Option<&Range<usize>> {
        let k = self.paragraphs.partition_point(|p| p.end < at);
        self.paragraphs
            .get(k)
            .filter(|p| p.start <= at && at <= p.end)
    }

    pub fn finding(
        &self,
        rule: &Rule,
        range: Range<usize>,
        message: impl Into<crate::finding::Str>,
    ) -> Finding {
        Finding {
            code: rule.code,
            range,
            severity: rule.default_severity,
            message: message.into(),
            fix: None,
        }
    }
}

pub struct Rule {
    /// Stable kebab-case code.
    pub code: &'static str,
    /// One line, for `copydesk rules`.
    pub summary: Text,
    /// What the rule checks, why it matters to the reader, and the fix: shown in hovers and by
    /// `copydesk explain`. Markdown.
    pub explanation: Text,
    pub default_severity: Severity,
    pub check: fn(&Context, &mut Vec<Finding>),
}

/// Every rule, in the order `copydesk rules` lists them.
pub static RULES: &[&Rule] = &[
    &guillemet_spacing::RULE,
    &quote_unbalanced::RULE,
    &quote_style::RULE,
    &quote_nesting::RULE,
    &punctuation_spacing::RULE,
    &quote_unattributed::RULE,
    &teaser_unlinked::RULE,
];

pub fn by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.code == code)
}

/// The explanation shown in hovers and by `copydesk explain`.
pub fn explain(rule: &Rule, lang: Lang) -> String {
    format!(
        "**{}** — {}\n\n{}",
        rule.code,
        rule.summary.get(lang),
        rule.explanation.get(lang)
    )
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the rules' own tests: analyse a snippet, keep one rule's findings.
    use crate::analysis::analyze;

    use crate::config::Config;
    use crate::finding::Finding;
    use crate::fixes::apply_fix;
    use crate::language::LangSetting;

    pub fn findings(text: &str, code: &str, lang: LangSetting, markdown: bool) -> Vec<Finding> {
        let config = Config {
            language: lang,
            ..Config::default()
        };
        analyze(text, &config, markdown)
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }

    pub fn fr(text: &str, code: &str) -> Vec<Finding> {
        findings(text, code, LangSetting::Fr, false)
    }

    pub fn en(text: &str, code: &str) -> Vec<Finding> {
        findings(text, code, LangSetting::En, false)
    }

    /// Applies the fix of each finding, one at a time from the end, and returns the result.
    pub fn fixed(text: &str, findings: &[Finding]) -> String {
        let mut out = text.to_string();
        let mut fixes: Vec<_> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
        fixes.sort_by_key(|f| std::cmp::Reverse(f.edits[0].range.start));
        for fix in fixes {
            out = apply_fix(&out, fix);
        }
        out
    }
}
