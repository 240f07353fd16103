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
const DETECTION_WINDOW: usize = 64 * 1024;

/// Detects French or English by counting function words; French wins ties (French first).
pub fn detect(prose: &str) -> Lang {
    let mut end = prose.len().min(DETECTION_WINDOW);
    while !prose.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &prose[..end];
    let (mut fr, mut en) = (0usize, 0usize);
    // Guillemets are a French signal, though English copy sometimes has them by mistake.
    fr += sample.matches('«').count();
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
    if en > fr { Lang::En } else { Lang::Fr }
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
    fn empty_text_is_french() {
        assert_eq!(detect(""), Lang::Fr);
    }

    #[test]
    fn settings_parse() {
        assert_eq!(LangSetting::parse("FR"), Some(LangSetting::Fr));
        assert_eq!(LangSetting::parse("auto"), Some(LangSetting::Auto));
        assert_eq!(LangSetting::parse("de"), None);
    }
}
