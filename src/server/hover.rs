//! Hover: the explanation of what is under the cursor — a finding, a teaser.

use super::documents::Snapshot;
use super::position::{to_offset, to_range};
use crate::positions::Encoding;
use crate::rules;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

fn covers(range: &std::ops::Range<usize>, at: usize) -> bool {
    range.start <= at && (at < range.end || (range.is_empty() && at == range.start))
}

pub fn hover(s: &Snapshot, pos: Position, enc: Encoding) -> Option<Hover> {
    let at = to_offset(&s.rope, pos, enc);
    let a = s.analysis();
    let lang = a.lang;
    let mut parts = Vec::new();
    let mut span = None;
    for f in a.findings.iter().filter(|f| covers(&f.range, at)) {
        span.get_or_insert(f.range.clone());
        let Some(rule) = rules::by_code(f.code) else {
            continue;
        };
        let mut part = format!("{}\n\n{}", f.message, rules::explain(rule, lang));
        if let Some(fix) = &f.fix {
            part.push_str(&format!(
                "\n\n{} *{}*",
                lang.pick("Correction proposée\u{a0}:", "Quick fix:"),
                fix.title
            ));
        }
        parts.push(part);
    }
    for t in a.teasers.iter().filter(|t| covers(&t.range, at)) {
        span.get_or_insert(t.range.clone());
        parts.push(match &t.link {
            Some(link) => format!(
                "{} `{link}`",
                lang.pick(
                    "Renvoi vers un autre article, lié à",
                    "Teaser to another article, linked to"
                )
            ),
            None => lang
                .pick(
                    "Renvoi vers un autre article, sans lien.",
                    "Teaser to another article, with no link.",
                )
                .to_string(),
        });
    }
    let span = span?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: Some(to_range(&s.rope, &span, enc)),
    })
}
