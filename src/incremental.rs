//! Incremental analysis of large drafts: after an edit, only the chunks of paragraphs around it
//! are analysed again, and the result is the one a full [`analyze`] of the new text gives.
//!
//! # How it stays exact
//!
//! A large draft is cut into chunks of whole paragraphs, each analysed on its own by the very
//! same [`analyze`], and the chunks' results are put end to end (offsets shifted). That equals a
//! full analysis when nothing the analysis computes reaches across a cut. A cut is only made at
//! the start of a line `L` such that:
//!
//! - the line before `L` is blank, and `L` starts (no indentation) with a letter or a digit. So
//!   no quotation runs on into `L`'s paragraph (that needs a quotation mark first), no Markdown
//!   construct (indented code, list continuation, front matter, a heading's setext underline)
//!   starts or continues there, and rules looking at `L`'s first character see a word;
//! - in plain text, the chunk before the cut holds a blank line between two of its own
//!   paragraphs, so both the chunk alone and the whole draft read paragraphs as separated by
//!   blank lines (a draft with no blank line at all reads one paragraph per line, and is never
//!   cut);
//! - the chunk before the cut has no teaser on its last non-blank line (an `À lire aussi :`
//!   alone takes its title from the next line, which may be beyond the cut).
//!
//! Constructs that can run arbitrarily far make the whole draft be analysed in one piece (still
//! exact, just not incremental): quotations (attribution resolves a pronoun or a title to the
//! person named anywhere before it), Markdown fenced code (```` ``` ````, `~~~`), HTML comments,
//! front matter whose end is not in the first chunk, inline directives (`copydesk-disable …`),
//! and a reference-style teaser link whose label is defined elsewhere. Language detection reads
//! the first 64 KB of a draft: it is re-run (on those chunks) only when an edit lands there, and
//! every chunk is analysed with the detected language.
//!
//! The edit's own chunk is re-analysed with one chunk of context on each side (cuts next to the
//! edit may appear or vanish), and the region grows while a cut at its end would be invalid.
//! A property test (`tests/incremental.rs`) checks incremental == full after random edits.

use crate::analysis::{Analysis, analyze};
use crate::config::Config;
use crate::language::{DETECTION_WINDOW, Lang, LangSetting};
use crate::positions::{Encoding, LineIndex};
use crate::prose::mask::line_ranges;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// When a draft is cut, and how finely.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Below this size a full analysis costs about what the bookkeeping does: one chunk.
    pub min_chunked: usize,
    /// Chunks hold whole paragraphs, at least this many bytes.
    pub chunk_target: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            min_chunked: 128 * 1024,
            chunk_target: 8 * 1024,
        }
    }
}

/// The text of a draft, as a string or a rope.
pub trait Source {
    fn len_bytes(&self) -> usize;
    /// The bytes `range`, which start and end on character boundaries.
    fn slice(&self, range: Range<usize>) -> Cow<'_, str>;
    /// The bytes `range` in order, as the pieces the text is stored in (no copy).
    fn pieces(&self, range: Range<usize>, f: &mut dyn FnMut(&str));
}

impl Source for str {
    fn len_bytes(&self) -> usize {
        self.len()
    }
    fn slice(&self, range: Range<usize>) -> Cow<'_, str> {
        Cow::Borrowed(&self[range])
    }
    fn pieces(&self, range: Range<usize>, f: &mut dyn FnMut(&str)) {
        f(&self[range])
    }
}

impl Source for ropey::Rope {
    fn len_bytes(&self) -> usize {
        ropey::Rope::len_bytes(self)
    }
    fn slice(&self, range: Range<usize>) -> Cow<'_, str> {
        self.byte_slice(range).into()
    }
    fn pieces(&self, range: Range<usize>, f: &mut dyn FnMut(&str)) {
        for chunk in self.byte_slice(range).chunks() {
            f(chunk)
        }
    }
}

/// Line and column of a finding's start and end, relative to its chunk.
pub type Span = [u32; 4];

/// A run of whole paragraphs, analysed on its own, where it sits in the draft.
#[derive(Clone)]
pub struct Chunk {
    /// Where the chunk starts in the draft (bytes).
    pub start: usize,
    /// The draft's line number of the chunk's first line.
    pub first_line: usize,
    /// What does not move when edits elsewhere shift the chunk: shared with snapshots.
    pub data: Arc<ChunkData>,
}

pub struct ChunkData {
    pub len: usize,
    /// Line breaks in the chunk.
    pub lines: usize,
    /// The chunk's analysis, with offsets relative to its start.
    pub analysis: Analysis,
    /// `analysis.findings` as lines and columns in the chunk, in the engine's encoding.
    pub spans: Vec<Span>,
    /// Something here may reach beyond the chunk (see the module documentation).
    reaches_out: bool,
    /// Markdown reference definitions, and teasers with a `[label]` and no link.
    has_references: bool,
    has_bracket_teaser: bool,
}

impl Chunk {
    fn end(&self) -> usize {
        self.start + self.data.len
    }
}

/// The chunks of one version of a draft: cheap to keep, assembled into an [`Analysis`] only
/// when asked.
#[derive(Clone)]
pub struct Pieces {
    lang: Lang,
    markdown: bool,
    chunks: Vec<Chunk>,
}

impl Pieces {
    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    /// The analysis of the whole draft, as [`analyze`] gives it.
    pub fn analysis(&self) -> Analysis {
        if let [only] = self.chunks.as_slice() {
            return only.data.analysis.clone();
        }
        let mut out = Analysis {
            lang: self.lang,
            markdown: self.markdown,
            findings: Vec::new(),
            paragraphs: Vec::new(),
            quotes: Default::default(),
            teasers: Vec::new(),
            attributions: Vec::new(),
        };
        for c in &self.chunks {
            append(&mut out, &c.data.analysis, c.start);
        }
        out
    }
}

/// The analysis of one draft, kept up to date edit by edit.
pub struct Incremental {
    config: Arc<Config>,
    markdown: bool,
    enc: Encoding,
    /// The language every chunk is analysed with.
    lang: Lang,
    chunks: Vec<Chunk>,
    len: usize,
    limits: Limits,
    /// The last full analysis found something that keeps the draft in one piece (see
    /// `reaches_out`): do not try to cut it again until a full analysis finds it gone.
    whole: bool,
}

/// Why a region could not be cut into chunks.
enum Stop {
    /// Its end is not a valid cut: take the next chunk in.
    Extend,
    /// A chunk reaches beyond itself: the draft must be analysed whole.
    Whole,
}

impl Incremental {
    /// Analyses a whole draft.
    pub fn new(
        text: &(impl Source + ?Sized),
        config: Arc<Config>,
        markdown: bool,
        enc: Encoding,
    ) -> Self {
        Self::with_limits(text, config, markdown, enc, Limits::default())
    }

    /// Analyses a whole draft, cutting it as `limits` say (tests cut small drafts finely).
    pub fn with_limits(
        text: &(impl Source + ?Sized),
        config: Arc<Config>,
        markdown: bool,
        enc: Encoding,
        limits: Limits,
    ) -> Self {
        let mut engine = Incremental {
            config,
            markdown,
            enc,
            lang: Lang::Fr,
            chunks: Vec::new(),
            len: text.len_bytes(),
            limits,
            whole: false,
        };
        engine.rebuild(text);
        engine
    }

    pub fn config(&self) -> &Arc<Config> {
        &self.config
    }

    pub fn markdown(&self) -> bool {
        self.markdown
    }

    pub fn encoding(&self) -> Encoding {
        self.enc
    }

    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    /// Whether the draft is analysed in pieces (false: one full analysis per version).
    pub fn is_chunked(&self) -> bool {
        self.chunks.len() > 1
    }

    /// Brings the analysis up to date with `text`, which differs from the last text seen only
    /// within `dirty` (byte offsets in `text`; the bytes around it are the old ones).
    pub fn update(&mut self, text: &(impl Source + ?Sized), dirty: Range<usize>) {
        let new_len = text.len_bytes();
        let delta = new_len as isize - self.len as isize;
        if !self.is_chunked() || new_len < self.limits.min_chunked / 2 {
            self.len = new_len;
            self.rebuild(text);
            return;
        }
        let dirty = dirty.start.min(new_len)..dirty.end.clamp(dirty.start.min(new_len), new_len);
        // The dirty bytes in the old text.
        let old_end = (dirty.end as isize - delta).max(dirty.start as isize) as usize;
        let first = self.chunk_at(dirty.start).saturating_sub(1);
        let mut last = (self.chunk_at(old_end) + 1).min(self.chunks.len() - 1);
        let lang_before = self.lang;
        if first == 0 && last + 1 == self.chunks.len() {
            // Everything is to be analysed again: drop the old results first.
            self.rebuild(text);
            return;
        }
        let replaced = loop {
            let old = self.chunks[first].start..self.chunks[last].end();
            let region = old.start..(old.end as isize + delta) as usize;
            let at_end = last + 1 == self.chunks.len();
            match self.analyse_region(text, region, first == 0, at_end) {
                Ok(chunks) => break chunks,
                // A cut at the region's end would not be valid: take the next chunk in too.
                Err(Stop::Extend) => last += 1,
                Err(Stop::Whole) => {
                    self.rebuild(text);
                    return;
                }
            }
        };
        let old_lines: usize = self.chunks[first..=last].iter().map(|c| c.data.lines).sum();
        let new_lines: usize = replaced.iter().map(|c| c.data.lines).sum();
        let n = replaced.len();
        self.chunks.splice(first..=last, replaced);
        let line_delta = new_lines as isize - old_lines as isize;
        for c in &mut self.chunks[first + n..] {
            c.start = (c.start as isize + delta) as usize;
            c.first_line = (c.first_line as isize + line_delta) as usize;
        }
        self.len = new_len;
        if reach_out(&self.chunks) {
            self.rebuild(text);
            return;
        }
        // An edit within the detection window may change the language of the whole draft.
        if self.config.language == LangSetting::Auto
            && dirty.start <= DETECTION_WINDOW
            && self.detect(text) != lang_before
        {
            self.rebuild(text);
        }
    }

    /// The index of the chunk holding byte `at` (the last chunk for the end of the text).
    fn chunk_at(&self, at: usize) -> usize {
        self.chunks
            .partition_point(|c| c.end() <= at)
            .min(self.chunks.len() - 1)
    }

    /// The language of the draft, from its first chunks (exactly what a full analysis reads).
    fn detect(&mut self, text: &(impl Source + ?Sized)) -> Lang {
        let mut end = 0;
        for c in &self.chunks {
            end = c.end();
            if end > DETECTION_WINDOW {
                break;
            }
        }
        let config = Config {
            language: LangSetting::Auto,
            ..(*self.config).clone()
        };
        self.lang = analyze(&text.slice(0..end), &config, self.markdown).lang;
        self.lang
    }

    /// Analyses the whole text again, cutting it anew.
    fn rebuild(&mut self, text: &(impl Source + ?Sized)) {
        let len = text.len_bytes();
        self.len = len;
        self.chunks.clear();
        if len >= self.limits.min_chunked && !self.whole {
            let (cuts, _) = cuts(text, 0..len, self.markdown, self.limits.chunk_target);
            if !cuts.is_empty() {
                // Pin the language first: chunks must not each detect their own.
                let mut bounds = vec![0];
                bounds.extend(cuts);
                bounds.push(len);
                let window = bounds
                    .iter()
                    .copied()
                    .find(|&b| b > DETECTION_WINDOW)
                    .unwrap_or(len);
                self.lang = self.config.language.resolve_with(|| {
                    let config = Config {
                        language: LangSetting::Auto,
                        ..(*self.config).clone()
                    };
                    analyze(&text.slice(0..window), &config, self.markdown).lang
                });
                if let Ok(chunks) = self.analyse_region(text, 0..len, true, true)
                    && !reach_out(&chunks)
                    && chunks.len() > 1
                {
                    self.chunks = chunks;
                    return;
                }
            }
        }
        // One piece: a plain full analysis.
        let whole = text.slice(0..len);
        let analysis = analyze(&whole, &self.config, self.markdown);
        self.lang = analysis.lang;
        // Only a hint for the next edit (both ways give the same result): whether cutting
        // would be given up at once.
        self.whole = len >= self.limits.min_chunked
            && (!analysis.quotes.quotations.is_empty() || reaches_out(&whole, self.markdown, true));
        let spans = spans(&whole, &analysis, self.enc);
        self.chunks = vec![Chunk {
            start: 0,
            first_line: 0,
            data: Arc::new(ChunkData {
                len,
                lines: line_ranges(whole.as_bytes()).len() - 1,
                analysis,
                spans,
                reaches_out: false,
                has_references: false,
                has_bracket_teaser: false,
            }),
        }];
    }

    /// Cuts `region` of the draft (which starts on a cut or at 0) into chunks and analyses
    /// them. `Stop::Extend` when the region's end is not a valid cut and more text must be
    /// taken in (never when `at_end`); `Stop::Whole`, as soon as a chunk is found to reach
    /// beyond itself (the rest is not analysed for nothing).
    fn analyse_region(
        &self,
        source: &(impl Source + ?Sized),
        region: Range<usize>,
        at_start: bool,
        at_end: bool,
    ) -> Result<Vec<Chunk>, Stop> {
        let base = region.start;
        let (cuts, last_inner_blank) = cuts(
            source,
            region.clone(),
            self.markdown,
            self.limits.chunk_target,
        );
        if !at_end && !self.markdown && !last_inner_blank {
            return Err(Stop::Extend);
        }
        // Offsets relative to the region from here on.
        let mut bounds = vec![0];
        bounds.extend(cuts.iter().map(|c| c - base));
        bounds.push(region.len());
        let config = Config {
            language: match self.lang {
                Lang::Fr => LangSetting::Fr,
                Lang::En => LangSetting::En,
            },
            ..(*self.config).clone()
        };
        let mut out: Vec<Chunk> = Vec::with_capacity(bounds.len());
        let mut line = 0;
        let mut k = 0;
        while k + 1 < bounds.len() {
            let (s, mut e) = (bounds[k], bounds[k + 1]);
            let mut next = k + 1;
            // A teaser on the chunk's last non-blank line may take its title from beyond.
            let (analysis, text) = loop {
                let text = source.slice(base + s..base + e);
                let a = analyze(&text, &config, self.markdown);
                let last_line = last_nonblank_line_start(&text);
                let tail_teaser = a.teasers.iter().any(|t| t.range.start >= last_line);
                if !tail_teaser || e == region.len() {
                    if tail_teaser && !at_end {
                        return Err(Stop::Extend);
                    }
                    break (a, text);
                }
                next += 1;
                e = bounds[next];
            };
            let text: &str = &text;
            let lines = line_ranges(text.as_bytes()).len() - 1;
            let spans = spans(text, &analysis, self.enc);
            let first_chunk = at_start && s == 0;
            out.push(Chunk {
                start: base + s,
                first_line: line,
                data: Arc::new(ChunkData {
                    len: e - s,
                    lines,
                    has_bracket_teaser: self.markdown
                        && analysis
                            .teasers
                            .iter()
                            .any(|t| t.link.is_none() && text[t.range.clone()].contains('[')),
                    has_references: self.markdown && has_reference_definition(text),
                    // Attribution resolves a pronoun or a title to the person named anywhere
                    // before it, so a chunk with quotations depends on the whole draft.
                    reaches_out: !analysis.quotes.quotations.is_empty()
                        || reaches_out(text, self.markdown, first_chunk),
                    analysis,
                    spans,
                }),
            });
            if out.last().is_some_and(|c| c.data.reaches_out) {
                return Err(Stop::Whole);
            }
            line += lines;
            k = next;
        }
        // Line numbers so far are relative to the piece.
        let first_line = if at_start && base == 0 {
            0
        } else {
            self.chunks
                .iter()
                .find(|c| c.start == base)
                .map_or(0, |c| c.first_line)
        };
        for c in &mut out {
            c.first_line += first_line;
        }
        Ok(out)
    }

    /// The findings' lines and columns in the draft, in order (what diagnostics carry).
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.chunks.iter().flat_map(|c| {
            let line = c.first_line as u32;
            c.data
                .spans
                .iter()
                .map(move |s| [s[0] + line, s[1], s[2] + line, s[3]])
        })
    }

    /// This version's chunks, to keep with a snapshot.
    pub fn pieces(&self) -> Pieces {
        Pieces {
            lang: self.lang,
            markdown: self.markdown,
            chunks: self.chunks.clone(),
        }
    }

    /// The analysis of the whole draft, as [`analyze`] gives it.
    pub fn analysis(&self) -> Analysis {
        self.pieces().analysis()
    }
}

impl LangSetting {
    /// The chosen language, or `detect()` for `auto`.
    fn resolve_with(self, detect: impl FnOnce() -> Lang) -> Lang {
        match self {
            LangSetting::Fr => Lang::Fr,
            LangSetting::En => Lang::En,
            LangSetting::Auto => detect(),
        }
    }
}

/// Whether some chunk reaches beyond itself: then the draft is analysed whole.
fn reach_out(chunks: &[Chunk]) -> bool {
    chunks.iter().any(|c| c.data.reaches_out)
        || (chunks.iter().any(|c| c.data.has_bracket_teaser)
            && chunks.iter().any(|c| c.data.has_references))
}

/// Appends a chunk's analysis, whose offsets start at `base`, to `out`.
fn append(out: &mut Analysis, a: &Analysis, base: usize) {
    // Every field is named so that a new one cannot be forgotten here.
    let Analysis {
        lang: _,
        markdown: _,
        findings,
        paragraphs,
        quotes,
        teasers,
        attributions,
    } = a;
    // Drafts with quotations are never cut (see `reaches_out`), so there is nothing to shift.
    debug_assert!(attributions.is_empty());
    let shift = |r: &Range<usize>| r.start + base..r.end + base;
    out.findings.extend(findings.iter().map(|f| {
        let mut f = f.clone();
        f.range = shift(&f.range);
        if let Some(fix) = &mut f.fix {
            for e in &mut fix.edits {
                e.range = shift(&e.range);
            }
        }
        f
    }));
    let paragraph_base = out.paragraphs.len();
    out.paragraphs.extend(paragraphs.iter().map(shift));
    let quotation_base = out.quotes.quotations.len();
    out.quotes
        .quotations
        .extend(quotes.quotations.iter().map(|q| {
            let mut q = q.clone();
            q.open = shift(&q.open);
            q.close = q.close.as_ref().map(shift);
            q.parent = q.parent.map(|p| p + quotation_base);
            q.continues = q.continues.map(|p| p + quotation_base);
            q.paragraph += paragraph_base;
            q
        }));
    out.quotes
        .strays
        .extend(quotes.strays.iter().map(|(r, s)| (shift(r), *s)));
    out.teasers.extend(teasers.iter().map(|t| {
        let mut t = t.clone();
        t.range = shift(&t.range);
        for m in &mut t.markers {
            *m = shift(m);
        }
        t
    }));
}

/// The findings' lines and columns within `text`.
fn spans(text: &str, analysis: &Analysis, enc: Encoding) -> Vec<Span> {
    let index = LineIndex::new(text);
    analysis
        .findings
        .iter()
        .map(|f| {
            let (l0, c0) = index.position(f.range.start, enc);
            let (l1, c1) = index.position(f.range.end, enc);
            [l0 as u32, c0 as u32, l1 as u32, c1 as u32]
        })
        .collect()
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// Where `region` of the draft may be cut (offsets of line starts, increasing, never the
/// region's ends), read piece by piece; and whether the last chunk holds a blank line between
/// two of its paragraphs.
fn cuts(
    source: &(impl Source + ?Sized),
    region: Range<usize>,
    markdown: bool,
    target: usize,
) -> (Vec<usize>, bool) {
    let mut c = Cutter {
        markdown,
        target,
        out: Vec::new(),
        chunk_start: region.start,
        seen_text: false,
        blank_after_text: false,
        inner_blank: false,
        prev_blank: false,
        pos: region.start,
        line_start: region.start,
        line_blank: true,
        after_cr: false,
    };
    source.pieces(region, &mut |piece| c.feed(piece));
    c.end_line();
    // The last chunk must be cut-worthy too: else it joins the one before.
    if !markdown && !c.inner_blank && c.out.pop().is_some() {
        return (c.out, true);
    }
    (c.out, c.inner_blank)
}

/// Reads lines as they come and decides the cuts (see [`cuts`]).
struct Cutter {
    markdown: bool,
    target: usize,
    out: Vec<usize>,
    chunk_start: usize,
    /// In the current chunk: a non-blank line, then a blank one after it, then a non-blank
    /// line after that.
    seen_text: bool,
    blank_after_text: bool,
    inner_blank: bool,
    prev_blank: bool,
    /// The current line: where it starts, whether it is all blank so far.
    pos: usize,
    line_start: usize,
    line_blank: bool,
    /// The last character was a CR: a LF now belongs to the same line break.
    after_cr: bool,
}

impl Cutter {
    fn feed(&mut self, piece: &str) {
        for ch in piece.chars() {
            let at = self.pos;
            self.pos += ch.len_utf8();
            if self.after_cr {
                self.after_cr = false;
                if ch == '\n' {
                    self.line_start = self.pos;
                    continue;
                }
            }
            match ch {
                '\n' | '\r' => {
                    self.end_line();
                    self.line_start = self.pos;
                    self.after_cr = ch == '\r';
                }
                _ => {
                    if at == self.line_start {
                        self.start_line(ch);
                    }
                    if !ch.is_whitespace() {
                        self.line_blank = false;
                    }
                }
            }
        }
    }

    /// The first character of a line: the line may open a new chunk.
    fn start_line(&mut self, first: char) {
        if first.is_alphanumeric()
            && self.prev_blank
            && self.line_start - self.chunk_start >= self.target
            && (self.markdown || self.inner_blank)
        {
            self.out.push(self.line_start);
            self.chunk_start = self.line_start;
            self.seen_text = false;
            self.blank_after_text = false;
            self.inner_blank = false;
        }
    }

    fn end_line(&mut self) {
        let blank = self.line_blank;
        if blank {
            self.blank_after_text |= self.seen_text;
        } else {
            self.inner_blank |= self.blank_after_text;
            self.seen_text = true;
        }
        self.prev_blank = blank;
        self.line_blank = true;
    }
}

fn last_nonblank_line_start(text: &str) -> usize {
    line_ranges(text.as_bytes())
        .into_iter()
        .rev()
        .find(|l| !is_blank(&text[l.clone()]))
        .map_or(0, |l| l.start)
}

/// Whether the chunk holds something whose reach has no bound (see the module documentation).
fn reaches_out(text: &str, markdown: bool, first_chunk: bool) -> bool {
    if text.contains("copydesk-") {
        return true;
    }
    if !markdown {
        return false;
    }
    if text.contains("```") || text.contains("~~~") || text.contains("<!--") {
        return true;
    }
    // Front matter opens on the draft's first line and must close within the first chunk.
    if first_chunk {
        let lines = line_ranges(text.as_bytes());
        let fence = text[lines[0].clone()].trim_end();
        if fence == "---" || fence == "+++" {
            let closes = lines[1..].iter().any(|l| {
                let t = text[l.clone()].trim_end();
                t == fence || (fence == "---" && t == "...")
            });
            return !closes;
        }
    }
    false
}

/// A line that may be a Markdown reference definition (`[label]: target`).
fn has_reference_definition(text: &str) -> bool {
    text.contains("]:")
        && line_ranges(text.as_bytes()).into_iter().any(|l| {
            let s = text[l].trim_start();
            s.starts_with('[') && s.contains("]:")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(paragraphs: usize) -> String {
        let mut s = String::new();
        for i in 0..paragraphs {
            s.push_str(&format!(
                "Le maire {i} a dit non hier : ce n'est pas fini. Il a ajouté que la \
                 piscine rouvrirait ; selon la mairie !\nDeuxième ligne du paragraphe {i}.\n\n"
            ));
        }
        s
    }

    fn same(engine: &Incremental, text: &str, config: &Config, markdown: bool) {
        let full = analyze(text, config, markdown);
        assert_eq!(
            format!("{:?}", engine.analysis()),
            format!("{full:?}"),
            "incremental and full analyses differ"
        );
    }

    #[test]
    fn large_drafts_are_cut_and_equal_a_full_analysis() {
        let text = doc(2000);
        let config = Arc::new(Config::default());
        let engine = Incremental::new(text.as_str(), config.clone(), false, Encoding::Utf16);
        assert!(engine.chunks().len() > 10);
        same(&engine, &text, &config, false);
    }

    #[test]
    fn an_edit_reanalyses_its_neighbourhood_only() {
        let mut text = doc(2000);
        let config = Arc::new(Config::default());
        let mut engine = Incremental::new(text.as_str(), config.clone(), false, Encoding::Utf16);
        let at = text.len() / 2;
        let at = text[at..].find(':').unwrap() + at;
        text.insert_str(at, "« ");
        engine.update(text.as_str(), at..at + 3);
        same(&engine, &text, &config, false);
        text.replace_range(at..at + 3, "");
        engine.update(text.as_str(), at..at);
        same(&engine, &text, &config, false);
    }

    #[test]
    fn an_edit_in_the_detection_window_can_change_the_language() {
        let en = "The mayor said on Tuesday that the pool would close, and the council \
                  agreed with her.\nIt was the end of a long debate.\n\n";
        let fr = "Le maire a dit « non » hier : ce n'est pas fini, selon la mairie.\n\
                  Il a ajouté que la piscine rouvrirait.\n\n";
        let mut text = en.repeat(160_000 / en.len());
        let config = Arc::new(Config::default());
        let mut engine = Incremental::new(text.as_str(), config.clone(), false, Encoding::Utf16);
        assert!(engine.is_chunked());
        assert_eq!(engine.analysis().lang, Lang::En);
        let french = fr.repeat(50_000 / fr.len());
        text.insert_str(0, &french);
        engine.update(text.as_str(), 0..french.len());
        assert_eq!(engine.analysis().lang, Lang::Fr);
        same(&engine, &text, &config, false);
        // A small edit inside the window, then one past it.
        let at = text[1000..].find('«').unwrap() + 1000;
        text.insert(at, '»');
        engine.update(text.as_str(), at..at + 2);
        same(&engine, &text, &config, false);
        let at = text.len() - 5000;
        let at = text[at..].find('.').unwrap() + at;
        text.insert_str(at, " «");
        engine.update(text.as_str(), at..at + 3);
        same(&engine, &text, &config, false);
        text.replace_range(0..french.len(), "");
        engine.update(text.as_str(), 0..0);
        assert_eq!(engine.analysis().lang, Lang::En);
        same(&engine, &text, &config, false);
    }

    #[test]
    fn small_drafts_are_one_piece() {
        let text = doc(10);
        let engine = Incremental::new(
            text.as_str(),
            Arc::new(Config::default()),
            false,
            Encoding::Utf16,
        );
        assert!(!engine.is_chunked());
    }
}
