//! Reading a draft: what is prose, where paragraphs and sentences are.

pub mod mask;
pub mod sentences;

use std::ops::Range;

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// A line that is a block of its own in Markdown: a heading or a list item.
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with('#') {
        return true;
    }
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        return true;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits < 4 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))
}

/// Splits a masked draft into paragraphs (byte ranges, without trailing line breaks).
///
/// Paragraphs are separated by blank lines. A draft with no blank line at all is typed one
/// paragraph per line, as newsroom systems export it, so there each line is a paragraph.
/// `standalone[i]` marks lines that are paragraphs by themselves (teasers); in Markdown,
/// headings and list items also start a new paragraph.
pub fn paragraphs(
    masked: &str,
    lines: &[Range<usize>],
    standalone: &[bool],
    markdown: bool,
) -> Vec<Range<usize>> {
    let first = lines.iter().position(|l| !is_blank(&masked[l.clone()]));
    let last = lines.iter().rposition(|l| !is_blank(&masked[l.clone()]));
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    // Markdown always separates paragraphs with blank lines (CommonMark).
    let line_mode = !markdown
        && !lines[first..=last]
            .iter()
            .any(|l| is_blank(&masked[l.clone()]));
    let mut out = Vec::new();
    let mut current: Option<Range<usize>> = None;
    for (i, line) in lines.iter().enumerate() {
        let s = &masked[line.clone()];
        if is_blank(s) {
            out.extend(current.take());
            continue;
        }
        let alone = standalone.get(i).copied().unwrap_or(false);
        let breaks = line_mode || alone || (markdown && starts_block(s));
        match current.as_mut() {
            Some(p) if !breaks => p.end = line.end,
            _ => {
                out.extend(current.take());
                current = Some(line.clone());
            }
        }
        if alone || (markdown && s.trim_start().starts_with('#')) {
            out.extend(current.take());
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prose::mask::line_ranges;

    fn paras(text: &str, markdown: bool) -> Vec<&str> {
        let lines = line_ranges(text.as_bytes());
        paragraphs(text, &lines, &[], markdown)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn blank_lines_separate() {
        assert_eq!(paras("a\nb\n\nc\r\n\r\nd", false), ["a\nb", "c", "d"]);
    }

    #[test]
    fn without_blank_lines_each_line_is_a_paragraph() {
        assert_eq!(paras("\na\nb\nc\n", false), ["a", "b", "c"]);
        // Markdown follows CommonMark: consecutive lines are one paragraph.
        assert_eq!(paras("a\nb", true), ["a\nb"]);
    }

    #[test]
    fn markdown_headings_and_lists() {
        assert_eq!(
            paras("# T\ntexte\nsuite\n\n- un\n- deux", true),
            ["# T", "texte\nsuite", "- un", "- deux"]
        );
    }
}
