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
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .lines
            .partition_point(|l| l.end < offset)
            .min(self.lines.len() - 1);
        let start = self.lines[line].start.min(offset);
        let col = self.text[start..offset].chars().map(|c| enc.len(c)).sum();
        (line, col)
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
}
