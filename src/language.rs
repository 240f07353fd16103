//! Which language a draft is written in: chosen by the user or detected.

/// A resolved document language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Picks the French or English form of a message.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

/// What the user asked for: a language, or detection per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LangSetting {
    Fr,
    En,
    #[default]
    Auto,
}

impl LangSetting {
    pub fn parse(value: &str) -> Option<LangSetting> {
        match value.trim().to_ascii_lowercase().as_str() {
            "fr" | "french" | "français" | "francais" => Some(LangSetting::Fr),
            "en" | "english" | "anglais" => Some(LangSetting::En),
            "auto" => Some(LangSetting::Auto),
            _ => None,
        }
    }

    pub fn resolve(self, prose: &str) -> Lang {
        match self {
            LangSetting::Fr => Lang::Fr,
            LangSetting::En => Lang::En,
            LangSetting::Auto => detect(prose),
        }
    }

    /// The chosen language, or `detect()` for `auto`.
    pub fn resolve_with(self, detect: impl FnOnce() -> Lang) -> Lang {
        match self {
            LangSetting::Fr => Lang::Fr,
            LangSetting::En => Lang::En,
            LangSetting::Auto => detect(),
        }
    }
}

/// Very common function words; a draft of a few sentences already has dozens of them.
const FRENCH: &[&str] = &[
    "le", "la", "les", "des", "une", "un", "est", "et", "que", "qui", "dans", "pour", "pas", "sur",
    "avec", "du", "au", "aux", "ce", "cette", "il", "elle", "ils", "elles", "nous", "vous", "ont",
    "sont", "mais", "ou", "par", "plus", "selon", "été", "leur", "ses", "son", "sa", "entre",
];
const ENGLISH: &[&str] = &[
    "the", "and", "of", "to", "is", "was", "that", "in", "for", "with", "said", "on", "he", "she",
    "it", "are", "were", "has", "have", "had", "by", "from", "at", "this", "but", "they", "be",
    "not", "an", "his", "her", "their", "would", "will", "which", "who",
];

/// How much of a draft detection reads: enough for any article, bounded for huge files.
pub const DETECTION_WINDOW: usize = 64 * 1024;

/// Detection reads the window block by block, and stops at the end of a block once one
/// language leads clearly: at least [`DECISIVE_SIGNALS`] signals, and [`DECISIVE_RATIO`] times
/// the other's. Reading the rest of a 60 KB draft cost a tenth of its analysis and changed
/// nothing but the language of drafts that open in one language and go on at greater length in
/// the other. Blocks of 1 KB: a French news draft reaches a hundred signals in its first two
/// to three kilobytes, so a 5 KB draft is no longer read almost whole (blocks of 4 KB read
/// 4 KB of it: a tenth of its analysis).
const BLOCK: usize = 1024;
const DECISIVE_SIGNALS: usize = 100;
const DECISIVE_RATIO: usize = 3;

/// Detects French or English by counting function words; French wins ties (French first).
pub fn detect(prose: &str) -> Lang {
    let mut end = prose.len().min(DETECTION_WINDOW);
    while !prose.is_char_boundary(end) {
        end -= 1;
    }
    let (fr, en) = settle(&prose[..end]);
    if en > fr { Lang::En } else { Lang::Fr }
}

/// The French and English signals of `window`, read block by block up to a clear lead.
fn settle(window: &str) -> (usize, usize) {
    let bytes = window.as_bytes();
    let (mut fr, mut en) = (0, 0);
    let mut at = 0;
    while at < window.len() {
        // A block ends before an ASCII byte that is not a letter: no word (nor any multi-byte
        // character) is cut, so the blocks' counts add up to the window's.
        let mut to = (at + BLOCK).min(window.len());
        while to < window.len() && (bytes[to] >= 0x80 || bytes[to].is_ascii_alphabetic()) {
            to += 1;
        }
        let (f, e) = counts(&window[at..to]);
        (fr, en) = (fr + f, en + e);
        at = to;
        let (lead, other) = (fr.max(en), fr.min(en));
        if lead >= DECISIVE_SIGNALS && lead >= DECISIVE_RATIO * other {
            break;
        }
    }
    (fr, en)
}

/// French and English signals in `sample`: guillemets and listed words, in any case.
fn counts(sample: &str) -> (usize, usize) {
    let (mut fr, mut en) = (0usize, 0usize);
    // Guillemets are a French signal, though English copy sometimes has them by mistake.
    fr += sample.matches('«').count();
    // One pass over the words (runs of alphabetic characters), each lower-cased and packed
    // into a number as it is read: no allocation, no second decoding, no memcmp.
    let bytes = sample.as_bytes();
    let mut count = |len: usize, key: u64, packed: usize| {
        // Listed words are at most 6 bytes as written and 8 lower-cased.
        if len == 0 || len > 6 || packed > 8 {
            return;
        }
        match listed(key) {
            FRENCH_WORD => fr += 1,
            ENGLISH_WORD => en += 1,
            _ => {}
        }
    };
    let (mut len, mut key, mut packed) = (0usize, 0u64, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            // Most of a draft's letters are ASCII: up to eight of them are read at once.
            let (run, lower) = match bytes.get(i..i + 8) {
                Some(eight) => ascii_letter_run(eight.try_into().unwrap_or_default()),
                None => (1, b.to_ascii_lowercase() as u64),
            };
            if packed < 8 {
                key |= lower << (8 * packed);
            }
            packed += run;
            len += run;
            i += run;
        } else if b < 0x80 {
            count(len, key, packed);
            (len, key, packed) = (0, 0, 0);
            i += 1;
        } else if b == 0xC3 && i + 1 < bytes.len() && bytes[i + 1] != 0x97 && bytes[i + 1] != 0xB7 {
            // U+00C0–U+00FF but × and ÷: Latin-1 letters (é, à, É…), alphabetic, whose lower
            // case is one character of two bytes (U+00C0–U+00DE take +0x20, the rest stay).
            let second = bytes[i + 1];
            let lower = if (0x80..=0x9E).contains(&second) {
                second + 0x20
            } else {
                second
            };
            for lb in [0xC3, lower] {
                if packed < 8 {
                    key |= (lb as u64) << (8 * packed);
                }
                packed += 1;
            }
            len += 2;
            i += 2;
        } else {
            let c = sample[i..].chars().next().unwrap_or(' ');
            if c.is_alphabetic() {
                for l in c.to_lowercase() {
                    let mut buf = [0u8; 4];
                    for &lb in l.encode_utf8(&mut buf).as_bytes() {
                        if packed < 8 {
                            key |= (lb as u64) << (8 * packed);
                        }
                        packed += 1;
                    }
                }
                len += c.len_utf8();
            } else {
                count(len, key, packed);
                (len, key, packed) = (0, 0, 0);
            }
            i += c.len_utf8();
        }
    }
    count(len, key, packed);
    (fr, en)
}

/// How many of `eight`'s bytes, from the first, are ASCII letters (0 to 8), and those bytes
/// lower-cased, packed as [`pack`] packs them: eight bytes tested at once, each byte's high bit
/// telling whether it is a letter (no carry crosses a byte: each sum stays under 0x100).
fn ascii_letter_run(eight: [u8; 8]) -> (usize, u64) {
    const ALL: u64 = u64::from_le_bytes([0x01; 8]);
    let word = u64::from_le_bytes(eight);
    // A letter's lower case is the letter with bit 5 set.
    let lower = word | (0x20 * ALL);
    let low7 = lower & (0x7F * ALL);
    // At or past `a` (0x61), and before the byte after `z` (0x7B), and ASCII.
    let from_a = low7 + (0x80 - 0x61) * ALL;
    let past_z = low7 + (0x80 - 0x7B) * ALL;
    let letters = from_a & !past_z & !word & (0x80 * ALL);
    let run = ((!letters & (0x80 * ALL)).trailing_zeros() / 8) as usize;
    let kept = if run == 8 {
        lower
    } else {
        lower & ((1u64 << (8 * run)) - 1)
    };
    (run, kept)
}

/// Up to 8 bytes as one number (zero-padded; words never contain a NUL byte).
const fn pack(bytes: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < bytes.len() && i < 8 {
        key |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

/// The packed words, sorted (for the tests, which check [`LISTED`] against them).
#[cfg(test)]
const fn keys<const N: usize>(words: &[&str]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        assert!(words[i].len() <= 8, "listed words fit in 8 bytes");
        out[i] = pack(words[i].as_bytes());
        // Insertion sort, at compile time.
        let mut k = i;
        while k > 0 && out[k - 1] > out[k] {
            let t = out[k - 1];
            out[k - 1] = out[k];
            out[k] = t;
            k -= 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
static FRENCH_KEYS: [u64; FRENCH.len()] = keys(FRENCH);
#[cfg(test)]
static ENGLISH_KEYS: [u64; ENGLISH.len()] = keys(ENGLISH);

const FRENCH_WORD: u8 = 1;
const ENGLISH_WORD: u8 = 2;
/// Slots of [`LISTED`]: a power of two, about four times the listed words.
const SLOTS: usize = 256;

/// The listed words of both languages in one open-addressed table, built at compile time:
/// (packed word, its language), 0 for an empty slot. A word of both lists counts as French,
/// as it did when the French list was read first. A word read costs a multiplication and a
/// comparison or two, where two binary searches cost a dozen.
static LISTED: [(u64, u8); SLOTS] = listed_table();

const fn slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize
}

const fn listed_table() -> [(u64, u8); SLOTS] {
    let mut table = [(0u64, 0u8); SLOTS];
    let lists: [(&[&str], u8); 2] = [(FRENCH, FRENCH_WORD), (ENGLISH, ENGLISH_WORD)];
    let mut l = 0;
    while l < lists.len() {
        let (words, lang) = lists[l];
        let mut i = 0;
        while i < words.len() {
            assert!(words[i].len() <= 8, "listed words fit in 8 bytes");
            let key = pack(words[i].as_bytes());
            let mut at = slot(key);
            while table[at].0 != 0 && table[at].0 != key {
                at = (at + 1) % SLOTS;
            }
            if table[at].0 == 0 {
                table[at] = (key, lang);
            }
            i += 1;
        }
        l += 1;
    }
    table
}

/// The language of the listed word `key` (packed), or 0.
fn listed(key: u64) -> u8 {
    let mut at = slot(key);
    loop {
        let (k, lang) = LISTED[at];
        if k == key {
            return lang;
        }
        if k == 0 {
            return 0;
        }
        at = (at + 1) % SLOTS;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_french_news() {
        let text = "Le maire a annoncé mardi la fermeture de la piscine pour des travaux qui \
                    dureront tout l'été, selon la mairie.";
        assert_eq!(detect(text), Lang::Fr);
    }

    #[test]
    fn detects_english_news() {
        let text = "The mayor said on Tuesday that the pool would close for repairs that are \
                    expected to last the whole summer, according to the council.";
        assert_eq!(detect(text), Lang::En);
    }

    #[test]
    fn the_table_holds_the_listed_words_as_the_sorted_lists_do() {
        for key in FRENCH_KEYS {
            assert_eq!(listed(key), FRENCH_WORD);
        }
        for key in ENGLISH_KEYS {
            let want = if FRENCH_KEYS.contains(&key) {
                FRENCH_WORD
            } else {
                ENGLISH_WORD
            };
            assert_eq!(listed(key), want);
        }
        // Words that are not listed, and every packed prefix of the listed ones.
        for w in [
            "", "x", "lez", "thee", "dans!", "été2", "selonx", "whic", "zzzzzzzz",
        ] {
            let key = pack(w.as_bytes());
            let want = if FRENCH_KEYS.contains(&key) {
                FRENCH_WORD
            } else if ENGLISH_KEYS.contains(&key) {
                ENGLISH_WORD
            } else {
                0
            };
            assert_eq!(listed(key), want, "{w:?}");
        }
        assert!(LISTED.iter().filter(|s| s.0 != 0).count() <= SLOTS / 2);
    }

    #[test]
    fn empty_text_is_french() {
        assert_eq!(detect(""), Lang::Fr);
    }

    #[test]
    fn listed_words_are_found_in_any_case() {
        for w in FRENCH {
            assert_eq!(
                detect(&format!("{w} {}", w.to_uppercase())),
                Lang::Fr,
                "{w}"
            );
        }
        for w in ENGLISH {
            assert_eq!(
                detect(&format!("{w} {}", w.to_uppercase())),
                Lang::En,
                "{w}"
            );
        }
    }

    /// The plain way: split on non-letters, lower-case, look the word up.
    fn reference(sample: &str) -> (usize, usize) {
        let mut fr = sample.matches('«').count();
        let mut en = 0;
        for word in sample.split(|c: char| !c.is_alphabetic()) {
            if word.is_empty() || word.len() > 6 {
                continue;
            }
            let lower = word.to_lowercase();
            if FRENCH.contains(&lower.as_str()) {
                fr += 1;
            } else if ENGLISH.contains(&lower.as_str()) {
                en += 1;
            }
        }
        (fr, en)
    }

    #[test]
    fn counts_match_the_plain_way() {
        let mut text = String::new();
        for c in '\u{a0}'..='\u{17f}' {
            text.push_str(&format!("{c} {c}t{c} ÉTÉ été Été {c}{c} LA the {c}s, "));
        }
        text.push_str("« İİ ΣΑΣ ß ẞ The THE ThE über élan été? «été» l’été L'ÉTÉ");
        for w in FRENCH.iter().chain(ENGLISH) {
            text.push_str(&format!(" {w} {} x{w} {w}é", w.to_uppercase()));
        }
        assert_eq!(counts(&text), reference(&text));
    }

    #[test]
    fn eight_bytes_at_a_time_agree_with_one_at_a_time() {
        // Every byte value in every position, beside letters and non-letters.
        for b in 0..=255u8 {
            for at in 0..8 {
                for fill in [b'a', b'Z', b' ', 0xC3] {
                    let mut eight = [fill; 8];
                    eight[at] = b;
                    let run = eight.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                    let lower: Vec<u8> = eight[..run].iter().map(u8::to_ascii_lowercase).collect();
                    assert_eq!(ascii_letter_run(eight), (run, pack(&lower)), "{eight:?}");
                }
            }
        }
    }

    #[test]
    fn counts_match_the_plain_way_on_words_glued_to_letters_beyond_ascii() {
        // Generated strings of short words, glued to accented and other letters, in every
        // case: the eight-byte runs must end where the words do.
        let pieces = [
            "le", "LA", "The", "and", "été", "ÉTÉ", "é", "ß", "İ", "Σ", "x", "abcdefgh", "said",
            "Selon", " ", ",", "’", "«", "»", "1", "\n", "œ", "ñ", "ça", "who", "WOULD",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let n = (next() % 24) as usize;
            let text: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            assert_eq!(counts(&text), reference(&text), "{text:?}");
        }
    }

    #[test]
    fn blocks_add_up_to_the_window() {
        // Words and multi-byte characters straddle the blocks' ends; no language leads clearly,
        // so every block is read, and the sum is the count of the whole.
        let mut text = String::new();
        while text.len() < 3 * BLOCK {
            text.push_str("été the «Élan» l’été and Ü ");
        }
        for cut in 0..40 {
            let sample = &text[..text.floor_char_boundary(text.len() - cut)];
            assert_eq!(settle(sample), counts(sample), "{cut}");
        }
    }

    #[test]
    fn a_clear_lead_settles_the_language_early() {
        let french = "Le maire a annoncé la fermeture de la piscine pour des travaux, selon \
                      la mairie, et les habitants sont inquiets. ";
        let english = "The mayor said that the pool would close for repairs, and the people \
                       who use it were not happy with the council. ";
        // French for 5 KB, then three times as much English: French leads clearly after its
        // first block, and the English that follows is not read.
        let mut draft = french.repeat(5 * 1024 / french.len() + 1);
        draft.push_str(&english.repeat(15 * 1024 / english.len()));
        assert_eq!(detect(&draft), Lang::Fr);
        // Read whole, the English would win.
        let (fr, en) = counts(&draft);
        assert!(en > fr);
        // No clear lead in the first block (as much of each): reading goes on.
        let mut mixed = String::new();
        while mixed.len() < BLOCK {
            mixed.push_str(french);
            mixed.push_str(english);
        }
        mixed.push_str(&english.repeat(4 * 1024 / english.len()));
        assert_eq!(detect(&mixed), Lang::En);
    }

    #[test]
    fn settings_parse() {
        assert_eq!(LangSetting::parse("FR"), Some(LangSetting::Fr));
        assert_eq!(LangSetting::parse("auto"), Some(LangSetting::Auto));
        assert_eq!(LangSetting::parse("de"), None);
    }
}
