//! Byte offsets ↔ (line, column) in UTF-8, UTF-16 or UTF-32 units. Lines end at `\n`, `\r\n`
//! or `\r`, as in the Language Server Protocol.

use crate::prose::mask::line_ranges;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf16,
    /// Unicode scalar values (characters); the command line's columns.
    Utf32,
}

impl Encoding {
    pub fn len(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Line starts of a text, for converting offsets to positions.
pub struct LineIndex<'a> {
    text: &'a str,
    lines: Vec<Range<usize>>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            lines: line_ranges(text.as_bytes()),
        }
    }

    /// The 0-based line and column of byte `offset` (clamped to the text, and moved back to a
    /// character boundary).
    pub fn position(&self, offset: usize, enc: Encoding) -> (usize, usize) {
        let (offset, line) = self.locate(offset);
        let start = self.lines[line].start.min(offset);
        (line, self.units(start..offset, enc))
    }

    /// A converter for many offsets in a row: each conversion scans only from the previous
    /// one (or from the line's start, when that is nearer), so offsets in ascending order, such
    /// as the starts of sorted findings, convert in time linear in the text, even on one huge
    /// line. [`LineIndex::position`] scans from the line's start every time.
    pub fn cursor(&self, enc: Encoding) -> Cursor<'_, 'a> {
        Cursor {
            index: self,
            enc,
            last: None,
        }
    }

    /// `offset` clamped to the text and moved back to a character boundary, and its line.
    fn locate(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .lines
            .partition_point(|l| l.end < offset)
            .min(self.lines.len() - 1);
        (offset, line)
    }

    /// The number of `enc` units in `self.text[range]`.
    fn units(&self, range: Range<usize>, enc: Encoding) -> usize {
        match enc {
            Encoding::Utf8 => range.len(),
            _ => self.text[range].chars().map(|c| enc.len(c)).sum(),
        }
    }

    /// The byte offset of a 0-based (line, column); past the end of a line means its end, and a
    /// column inside a character means that character's start.
    pub fn offset(&self, line: usize, col: usize, enc: Encoding) -> usize {
        let Some(range) = self.lines.get(line) else {
            return self.text.len();
        };
        let mut units = 0;
        for (i, c) in self.text[range.clone()].char_indices() {
            let n = enc.len(c);
            if units + n > col {
                return range.start + i;
            }
            units += n;
        }
        range.end
    }
}

/// Converts offsets one after another, remembering the last one (see [`LineIndex::cursor`]).
/// Gives the same answers as [`LineIndex::position`] in any order; only the cost differs.
pub struct Cursor<'i, 'a> {
    index: &'i LineIndex<'a>,
    enc: Encoding,
    /// The last conversion: byte offset, line, column.
    last: Option<(usize, usize, usize)>,
}

impl Cursor<'_, '_> {
    /// The 0-based line and column of byte `offset`, as [`LineIndex::position`] gives them.
    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        let index = self.index;
        let (offset, line) = index.locate(offset);
        let start = index.lines[line].start.min(offset);
        let col = match self.last {
            // On the same line, from the last offset when it is nearer than the line's start.
            Some((at, l, col)) if l == line && at >= start => {
                if offset >= at {
                    col + index.units(at..offset, self.enc)
                } else if at - offset < offset - start {
                    col - index.units(offset..at, self.enc)
                } else {
                    index.units(start..offset, self.enc)
                }
            }
            _ => index.units(start..offset, self.enc),
        };
        self.last = Some((offset, line, col));
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn astral_and_crlf() {
        let text = "a😀b\r\nçé\rx";
        let idx = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(idx.position(b, Encoding::Utf8), (0, 5));
        assert_eq!(idx.position(b, Encoding::Utf16), (0, 3));
        assert_eq!(idx.position(b, Encoding::Utf32), (0, 2));
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(x, Encoding::Utf16), (2, 0));
        assert_eq!(idx.offset(0, 3, Encoding::Utf16), b);
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(idx.offset(0, 2, Encoding::Utf16), 1);
        assert_eq!(
            idx.offset(1, 99, Encoding::Utf32),
            text.find('\r').unwrap() + 2 + "çé".len()
        );
    }

    #[test]
    fn cursor_agrees_with_position_in_any_order() {
        let text = "a😀b\r\nçé\rx\n\nzé😀\u{301}y";
        let idx = LineIndex::new(text);
        let all: Vec<usize> = (0..=text.len() + 2).collect();
        let mut orders = vec![all.clone(), all.iter().rev().copied().collect()];
        // Back and forth: every pair of offsets in a row.
        orders.push(
            all.iter()
                .flat_map(|&a| all.iter().map(move |&b| [a, b]))
                .flatten()
                .collect(),
        );
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for order in &orders {
                let mut cursor = idx.cursor(enc);
                for &o in order {
                    assert_eq!(cursor.position(o), idx.position(o, enc), "{enc:?} at {o}");
                }
            }
        }
    }

    #[test]
    fn sorted_offsets_on_one_huge_line_convert_in_linear_time() {
        // 2 MB on one line and 100,000 findings, as `copydesk check` converts them: starts in
        // order, each with its end. Scanning from the line's start for each would read about
        // 2 × 10^11 bytes (minutes); the cursors read the line about twice.
        let unit = "é«\u{a0}😀abcdefghij"; // 20 bytes
        let text = unit.repeat(100_000);
        assert_eq!(text.len(), 2_000_000);
        let idx = LineIndex::new(&text);
        for enc in [Encoding::Utf16, Encoding::Utf32] {
            let (mut starts, mut ends) = (idx.cursor(enc), idx.cursor(enc));
            let mut last = (0, 0);
            for i in 0..100_000 {
                let (start, end) = (i * 20 + 2, i * 20 + 30);
                let p = starts.position(start);
                let q = ends.position(end);
                assert!(p > last && q > p, "{enc:?} at {start}");
                last = p;
                if i % 5_000 == 0 {
                    assert_eq!(p, idx.position(start, enc));
                    assert_eq!(q, idx.position(end, enc));
                }
            }
            assert_eq!(ends.position(text.len()), idx.position(text.len(), enc));
        }
    }
}
