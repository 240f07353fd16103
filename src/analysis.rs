//! The analysis: text in, findings out. Everything the rules, hovers and outline need is
//! computed here once per version of a draft.

use crate::attribution::{self, Attribution, Speakers};
use crate::config::{Config, Level};
use crate::directives;
use crate::finding::Finding;
use crate::language::Lang;
use crate::prose::{self, mask};
use crate::quotes::{self, Quotes};
use crate::rules::{Context, RULES};
use crate::teasers::{self, Teaser, TeaserForm};
use std::ops::Range;

/// What copydesk knows about one version of a draft.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub lang: Lang,
    pub markdown: bool,
    pub findings: Vec<Finding>,
    pub paragraphs: Vec<Range<usize>>,
    pub quotes: Quotes,
    /// Who said each quotation (parallel to `quotes.quotations`), speakers resolved: filled
    /// by `analyze_with(.., Speakers::Resolved)` only. [`analyze`] reads attributions for the
    /// rules and keeps none: the editor's diagnostics do not need them, hovers and the outline
    /// ask [`speakers`], and those of a 5 MB draft would hold about 7 MB.
    pub attributions: Vec<Attribution>,
    pub teasers: Vec<Teaser>,
}

/// Analyses a draft. `markdown` says whether the draft is Markdown (else plain text).
/// Speakers are left as written (see [`Speakers::AsWritten`]): the findings do not depend on
/// who a pronoun stands for, and resolving it costs as much as the rest of the analysis.
pub fn analyze(text: &str, config: &Config, markdown: bool) -> Analysis {
    analyze_with(text, config, markdown, Speakers::AsWritten)
}

/// Who said each quotation of a draft, pronouns and descriptions resolved to the people the
/// draft names (for hovers and the outline): parallel to `analyze(..).quotes.quotations`.
pub fn speakers(text: &str, config: &Config, markdown: bool) -> Vec<Attribution> {
    let p = prepare(text, config, markdown);
    attribution::attribute(
        &p.prose,
        text,
        p.lang,
        &p.paragraphs,
        &p.quotes,
        config,
        Speakers::Resolved,
    )
}

/// [`analyze`], with speakers resolved and kept in [`Analysis::attributions`]
/// ([`Speakers::Resolved`]) or neither (as [`analyze`]). The findings are the same either way.
pub fn analyze_with(text: &str, config: &Config, markdown: bool, who: Speakers) -> Analysis {
    analyze_reading_blank_lines(text, config, markdown, who).0
}

/// [`analyze_with`], and the draft's [`blank_lines`] read from the same masking (the
/// incremental engine checks them for every chunk).
pub(crate) fn analyze_reading_blank_lines(
    text: &str,
    config: &Config,
    markdown: bool,
    who: Speakers,
) -> (Analysis, BlankLines) {
    let Prepared {
        prose,
        lines,
        lang,
        paragraphs,
        quotes,
        teasers,
        silences,
    } = prepare(text, config, markdown);
    let blank = blank_lines_of(&prose, &lines);
    // Only `quote-unattributed` reads the attributions: with the rule off, the editor's
    // analysis skips the engine (two thirds of the time on French news).
    let unattributed = &crate::rules::quote_unattributed::RULE;
    let needed = who == Speakers::Resolved
        || config.level(unattributed.code, unattributed.default_severity) != Level::Off;
    let attributions = if needed {
        attribution::attribute(&prose, text, lang, &paragraphs, &quotes, config, who)
    } else {
        Vec::new()
    };
    let ctx = Context {
        text,
        prose: &prose,
        lang,
        markdown,
        paragraphs: &paragraphs,
        quotes: &quotes,
        attributions: &attributions,
        teasers: &teasers,
        config,
        masks: Default::default(),
    };
    let mut findings = Vec::new();
    for rule in RULES {
        let Level::On(severity) = config.level(rule.code, rule.default_severity) else {
            continue;
        };
        let first = findings.len();
        (rule.check)(&ctx, &mut findings);
        for f in &mut findings[first..] {
            f.severity = severity;
        }
    }
    if !silences.is_empty() {
        findings.retain(|f| !directives::is_silenced(&silences, f.code, f.range.start));
    }
    // No fix may change what the directive comments silence.
    let reach = directives::Reach::new(text);
    for f in &mut findings {
        if f.fix
            .as_ref()
            .is_some_and(|fix| !reach.keeps(text, &fix.edits))
        {
            f.fix = None;
        }
    }
    findings.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    let attributions = match who {
        Speakers::Resolved => attributions,
        Speakers::AsWritten => Vec::new(),
    };
    let analysis = Analysis {
        lang,
        markdown,
        findings,
        paragraphs,
        quotes,
        attributions,
        teasers,
    };
    (analysis, blank)
}

/// What the rules read besides the text: the prose with non-prose masked, its paragraphs,
/// quotations and teasers, the inline directives' silences.
struct Prepared {
    prose: String,
    lines: Vec<Range<usize>>,
    lang: Lang,
    paragraphs: Vec<Range<usize>>,
    quotes: Quotes,
    teasers: Vec<Teaser>,
    silences: Vec<directives::Silence>,
}

fn prepare(text: &str, config: &Config, markdown: bool) -> Prepared {
    let Masked {
        prose,
        lines,
        teasers,
        silences,
        standalone,
    } = masked(text, config, markdown);
    let lang = config.language.resolve(&prose);
    let paragraphs = prose::paragraphs(&prose, &lines, &standalone, markdown);
    let quotes = quotes::scan(&prose, &paragraphs);
    Prepared {
        prose,
        lines,
        lang,
        paragraphs,
        quotes,
        teasers,
        silences,
    }
}

/// The paragraphs of a draft, its quotations and its teasers, as [`analyze`] reads them
/// (without the attribution and the rules).
pub fn quotations(
    text: &str,
    config: &Config,
    markdown: bool,
) -> (Vec<Range<usize>>, Quotes, Vec<Teaser>) {
    let p = prepare(text, config, markdown);
    (p.paragraphs, p.quotes, p.teasers)
}

/// Where a draft's prose (as [`analyze`] masks it) has blank lines: before its first non-blank
/// line, between two non-blank lines, after its last one. A plain-text draft with none between
/// reads one paragraph per line. A line break that ends the text opens no line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlankLines {
    pub leading: bool,
    pub inner: bool,
    pub trailing: bool,
}

pub fn blank_lines(text: &str, config: &Config, markdown: bool) -> BlankLines {
    let m = masked(text, config, markdown);
    blank_lines_of(&m.prose, &m.lines)
}

/// [`blank_lines`] of masked prose and its lines.
fn blank_lines_of(prose: &str, lines: &[Range<usize>]) -> BlankLines {
    let mut lines = lines;
    if let [rest @ .., last] = lines
        && last.is_empty()
        && last.start > 0
    {
        lines = rest;
    }
    let blank = |l: &Range<usize>| prose[l.clone()].chars().all(char::is_whitespace);
    match (
        lines.iter().position(|l| !blank(l)),
        lines.iter().rposition(|l| !blank(l)),
    ) {
        (Some(first), Some(last)) => BlankLines {
            leading: first > 0,
            inner: lines[first..=last].iter().any(blank),
            trailing: last + 1 < lines.len(),
        },
        _ => BlankLines {
            leading: !lines.is_empty(),
            inner: false,
            trailing: !lines.is_empty(),
        },
    }
}

/// The language [`analyze`] reads a draft in: its setting, or the one detected in the prose.
/// Costs the masking and the detection, not the analysis.
pub fn language(text: &str, config: &Config, markdown: bool) -> Lang {
    config
        .language
        .resolve_with(|| crate::language::detect(&masked(text, config, markdown).prose))
}

/// The draft with non-prose masked, and what the masking found on the way.
struct Masked {
    prose: String,
    lines: Vec<Range<usize>>,
    teasers: Vec<Teaser>,
    silences: Vec<directives::Silence>,
    /// Lines that stand alone (teasers): never part of a paragraph.
    standalone: Vec<bool>,
}

fn masked(text: &str, config: &Config, markdown: bool) -> Masked {
    let mut masked = mask::mask(text, markdown);
    let lines = mask::line_ranges(text.as_bytes());
    let teasers = teasers::detect(text, &masked, &lines, &config.teaser_markers);
    let (directive_comments, silences) = directives::parse(text, &lines);
    // Teaser arrows and Markdown blockquote marks are layout, not quotation marks.
    let mut standalone = vec![false; lines.len()];
    // Directive comments are masked in plain text too.
    for c in &directive_comments {
        mask::fill(&mut masked.text, c.clone(), b' ');
    }
    for t in &teasers {
        if t.form == TeaserForm::Arrows {
            for m in &t.markers {
                mask::fill(&mut masked.text, m.clone(), b' ');
            }
        }
        let line = lines.partition_point(|l| l.end < t.range.start);
        if let Some(s) = standalone.get_mut(line) {
            *s = true;
        }
    }
    if markdown {
        for (i, line) in lines.iter().enumerate() {
            if standalone[i] {
                continue;
            }
            let prefix = masked.text.as_bytes()[line.clone()]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'>')
                .count();
            let prefix = line.start..line.start + prefix;
            if masked.text.as_bytes()[prefix.clone()].contains(&b'>') {
                mask::fill(&mut masked.text, prefix, b' ');
            }
        }
    }
    Masked {
        prose: masked.text,
        lines,
        teasers,
        silences,
        standalone,
    }
}

/// Whether a file name or editor language id means Markdown.
pub fn is_markdown_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".mdown", ".mkd", ".mdx"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}
