//! Teasers: lines that send the reader to another article (`>> Titre <<`, `À lire aussi : …`,
//! `Read more: …`), and whether they carry a link.

use crate::prose::mask::{Masked, RegionKind};
use std::ops::Range;

/// The markers that open a teaser line, lower-case. `true`: the marker may be followed directly
/// by the title (`LIRE AUSSI Netflix débarque`); `false`: it needs a separator or nothing after
/// it, because the words also start ordinary sentences (`Related to this, …`).
const MARKERS: &[(&str, bool)] = &[
    ("à lire aussi", true),
    ("a lire aussi", true),
    ("à lire également", true),
    ("a lire également", true),
    ("lire aussi", true),
    ("lire également", true),
    ("à voir aussi", true),
    ("a voir aussi", true),
    ("voir aussi", true),
    ("voir également", true),
    ("à voir également", true),
    ("read more", false),
    ("related", false),
    ("also read", true),
    ("read also", true),
    ("see also", false),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeaserForm {
    /// `>> Titre <<`
    Arrows,
    /// `À lire aussi : …`, `Read more: …`
    Marker,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Teaser {
    /// The teaser's text, from its marker to the end of its line (or of the next line when the
    /// title sits there).
    pub range: Range<usize>,
    /// The arrows or the marker words.
    pub markers: Vec<Range<usize>>,
    pub form: TeaserForm,
    /// Where the teaser points, when it carries a link.
    pub link: Option<String>,
}

/// Finds the teasers of a draft. `lines` are the draft's line ranges; `extra` adds markers
/// (lower-case) from the configuration.
pub fn detect(
    text: &str,
    masked: &Masked,
    lines: &[Range<usize>],
    extra: &[String],
) -> Vec<Teaser> {
    let refs: std::collections::HashSet<&str> = masked
        .regions
        .iter()
        .filter_map(|r| match &r.kind {
            RegionKind::RefDefinition { label, .. } => Some(label.as_str()),
            _ => None,
        })
        .collect();
    let mut teasers = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let original = &text[line.clone()];
        let lead = original.len() - original.trim_start().len();
        let content = line.start + lead..line.end - (original.len() - original.trim_end().len());
        if content.is_empty() {
            continue;
        }
        // A teaser-looking line inside code or a comment is not prose.
        if masked.text.as_bytes()[content.start] != text.as_bytes()[content.start] {
            continue;
        }
        let Some((form, markers)) = teaser_markers(text, content.clone(), extra) else {
            continue;
        };
        let mut range = content.clone();
        let after_marker = markers.first().map_or(content.end, |m| m.end);
        let tail = text[after_marker..content.end].trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(c, ':' | '*' | '_' | '-' | '–' | '—' | '→' | '>' | '»' | '|')
        });
        if form == TeaserForm::Marker && tail.is_empty() {
            // `À lire aussi :` alone: the title is on the next non-blank line.
            if let Some(next) = lines[i + 1..]
                .iter()
                .find(|l| !text[(*l).clone()].trim().is_empty())
            {
                range.end = next.start + text[next.clone()].trim_end().len();
            }
        }
        let link = link_in(text, masked, range.clone(), &refs);
        teasers.push(Teaser {
            range,
            markers,
            form,
            link,
        });
    }
    teasers
}

/// Whether a line (without its line break) reads as a teaser by its markers or arrows, as
/// [`detect`] reads it (links aside).
pub(crate) fn line_reads_as_teaser(line: &str, extra: &[String]) -> bool {
    let content = line.trim();
    let lead = line.len() - line.trim_start().len();
    !content.is_empty() && teaser_markers(line, lead..lead + content.len(), extra).is_some()
}

/// List bullets, heading hashes, blockquote marks, emphasis and spaces, which may stand before
/// a teaser's marker.
fn before_marker(c: char) -> bool {
    matches!(c, '*' | '_' | '#' | '-' | '+' | '>' | '•' | '■' | '►' | '▶') || c.is_whitespace()
}

/// The built-in markers' first three bytes, packed little-endian, and their lengths.
const MARKER_HEADS: [(u32, usize); MARKERS.len()] = {
    let mut heads = [(0, 0); MARKERS.len()];
    let mut i = 0;
    while i < MARKERS.len() {
        let m = MARKERS[i].0.as_bytes();
        let mut packed = 0;
        let mut k = 0;
        while k < 3 && k < m.len() {
            packed |= (m[k] as u32) << (8 * k);
            k += 1;
        }
        heads[i] = (packed, m.len());
        i += 1;
    }
    heads
};

/// Whether no marker starts with the first `n` (2 or 3) bytes of `b`, ASCII, lower-cased: a
/// marker shorter than that might, and is read in full elsewhere.
fn no_marker_starts(b: &[u8], n: usize, extra: &[String]) -> bool {
    let head = &b[..n];
    if !head.is_ascii() {
        return false;
    }
    let mut lower = [0; 3];
    for (l, c) in lower.iter_mut().zip(head) {
        *l = c.to_ascii_lowercase();
    }
    let lower = &lower[..n];
    let packed = lower
        .iter()
        .enumerate()
        .fold(0, |v, (k, &c)| v | u32::from(c) << (8 * k));
    let mask = (1 << (8 * n)) - 1;
    !MARKER_HEADS
        .iter()
        .any(|&(head, len)| len < n || head & mask == packed)
        && !extra
            .iter()
            .any(|m| m.len() < n || &m.as_bytes()[..n] == lower)
}

/// For a line that [`line_reads_as_teaser`] rejects by its first two or three characters: how
/// many of its bytes settle that, so that an edit after them leaves it no teaser. The line
/// neither opens with `>>` (arrows) nor has, after its bullets and emphasis, two (or three)
/// characters that a marker starts with (ASCII, none but the first a space, so that what
/// follows cannot move them).
pub(crate) fn settled_no_teaser(line: &str, extra: &[String]) -> Option<usize> {
    let lead = line.len() - line.trim_start().len();
    let s = line.trim();
    if s.starts_with(">>") {
        return None;
    }
    let skip = s.len() - s.trim_start_matches(before_marker).len();
    let b = &s.as_bytes()[skip..];
    // `Selon`, `Reste`: their first two letters start a marker (`see also`, `read more`), not
    // their first three.
    (2..=3)
        .take_while(|&n| b.len() >= n && !char::from(b[n - 1]).is_whitespace())
        .find(|&n| no_marker_starts(b, n, extra))
        .map(|n| lead + skip + n)
}

#[allow(clippy::single_range_in_vec_init)] // a list of marker ranges that has one here
fn teaser_markers(
    text: &str,
    content: Range<usize>,
    extra: &[String],
) -> Option<(TeaserForm, Vec<Range<usize>>)> {
    let s = &text[content.clone()];
    if s.len() >= 4 && s.starts_with(">>") && s.ends_with("<<") {
        let end = content.end;
        return Some((
            TeaserForm::Arrows,
            vec![content.start..content.start + 2, end - 2..end],
        ));
    }
    // Skip list bullets, heading hashes, blockquote marks and emphasis before the marker.
    let skip = s.len() - s.trim_start_matches(before_marker).len();
    let start = content.start + skip;
    let rest = &text[start..content.end];
    // Most lines open with two letters no marker opens with (French lines open with `Le`,
    // `La`, `Selon`…: a first letter alone lets a third of them through): no need to lower-case
    // their heads. (A capital sigma lower-cases by what follows it: not filtered.)
    rest.chars().next()?;
    let b = rest.as_bytes();
    let markers = || {
        MARKERS
            .iter()
            .map(|&(m, _)| m)
            .chain(extra.iter().map(String::as_str))
    };
    if b.len() >= 2 && b[..2].is_ascii() {
        // Two or three ASCII characters (most lines): compared as bytes with the markers'
        // first ones, which match only when they are those characters (a marker shorter than
        // that is read in full below). Three tell `Selon` from `see also`.
        if no_marker_starts(b, 2, extra) || b.len() >= 3 && no_marker_starts(b, 3, extra) {
            return None;
        }
    } else if !rest.chars().take(2).any(|c| c == 'Σ') {
        let mut low = rest.chars().flat_map(char::to_lowercase);
        let low = [low.next(), low.next()];
        if !markers().any(|m| m.chars().take(2).zip(low).all(|(c, l)| Some(c) == l)) {
            return None;
        }
    }
    // Markers are short: lower-casing the head of the line is enough. (A capital sigma lower-
    // cases by what follows it, so a line holding one is lower-cased whole.)
    let longest = extra
        .iter()
        .map(|m| m.chars().count())
        .max()
        .unwrap_or(0)
        .max(32);
    let head = rest
        .char_indices()
        .nth(longest + 1)
        .filter(|_| !rest.contains('Σ'))
        .map_or(rest, |(k, _)| &rest[..k]);
    let lower = head.to_lowercase();
    let builtin = MARKERS.iter().map(|&(m, free)| (m, free));
    let extras = extra.iter().map(|m| (m.as_str(), true));
    for (marker, free) in builtin.chain(extras) {
        if marker.is_empty() || !lower.starts_with(marker) {
            continue;
        }
        // Lower-casing can change byte lengths (rarely); map back by characters.
        let chars = marker.chars().count();
        let len: usize = rest.chars().take(chars).map(char::len_utf8).sum();
        let after = &rest[len..];
        if after.chars().next().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let after = after.trim_start_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
        let separated = after.is_empty()
            || after.starts_with([':', '-', '–', '—', '→', '>', '»', '|', '[', '<']);
        if separated || free {
            let marker = start..start + len;
            return Some((TeaserForm::Marker, vec![marker]));
        }
    }
    None
}

/// The link target found in `range`: a URL, a Markdown link with a non-empty target, an
/// `<a href>` with a non-empty target, or a reference link whose label is defined.
fn link_in(
    text: &str,
    masked: &Masked,
    range: Range<usize>,
    refs: &std::collections::HashSet<&str>,
) -> Option<String> {
    // Regions are sorted by start: look only at those starting inside the teaser, so that a
    // draft of many teasers and many links stays linear.
    let first = masked
        .regions
        .partition_point(|r| r.range.start < range.start);
    for region in masked.regions[first..]
        .iter()
        .take_while(|r| r.range.start < range.end)
    {
        if region.range.end > range.end {
            continue;
        }
        match &region.kind {
            RegionKind::Url => {
                return Some(
                    text[region.range.clone()]
                        .trim_matches(['<', '>'])
                        .to_string(),
                );
            }
            RegionKind::LinkTarget { target } if !target.is_empty() => return Some(target.clone()),
            RegionKind::HtmlTag { href: Some(h) } if !h.is_empty() => return Some(h.clone()),
            _ => {}
        }
    }
    let s = &text[range];
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { break };
        let inner = &after[..close];
        let next = &after[close + 1..];
        let label = if let Some(r) = next.strip_prefix('[') {
            let l = &r[..r.find(']').unwrap_or(0)];
            if l.trim().is_empty() { inner } else { l }
        } else {
            inner
        };
        let label = label.trim().to_lowercase();
        if refs.contains(&label.as_str()) {
            return Some(format!("[{label}]"));
        }
        rest = &after[close + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prose::mask::{line_ranges, mask};

    #[test]
    fn a_line_settled_as_no_teaser_stays_none_whatever_follows() {
        let extra = ["zz top".to_string()];
        let lines = [
            "Le maire a dit",
            // Settled by three letters: `se` and `re` start markers, `sel` and `res` none.
            "  - **Selon** lui",
            "Reste à voir",
            "Rea",
            "\u{a0}Ab»",
            "Zy",
            ">> Titre <<",
            "- Lire aussi : x",
            "a lire",
            "Zz top",
            "é",
            "a",
            "A\u{b}b",
            "» Hier",
            "",
        ];
        let tails = [
            "",
            "<<",
            " <<",
            "x",
            " : lien",
            "\u{a0}:",
            "  ",
            "\u{a0}»<<",
        ];
        let mut settled = 0;
        for line in lines {
            let Some(k) = settled_no_teaser(line, &extra) else {
                continue;
            };
            settled += 1;
            assert!(!line_reads_as_teaser(line, &extra), "{line:?}");
            for tail in tails {
                let edited = format!("{}{tail}{}", &line[..k], &line[k..]);
                assert!(!line_reads_as_teaser(&edited, &extra), "{edited:?}");
                let cut = format!("{}{tail}", &line[..k]);
                assert!(!line_reads_as_teaser(&cut, &extra), "{cut:?}");
            }
        }
        assert_eq!(settled, 5);
    }

    #[test]
    fn markers_are_read_in_any_case_past_the_two_letter_filter() {
        let none: &[String] = &[];
        for line in [
            "À LIRE AUSSI : le budget",
            "- a lire aussi : le budget",
            "**Voir aussi** → le budget",
            "READ MORE: the budget",
            "Related: the budget",
        ] {
            assert!(line_reads_as_teaser(line, none), "{line}");
        }
        for line in [
            "Le maire a lu",
            "Selon lui, rien",
            "Lire ne suffit pas",
            "Réel",
            "L",
            "ΣΑ",
        ] {
            assert!(!line_reads_as_teaser(line, none), "{line}");
        }
        // House markers, one letter long or opening with a capital sigma.
        let extra = ["x".to_string(), "σς".to_string()];
        assert!(line_reads_as_teaser("X : le budget", &extra));
        assert!(line_reads_as_teaser("ΣΣ : le budget", &extra));
        assert!(!line_reads_as_teaser("Y : le budget", &extra));
        // Two ASCII letters are compared as bytes: an ASCII house marker in capitals passes,
        // a line opening with an unaccented letter does not take a marker opening with an
        // accented one, and a line the filter lets through is still read in full.
        let extra = ["sur le même sujet".to_string(), "éco".to_string()];
        assert!(line_reads_as_teaser("SUR LE MÊME SUJET : la dette", &extra));
        assert!(line_reads_as_teaser("Éco : la dette", &extra));
        assert!(!line_reads_as_teaser("Eco : la dette", &extra));
        assert!(!line_reads_as_teaser("Alors, rien", &extra));
        assert!(!line_reads_as_teaser("Sur le quai, rien", &extra));
    }

    fn teasers(text: &str, md: bool) -> Vec<Teaser> {
        let m = mask(text, md);
        detect(text, &m, &line_ranges(text.as_bytes()), &[])
    }

    #[test]
    fn many_teasers_and_links_stay_linear() {
        let text = "Read more: https://j.fr/a\n".repeat(20_000);
        let t = crate::thread_cpu_time();
        assert!(teasers(&text, true).iter().all(|t| t.link.is_some()));
        let used = crate::thread_cpu_time() - t;
        assert!(used.as_secs_f64() < 2.0, "{used:?} of CPU");
    }

    #[test]
    fn a_marker_with_a_final_sigma_reads_as_the_whole_line_lower_cases() {
        // `ΕΠΊΣΗΣ` lower-cases to `επίσης` as a word (final `ς`), `επίσησ` letter by letter.
        let extra = ["δείτε επίσης".to_string()];
        let text = "Κείμενο.\nΔΕΊΤΕ ΕΠΊΣΗΣ: Το λιμάνι\nΣΥΝΈΧΕΙΑ.";
        let m = mask(text, false);
        let found = detect(text, &m, &line_ranges(text.as_bytes()), &extra);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].markers[0].clone()], "ΔΕΊΤΕ ΕΠΊΣΗΣ");
    }

    #[test]
    fn arrows_without_link() {
        let t = teasers("Texte.\n>> Le maire démissionne <<\nSuite.", false);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].form, TeaserForm::Arrows);
        assert_eq!(t[0].link, None);
    }

    #[test]
    fn markers_any_case_and_emphasis() {
        for line in [
            "À lire aussi : Le port rouvre",
            "LIRE AUSSI Le port rouvre",
            "**Voir aussi** : le port",
            "_Read more:_ The port reopens",
            "Also read: the port",
        ] {
            assert_eq!(teasers(line, true).len(), 1, "{line}");
        }
    }

    #[test]
    fn ordinary_sentences_are_not_teasers() {
        for line in [
            "Related to this, the mayor resigned.",
            "Lire aussiduc",
            "Il faut lire aussi le rapport.",
            "Read more books.",
        ] {
            assert!(teasers(line, true).is_empty(), "{line}");
        }
    }

    #[test]
    fn links_count_only_with_a_target() {
        assert!(
            teasers("À lire aussi : [Le port rouvre](https://j.fr/port)", true)[0]
                .link
                .is_some()
        );
        assert!(
            teasers("À lire aussi : [Le port rouvre]()", true)[0]
                .link
                .is_none()
        );
        assert!(
            teasers("Read more: https://paper.example/port", false)[0]
                .link
                .is_some()
        );
        assert!(
            teasers("Read more: <a href=\"/port\">Port</a>", true)[0]
                .link
                .is_some()
        );
        assert!(
            teasers("Read more: <a href=\"\">Port</a>", true)[0]
                .link
                .is_none()
        );
        assert!(
            teasers("Lire aussi : [Le port][p]\n\n[p]: https://j.fr/p", true)[0]
                .link
                .is_some()
        );
        assert!(
            teasers("Lire aussi : [Le port][q]\n\n[p]: https://j.fr/p", true)[0]
                .link
                .is_none()
        );
    }

    #[test]
    fn title_on_next_line() {
        let t = teasers(
            "À lire aussi :\n[Le port rouvre](https://j.fr/port)\n",
            true,
        );
        assert_eq!(t.len(), 1);
        assert!(t[0].link.is_some());
    }

    #[test]
    fn arrows_in_code_are_ignored() {
        assert!(teasers("```\n>> x <<\n```\n`>> y <<`", true).is_empty());
    }
}
