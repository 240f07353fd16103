//! LSP positions ↔ byte offsets on a rope, in the negotiated encoding.
//!
//! Positions from the client are never trusted: a line past the end means the end of the
//! document, a column past the end of its line means the end of that line, and a column inside
//! a character (a UTF-16 surrogate pair, a UTF-8 sequence) means that character's start.

use crate::positions::Encoding;
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};

/// Byte offset of an LSP position.
pub fn to_offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start_char = rope.line_to_char(line);
    let line_end_char = line_start_char + line_content_chars(rope, line);
    let col = pos.character as usize;
    let ch = match enc {
        Encoding::Utf32 => line_start_char + col,
        Encoding::Utf16 => {
            let base = rope.char_to_utf16_cu(line_start_char);
            let end = rope.char_to_utf16_cu(line_end_char);
            let target = (base + col).min(end);
            let mut ch = rope.utf16_cu_to_char(target);
            // Inside a surrogate pair ropey rounds up; take the character's start.
            if rope.char_to_utf16_cu(ch) > target {
                ch -= 1;
            }
            ch
        }
        Encoding::Utf8 => {
            let base = rope.line_to_byte(line);
            let end = rope.char_to_byte(line_end_char);
            let byte = (base + col).min(end);
            rope.byte_to_char(byte)
        }
    };
    rope.char_to_byte(ch.min(line_end_char))
}

/// Characters of a line, without its line terminator.
fn line_content_chars(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut n = slice.len_chars();
    if n > 0 && slice.char(n - 1) == '\n' {
        n -= 1;
    }
    if n > 0 && slice.char(n - 1) == '\r' {
        n -= 1;
    }
    n
}

/// LSP position of a byte offset (clamped to the document and to a character boundary).
pub fn to_position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let ch = rope.byte_to_char(offset);
    let line = rope.char_to_line(ch);
    let line_start = rope.line_to_char(line);
    let col = match enc {
        Encoding::Utf32 => ch - line_start,
        Encoding::Utf16 => rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(line_start),
        Encoding::Utf8 => rope.char_to_byte(ch) - rope.line_to_byte(line),
    };
    Position::new(line as u32, col as u32)
}

pub fn to_range(rope: &Rope, range: &std::ops::Range<usize>, enc: Encoding) -> Range {
    Range::new(
        to_position(rope, range.start, enc),
        to_position(rope, range.end, enc),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_every_encoding() {
        let text = "« Café 😀 »\r\nl’été\u{202f}?\rfin";
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (i, _) in text.char_indices() {
                if text[..i].ends_with('\r') && text[i..].starts_with('\n') {
                    continue; // between the two halves of a CRLF: no LSP position
                }
                let p = to_position(&rope, i, enc);
                assert_eq!(to_offset(&rope, p, enc), i, "{enc:?} at {i}");
            }
        }
    }

    #[test]
    fn untrusted_positions_are_clamped() {
        let rope = Rope::from_str("a😀b\nxy");
        // Inside the surrogate pair → the emoji's start.
        assert_eq!(to_offset(&rope, Position::new(0, 2), Encoding::Utf16), 1);
        // Inside the UTF-8 sequence → the emoji's start.
        assert_eq!(to_offset(&rope, Position::new(0, 3), Encoding::Utf8), 1);
        assert_eq!(to_offset(&rope, Position::new(0, 99), Encoding::Utf16), 6);
        assert_eq!(to_offset(&rope, Position::new(9, 0), Encoding::Utf16), 9);
        assert_eq!(to_position(&rope, 99, Encoding::Utf16), Position::new(1, 2));
    }
}
