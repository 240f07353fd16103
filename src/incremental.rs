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
//!   alone takes its title from the next line, which may be beyond the cut);
//! - neither of the two paragraphs after the cut holds a quotation: a quotation may be credited
//!   from the paragraph before it (an introduction ending in a colon, the quotation it
//!   continues), and through `Et d'ajouter :` from the speaker of the paragraph before that.
//!   The analysis leaves speakers as written ([`crate::attribution::Speakers::AsWritten`]), so
//!   nothing else in attribution reaches further; resolving pronouns to people named anywhere
//!   before is done on demand, for hovers, on the whole draft.
//!
//! Constructs that can run arbitrarily far make the whole draft be analysed in one piece (still
//! exact, just not incremental): Markdown fenced code (```` ``` ````, `~~~`), HTML comments,
//! front matter whose end is not in the first chunk, inline directives (`copydesk-disable …`),
//! and a reference-style teaser link whose label is defined elsewhere. Language detection reads
//! the first 64 KB of a draft: it is re-run (masking and detection, not the analysis) only when
//! an edit lands there, and every chunk is analysed with the detected language.
//!
//! The chunks the edit touches are analysed again, cut anew inside. The region takes in the
//! chunk before when the cut at its start no longer holds (its first character is no longer a
//! letter or a digit, a quotation appeared in its first two paragraphs, or the draft's last
//! chunk lost its inner blank line) and the chunk after while the cut at its end would be
//! invalid (no blank line before it any more, a teaser on its last line, no inner blank line).
//! A property test (`tests/incremental.rs`) checks incremental == full after random edits.

use crate::analysis::{Analysis, BlankLines, analyze_reading_blank_lines, language, quotations};
use crate::attribution::Speakers;
use crate::config::Config;
use crate::language::{DETECTION_WINDOW, Lang, LangSetting};
use crate::positions::{Encoding, LineIndex};
use crate::prose::mask::line_ranges;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// When a draft is cut, and how finely.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Below this size a full analysis costs about what the bookkeeping does: one chunk.
    pub min_chunked: usize,
    /// Chunks hold whole paragraphs, at least this many bytes (four times as many in drafts
    /// of a megabyte or more: fewer chunks to keep, for a keystroke that costs a few
    /// milliseconds there anyway).
    pub chunk_target: usize,
    /// Regions at least this long are analysed on several threads (a keystroke's region, a
    /// chunk or two, stays on one: a thread costs more than it saves there).
    pub parallel_from: usize,
}

impl Limits {
    fn target(&self, len: usize) -> usize {
        if len >= 1 << 20 {
            self.chunk_target * 4
        } else {
            self.chunk_target
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            min_chunked: 16 * 1024,
            chunk_target: 2 * 1024,
            parallel_from: 128 * 1024,
        }
    }
}

/// The text of a draft, as a string or a rope.
pub trait Source: Sync {
    fn len_bytes(&self) -> usize;
    /// The bytes `range`, which start and end on character boundaries.
    fn slice(&self, range: Range<usize>) -> Cow<'_, str>;
    /// The bytes `range`, or `None` when it does not start and end on character boundaries.
    fn try_slice(&self, range: Range<usize>) -> Option<Cow<'_, str>>;
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
    fn try_slice(&self, range: Range<usize>) -> Option<Cow<'_, str>> {
        self.get(range).map(Cow::Borrowed)
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
    fn try_slice(&self, range: Range<usize>) -> Option<Cow<'_, str>> {
        self.get_byte_slice(range).map(Into::into)
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
    /// Plain text with no blank line between two lines of prose: one paragraph per line.
    lines: bool,
}

/// Why a region could not be cut into chunks.
enum Stop {
    /// Its end is not a valid cut: take the next chunk in.
    Extend,
    /// A chunk reaches beyond itself: the draft must be analysed whole.
    Whole,
    /// Its start is not a valid cut (a quotation in its first paragraph): take the chunk
    /// before in too.
    Before,
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
            lines: false,
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
        // The chunks the edit touches. The cut at the first one's start stays valid if its
        // first character is still a letter or a digit: the line before it is unchanged (the
        // edit starts at or after the cut), and so is everything the chunk before decides.
        // The cut at the last one's end is checked once the region is read (`analyse_region`).
        let mut first = self.chunk_at(dirty.start);
        let mut last = self.chunk_at(old_end);
        if first > 0 && !opens_with_alphanumeric(text, self.chunks[first].start, new_len) {
            first -= 1;
        }
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
                Err(Stop::Before) => first -= 1,
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
        // Only called for `language = "auto"`.
        self.lang = language(&text.slice(0..end), &self.config, self.markdown);
        self.lang
    }

    /// Analyses the whole text again, cutting it anew.
    fn rebuild(&mut self, text: &(impl Source + ?Sized)) {
        let len = text.len_bytes();
        self.len = len;
        self.chunks.clear();
        if len >= self.limits.min_chunked && !self.whole {
            // Blank lines as typed: a line that only masking blanks (a bare URL) is found by
            // the chunks' own check, and the draft is then analysed whole.
            self.lines = !self.markdown && !has_inner_blank_line(text, 0..len);
            let (cuts, _) = candidates(text, 0..len, self.lines);
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
                self.lang = language(&text.slice(0..window), &self.config, self.markdown);
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
        let (analysis, blank) =
            analyze_reading_blank_lines(&whole, &self.config, self.markdown, Speakers::AsWritten);
        self.lang = analysis.lang;
        // Only a hint for the next edit (both ways give the same result): whether cutting
        // would be given up at once (also a teaser's `[label]` that a definition anywhere may
        // resolve, and a draft of lines of prose that reads blank-line paragraphs because
        // masking blanks a line, which has no line to cut at).
        let bracket_teaser = self.markdown
            && analysis
                .teasers
                .iter()
                .any(|t| t.link.is_none() && whole[t.range.clone()].contains('['));
        self.whole = len >= self.limits.min_chunked
            && (reaches_out(&whole, self.markdown, true)
                || bracket_teaser && has_reference_definition(&whole)
                || !self.markdown && !has_inner_blank_line(text, 0..len) && blank.inner);
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
        // A blank line typed into a draft read one paragraph per line: it now reads blank-line
        // paragraphs, and is cut anew.
        if self.lines && has_inner_blank_line(source, region.clone()) {
            return Err(Stop::Whole);
        }
        let target = self.limits.target(source.len_bytes());
        // Every line where a cut may be made but for the quotation and size rules: the
        // pieces between them, and whether each holds a blank line between two paragraphs.
        let (candidates, inner) = candidates(source, region.clone(), self.lines);
        let mut bounds = vec![0];
        bounds.extend(candidates.iter().map(|c| c - base));
        bounds.push(region.len());
        let pieces = bounds.len() - 1;
        // In plain text every chunk holds a blank line between two of its paragraphs, so that
        // it reads paragraphs as the whole draft does (unless the draft reads one paragraph
        // per line, and so does every chunk without a blank line; checked below): two pieces
        // or more, or one that holds such a blank line.
        let free = self.markdown || self.lines;
        let holds_blank = |from: usize, to: usize| free || to - from >= 2 || inner[from];
        if pieces == 1 && !holds_blank(0, 1) {
            if !at_end {
                return Err(Stop::Extend);
            }
            // The region's only chunk is the draft's last: it must join the one before.
            if !at_start {
                return Err(Stop::Before);
            }
        }
        let config = Config {
            language: match self.lang {
                Lang::Fr => LangSetting::Fr,
                Lang::En => LangSetting::En,
            },
            ..(*self.config).clone()
        };
        // A quotation may take its attribution from the paragraph before it (an introduction
        // ending in a colon, the quotation it continues), and `Et d'ajouter :` from the
        // speaker of the paragraph before that: so a cut needs no quotation in the two
        // paragraphs after it. Read the quotations first, which costs little, rather than
        // analyse chunks that would have to be joined again.
        if pieces > 1 || !at_start {
            let heads = quotation_heads(
                source,
                base,
                &bounds,
                &inner,
                &config,
                (self.markdown, self.lines),
                (target, self.limits.parallel_from),
            );
            let valid = |k: usize| {
                let (first, second) = heads[k];
                let second = second.unwrap_or_else(|| heads.get(k + 1).is_some_and(|h| h.0));
                !first && !second
            };
            if !at_start && !valid(0) {
                return Err(Stop::Before);
            }
            // The valid cuts, a chunk's length apart, each chunk holding its blank line. The
            // region's end was checked when it was made.
            let mut keep = vec![true; bounds.len()];
            let mut last = 0;
            for (k, keep) in keep.iter_mut().enumerate().take(pieces).skip(1) {
                *keep = bounds[k] - bounds[last] >= target && holds_blank(last, k) && valid(k);
                if *keep {
                    last = k;
                }
            }
            // The last chunk too: else it joins the one before.
            if !holds_blank(last, pieces) && last > 0 {
                keep[last] = false;
            }
            let mut k = 0;
            bounds.retain(|_| {
                k += 1;
                keep[k - 1]
            });
        }
        // The cut at the region's end needs a blank line before it (a line break, with one
        // paragraph per line): checked before anything is analysed. Only the last line counts,
        // and the last piece holds it whatever chunk it ends up in.
        if !at_end {
            let tail = source.slice(base + bounds[bounds.len() - 2]..region.end);
            let ok = if self.lines {
                tail.ends_with(['\n', '\r'])
            } else {
                ends_with_blank_line(&tail)
            };
            if !ok {
                return Err(Stop::Extend);
            }
        }
        let planned: Vec<Range<usize>> = bounds.windows(2).map(|w| w[0]..w[1]).collect();
        let reader = ChunkReader {
            config: &config,
            parallel_from: self.limits.parallel_from,
            markdown: self.markdown,
            enc: self.enc,
        };
        let mut read = reader.read_all(source, base, &planned, at_start);
        let mut out: Vec<Chunk> = Vec::with_capacity(planned.len());
        let mut line = 0;
        let mut k = 0;
        while k < planned.len() {
            let s = planned[k].start;
            let draft_start = at_start && s == 0;
            let mut next = k + 1;
            let mut chunk = read[k].take().expect("every planned chunk is read once");
            // A teaser on the chunk's last non-blank line may take its title from beyond: the
            // chunk takes in the next one.
            while chunk.tail_teaser && next < planned.len() {
                next += 1;
                let text = source.slice(base + s..base + planned[next - 1].end);
                chunk = reader.read(&text, draft_start);
            }
            if chunk.tail_teaser && !at_end {
                return Err(Stop::Extend);
            }
            let e = planned[next - 1].end;
            let blank = chunk.blank;
            // One paragraph per line holds while no blank line of prose lies between two lines
            // of prose of the draft: else it reads blank-line paragraphs, cut anew.
            if self.lines {
                let draft_end = at_end && e == region.len();
                if blank.inner || blank.leading && !draft_start || blank.trailing && !draft_end {
                    return Err(Stop::Whole);
                }
            } else if !self.markdown && !blank.inner {
                // The blank line typed between two paragraphs may lie next to a line that
                // masking blanks (`>> <<`, a bare URL): alone, the chunk would read one
                // paragraph per line.
                return Err(Stop::Whole);
            }
            if chunk.data.reaches_out {
                return Err(Stop::Whole);
            }
            let lines = chunk.data.lines;
            out.push(Chunk {
                start: base + s,
                first_line: line,
                data: Arc::new(chunk.data),
            });
            line += lines;
            k = next;
        }
        // The quotations were read by `quotations`, the same reading as `analyze`'s, for every
        // chunk kept (one that reaches out, or a draft that no longer reads one paragraph per
        // line, reads differently and is not kept).
        debug_assert!(
            out.iter().all(|c| c.start == 0
                || !c
                    .data
                    .analysis
                    .quotes
                    .quotations
                    .iter()
                    .any(|q| q.paragraph <= 1)),
            "a cut before a quotation"
        );
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

/// At most this many threads analyse one region (the analysis thread and helpers).
const MAX_THREADS: usize = 4;

/// How many threads read a region of `len` bytes in `parts` parts.
fn threads_for(len: usize, parallel_from: usize, parts: usize) -> usize {
    if len >= parallel_from && parts >= 4 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
    } else {
        1
    }
}

/// `f(0)`, …, `f(n - 1)`, in order, computed on up to `threads` threads (this one and helpers)
/// that take indices from a shared counter (parts differ in cost). A helper that cannot start
/// leaves its share to the others; a panic in one is raised again here.
fn map_parallel<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    if threads <= 1 || n < 2 {
        return (0..n).map(f).collect();
    }
    let counter = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = counter.fetch_add(1, Ordering::Relaxed);
            if k >= n {
                break done;
            }
            done.push((k, f(k)));
        }
    };
    let mut out: Vec<Option<T>> = Vec::with_capacity(n);
    out.resize_with(n, || None);
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("copydesk-chunks".into())
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        for (k, r) in work() {
            out[k] = Some(r);
        }
        for h in helpers {
            match h.join() {
                Ok(done) => {
                    for (k, r) in done {
                        out[k] = Some(r);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    out.into_iter()
        .map(|r| r.expect("every index is mapped once"))
        .collect()
}

/// A chunk analysed on its own, with what the engine checks before keeping it.
struct ChunkRead {
    data: ChunkData,
    /// Where its masked prose has blank lines.
    blank: BlankLines,
    /// A teaser on its last non-blank line (which may take its title from beyond).
    tail_teaser: bool,
}

/// Analyses chunks the way the engine keeps them.
struct ChunkReader<'a> {
    config: &'a Config,
    parallel_from: usize,
    markdown: bool,
    enc: Encoding,
}

impl ChunkReader<'_> {
    /// One chunk; `draft_start`: it is the draft's first.
    fn read(&self, text: &str, draft_start: bool) -> ChunkRead {
        let markdown = self.markdown;
        let (analysis, blank) =
            analyze_reading_blank_lines(text, self.config, markdown, Speakers::AsWritten);
        let last_line = last_nonblank_line_start(text);
        let tail_teaser = analysis.teasers.iter().any(|t| t.range.start >= last_line);
        ChunkRead {
            blank,
            tail_teaser,
            data: ChunkData {
                len: text.len(),
                lines: line_ranges(text.as_bytes()).len() - 1,
                spans: spans(text, &analysis, self.enc),
                has_bracket_teaser: markdown
                    && analysis
                        .teasers
                        .iter()
                        .any(|t| t.link.is_none() && text[t.range.clone()].contains('[')),
                has_references: markdown && has_reference_definition(text),
                reaches_out: reaches_out(text, markdown, draft_start),
                analysis,
            },
        }
    }

    /// The chunks `planned` (relative to `base`), each read alone; long regions on several
    /// threads, which take chunks from a shared counter (chunks differ in cost).
    fn read_all(
        &self,
        source: &(impl Source + ?Sized),
        base: usize,
        planned: &[Range<usize>],
        at_start: bool,
    ) -> Vec<Option<ChunkRead>> {
        let read = |k: usize| {
            let r = &planned[k];
            let text = source.slice(base + r.start..base + r.end);
            self.read(&text, at_start && r.start == 0)
        };
        let len = planned.last().map_or(0, |r| r.end);
        let threads = threads_for(len, self.parallel_from, planned.len());
        map_parallel(planned.len(), threads, |k| Some(read(k)))
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
    // `analyze` keeps no attributions (hovers resolve speakers on the whole draft).
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
    // Findings are sorted by start: cursors convert them in time linear in the text, even on
    // one huge line (converting each from its line's start was quadratic there).
    let (mut starts, mut ends) = (index.cursor(enc), index.cursor(enc));
    analysis
        .findings
        .iter()
        .map(|f| {
            let (l0, c0) = starts.position(f.range.start);
            let (l1, c1) = ends.position(f.range.end);
            [l0 as u32, c0 as u32, l1 as u32, c1 as u32]
        })
        .collect()
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// Where `region` of the draft may be cut but for the quotation and size rules (offsets of
/// line starts, increasing, never the region's ends), read piece by piece; and for each piece
/// between them, whether it holds a blank line between two of its paragraphs.
fn candidates(
    source: &(impl Source + ?Sized),
    region: Range<usize>,
    lines: bool,
) -> (Vec<usize>, Vec<bool>) {
    let mut c = Cutter {
        lines,
        out: Vec::new(),
        inner: Vec::new(),
        chunk_start: region.start,
        between: BlankBetween::default(),
        prev_blank: false,
    };
    let mut scan = LineScan::new(region.start);
    source.pieces(region, &mut |piece| scan.feed(piece, &mut c));
    scan.finish(&mut c);
    c.inner.push(c.between.found);
    (c.out, c.inner)
}

/// Whether `region` holds a blank line (as typed) between two lines that are not blank.
fn has_inner_blank_line(source: &(impl Source + ?Sized), region: Range<usize>) -> bool {
    let mut between = BlankBetween::default();
    let mut scan = LineScan::new(region.start);
    source.pieces(region, &mut |piece| scan.feed(piece, &mut between));
    scan.finish(&mut between);
    between.found
}

/// Whether the lines read so far held a blank line between two lines of text.
#[derive(Default)]
struct BlankBetween {
    seen_text: bool,
    blank_after_text: bool,
    found: bool,
}

impl Lines for BlankBetween {
    fn end_line(&mut self, blank: bool) {
        if blank {
            self.blank_after_text |= self.seen_text;
        } else {
            self.found |= self.blank_after_text;
            self.seen_text = true;
        }
    }
}

/// What a [`LineScan`] reports: each line's first character and offset, and each line's end
/// with whether the line was blank (whitespace only).
trait Lines {
    fn start_line(&mut self, _at: usize, _first: char) {}
    fn end_line(&mut self, blank: bool);
}

/// Reads a region's lines as its pieces come (a line may straddle two pieces): CR, LF and
/// CRLF end a line. Only a line's first character and, while the line is blank so far, the
/// characters after it are looked at; the rest of a line is skipped to its end by `memchr`.
struct LineScan {
    /// The offset of the next piece's first byte.
    pos: usize,
    line_start: usize,
    line_blank: bool,
    /// The last byte was a CR: a LF now belongs to the same line break.
    after_cr: bool,
}

impl LineScan {
    fn new(start: usize) -> Self {
        LineScan {
            pos: start,
            line_start: start,
            line_blank: true,
            after_cr: false,
        }
    }

    fn feed(&mut self, piece: &str, to: &mut impl Lines) {
        let bytes = piece.as_bytes();
        let base = self.pos;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    i += 1;
                    self.line_start = base + i;
                    continue;
                }
            }
            if b == b'\n' || b == b'\r' {
                to.end_line(self.line_blank);
                self.line_blank = true;
                i += 1;
                self.line_start = base + i;
                self.after_cr = b == b'\r';
                continue;
            }
            if base + i == self.line_start || self.line_blank {
                let ch = piece[i..].chars().next().unwrap_or(' ');
                if base + i == self.line_start {
                    to.start_line(base + i, ch);
                }
                if !ch.is_whitespace() {
                    self.line_blank = false;
                }
                i += ch.len_utf8();
            } else {
                i = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(bytes.len(), |k| i + k);
            }
        }
        self.pos = base + bytes.len();
    }

    /// The region's last line ends with it.
    fn finish(&mut self, to: &mut impl Lines) {
        to.end_line(self.line_blank);
    }
}

/// For each piece between `bounds` (relative to `base`): whether its first paragraph holds a
/// quotation, and its second (`None` when it has one paragraph: the next piece's first is
/// the one after). The pieces are read in batches of 32 chunk targets (64 KB), each as the
/// chunk it may become would read it: a batch starts on a would-be cut and, in plain text with
/// blank-line paragraphs, holds two pieces or one with a blank line of its own.
fn quotation_heads(
    source: &(impl Source + ?Sized),
    base: usize,
    bounds: &[usize],
    inner: &[bool],
    config: &Config,
    (markdown, lines): (bool, bool),
    (target, parallel_from): (usize, usize),
) -> Vec<(bool, Option<bool>)> {
    let batch = target * 32;
    let free = markdown || lines;
    let pieces = bounds.len() - 1;
    // Batches as ranges of pieces.
    let mut batches: Vec<Range<usize>> = Vec::new();
    let mut from = 0;
    for k in 1..=pieces {
        let holds = free || k - from >= 2 || inner[from];
        if k == pieces || (bounds[k] - bounds[from] >= batch && holds) {
            batches.push(from..k);
            from = k;
        }
    }
    // A last batch that cannot be read alone joins the one before.
    if let [.., before, last] = batches.as_mut_slice()
        && !(free || last.len() >= 2 || inner[last.start])
    {
        before.end = last.end;
        batches.pop();
    }
    // Each batch read on its own: its paragraphs, which of them hold a quotation, and whether
    // a teaser stands on its last line.
    let read = |b: &Range<usize>| {
        let text = source.slice(base + bounds[b.start]..base + bounds[b.end]);
        let (paragraphs, quotes, teasers) = quotations(&text, config, markdown);
        let last_line = last_nonblank_line_start(&text);
        let tail_teaser = teasers.iter().any(|t| t.range.start >= last_line);
        let mut quoted = vec![false; paragraphs.len()];
        for q in &quotes.quotations {
            quoted[q.paragraph] = true;
        }
        (paragraphs, quoted, tail_teaser)
    };
    let len = bounds[pieces] - bounds[0];
    let mut first_reads: Vec<Option<_>> = map_parallel(
        batches.len(),
        threads_for(len, parallel_from, batches.len()),
        |i| Some(read(&batches[i])),
    );
    let mut heads = Vec::with_capacity(pieces);
    let mut next = 0;
    while next < batches.len() {
        let mut b = batches[next].clone();
        let mut r = first_reads[next].take().expect("each batch is read once");
        next += 1;
        // A teaser on the batch's last line may take its title from the next batch: read
        // them together, as the chunk there would grow.
        while r.2 && next < batches.len() {
            b.end = batches[next].end;
            next += 1;
            r = read(&b);
        }
        let (paragraphs, quoted, _) = r;
        let start = bounds[b.start];
        for k in b {
            let at = bounds[k] - start;
            let i = paragraphs.partition_point(|p| p.start < at);
            heads.push((
                quoted.get(i).copied().unwrap_or(false),
                quoted.get(i + 1).copied(),
            ));
        }
    }
    heads
}

/// Proposes the cuts from the lines as they come (see [`candidates`]).
struct Cutter {
    /// One paragraph per line: a line of prose may follow the cut directly.
    lines: bool,
    out: Vec<usize>,
    /// For each piece closed so far, whether it held a blank line between two paragraphs.
    inner: Vec<bool>,
    chunk_start: usize,
    /// In the current chunk: whether it holds a blank line between two lines of text.
    between: BlankBetween,
    prev_blank: bool,
}

impl Lines for Cutter {
    /// The first character of a line: the line may open a new chunk.
    fn start_line(&mut self, at: usize, first: char) {
        // A piece holds text (the draft's leading blank lines are not a piece of their own):
        // so a chunk of two pieces or more holds a blank line between two paragraphs.
        if first.is_alphanumeric()
            && (self.prev_blank || self.lines)
            && at > self.chunk_start
            && self.between.seen_text
        {
            self.out.push(at);
            self.inner.push(self.between.found);
            self.chunk_start = at;
            self.between = BlankBetween::default();
        }
    }

    fn end_line(&mut self, blank: bool) {
        self.between.end_line(blank);
        self.prev_blank = blank;
    }
}

/// Whether the text at `at` starts with a letter or a digit (a cut may be made there).
fn opens_with_alphanumeric(source: &(impl Source + ?Sized), at: usize, len: usize) -> bool {
    // A character is at most 4 bytes; `at` is a character boundary.
    let mut end = (at + 4).min(len);
    let head = loop {
        if let Some(head) = source.try_slice(at..end) {
            break head;
        }
        end -= 1;
    };
    head.chars().next().is_some_and(char::is_alphanumeric)
}

/// Whether `text` ends with a line break closing a blank line (a cut may follow it).
fn ends_with_blank_line(text: &str) -> bool {
    let body = if let Some(b) = text.strip_suffix("\r\n") {
        b
    } else if let Some(b) = text.strip_suffix(['\n', '\r']) {
        b
    } else {
        return false;
    };
    let last = body.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    is_blank(&body[last..])
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
    use crate::analyze;

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
