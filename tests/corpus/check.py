#!/usr/bin/env python3
"""Validate the quotation corpus and print its make-up.

Usage: python3 tests/corpus/check.py [FILE.toml ...]
(defaults to every quotes-*.toml beside this script)

What it checks, per excerpt:
  * the file is valid TOML; ids are unique; format is plain or markdown;
  * every `find` occurs exactly once in the text;
  * class is speech, term or title; speech quotes say whether they are
    attributed; attributed ones have a speaker and a cue, unattributed and
    non-speech ones have neither; a speaker is never I/we/je/nous; the speaker
    and the cue (other than ":" and "continuation") occur in the text;
  * an independent scan of the quotation marks (« », “ ”, ‘ ’, straight "…",
    straight '…' nested in "…") finds every quotation, following a quotation
    over several paragraphs when each new paragraph reopens with the opening
    mark; every quotation segment (one per paragraph) carries exactly one
    label, and every label falls inside a quotation.

And for the cue lexicon in data/cues/:
  * verb lines have 6 fields (French) or 5 (English), phrase lines a known tag,
    no entry appears twice;
  * every cue written in the corpus is covered by the lexicon (a verb form, a
    derived form, or a phrase); uncovered cues are listed as problems.

Exit status 0 when the corpus and lexicon are clean, 1 otherwise.
"""
from __future__ import annotations

import collections
import pathlib
import re
import sys
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
CLASSES = {"speech", "term", "title"}
FORBIDDEN_SPEAKERS = {"i", "we", "je", "nous", "me", "moi", "us"}
OPEN_FOR = {"»": "«", "”": "“", "’": "‘"}
REOPENERS = {"«", "“", "‘", '"'}


def count_occurrences(text: str, needle: str) -> int:
    n, start = 0, 0
    while True:
        i = text.find(needle, start)
        if i < 0:
            return n
        n += 1
        start = i + 1


def is_letter(ch: str) -> bool:
    return ch.isalnum()


def paragraph_start(line: str) -> int:
    """Offset of the first character of prose in a line (skips Markdown
    block markers and emphasis), used to see whether a paragraph reopens a
    quotation."""
    m = re.match(r"[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|[-*+][ \t]+|\d+\.[ \t]+)?(?:[*_]{1,3})?", line)
    return m.end() if m else 0


def scan_quotes(text: str):
    """Return (segments, errors). A segment is (start, end, opener, depth)
    with start/end the bounds of the inner text in one paragraph."""
    segments: list[tuple[int, int, str, int]] = []
    errors: list[str] = []
    lines = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    paras = [(off, ln) for off, ln in lines if ln.strip()]
    stack: list[list] = []  # [opener, inner_start]
    for pi, (off, line) in enumerate(paras):
        skip = None
        if stack:
            # a quotation carried over from the previous paragraph: its
            # reopening mark is consumed here
            s = paragraph_start(line)
            skip = off + s
            for item in stack:
                item[1] = skip + 1
        for j, ch in enumerate(line):
            i = off + j
            if i == skip:
                continue
            prev = line[j - 1] if j > 0 else " "
            nxt = line[j + 1] if j + 1 < len(line) else " "
            top = stack[-1][0] if stack else None
            if ch in "«“":
                stack.append([ch, i + 1])
            elif ch == "‘":
                stack.append([ch, i + 1])
            elif ch in "»”":
                if top == OPEN_FOR[ch]:
                    o, st = stack.pop()
                    segments.append((st, i, o, len(stack)))
                else:
                    errors.append(f"closing {ch!r} at {i} closes {top!r}: {line[max(0,j-30):j+10]!r}")
            elif ch == "’":
                if top == "‘" and not is_letter(nxt):
                    o, st = stack.pop()
                    segments.append((st, i, o, len(stack)))
                # otherwise an apostrophe
            elif ch == '"':
                if top == '"':
                    o, st = stack.pop()
                    segments.append((st, i, o, len(stack)))
                else:
                    stack.append([ch, i + 1])
            elif ch == "'":
                if top == "'" and not is_letter(nxt) and not prev.isspace():
                    o, st = stack.pop()
                    segments.append((st, i, o, len(stack)))
                elif top == '"' and (prev.isspace() or prev in '"(') and is_letter(nxt):
                    stack.append([ch, i + 1])
        if stack:
            end = off + len(line)
            nxt_para = paras[pi + 1][1] if pi + 1 < len(paras) else ""
            reopen = nxt_para[paragraph_start(nxt_para):][:1]
            if len(stack) == 1 and reopen == stack[0][0] and reopen in REOPENERS:
                o, st = stack[0]
                segments.append((st, end, o, 0))
            else:
                errors.append(f"quotation {stack[-1][0]!r} opened in paragraph {pi+1} never closes: {line[:60]!r}")
                stack = []
    return segments, errors


def check_file(path: pathlib.Path):
    problems: list[str] = []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    excerpts = data.get("excerpt", [])
    ids = set()
    stats = collections.Counter()
    cue_kinds = collections.Counter()
    styles = collections.Counter()
    for ex in excerpts:
        eid = ex.get("id", "?")
        if eid in ids:
            problems.append(f"{eid}: duplicate id")
        ids.add(eid)
        if ex.get("format") not in ("plain", "markdown"):
            problems.append(f"{eid}: format must be plain or markdown")
        stats["format_" + str(ex.get("format"))] += 1
        text = ex.get("text", "")
        if not text.strip():
            problems.append(f"{eid}: empty text")
        lines = [l for l in text.split("\n")]
        if any(not l.strip() for l in lines[:-1]):
            styles["blank-line paragraphs"] += 1
        else:
            styles["one paragraph per line"] += 1
        marks = set()
        for mark, name in (("«", "guillemets"), ("“", "curly double"), ("‘", "curly single"), ('"', "straight")):
            if mark in text:
                marks.add(name)
        for m in marks:
            styles["marks: " + m] += 1
        if "«\u00a0" in text or "\u00a0»" in text:
            styles["guillemets with U+00A0"] += 1
        if "«\u202f" in text or "\u202f»" in text:
            styles["guillemets with U+202F"] += 1
        if re.search(r"«\S", text) or re.search(r"\S»", text):
            styles["guillemets without space"] += 1
        if "« " in text or " »" in text:
            styles["guillemets with ordinary space"] += 1

        quotes = ex.get("quote", [])
        stats["excerpts"] += 1
        positions = []
        for k, q in enumerate(quotes):
            where = f"{eid} quote {k+1} ({q.get('find', '')[:30]!r})"
            find = q.get("find", "")
            if not find:
                problems.append(f"{where}: empty find")
                continue
            n = count_occurrences(text, find)
            if n != 1:
                problems.append(f"{where}: find occurs {n} times")
                continue
            positions.append((text.find(find), len(find), k))
            cls = q.get("class")
            if cls not in CLASSES:
                problems.append(f"{where}: class {cls!r}")
                continue
            stats["quotes"] += 1
            stats[cls] += 1
            if q.get("gray"):
                stats["gray"] += 1
            if cls != "speech":
                for key in ("attributed", "speaker", "cue"):
                    if key in q:
                        problems.append(f"{where}: {cls} quote must not have {key}")
                continue
            att = q.get("attributed")
            if not isinstance(att, bool):
                problems.append(f"{where}: speech needs attributed = true|false")
                continue
            if att:
                stats["attributed"] += 1
                spk, cue = q.get("speaker", ""), q.get("cue", "")
                if not spk or not cue:
                    problems.append(f"{where}: attributed speech needs speaker and cue")
                    continue
                if spk.lower() in FORBIDDEN_SPEAKERS:
                    problems.append(f"{where}: speaker {spk!r} is a first-person pronoun")
                if spk.lower() not in text.lower():
                    problems.append(f"{where}: speaker {spk!r} is not written in the text")
                if cue == "continuation":
                    cue_kinds["continuation"] += 1
                elif cue == ":":
                    cue_kinds["colon"] += 1
                else:
                    cue_kinds["verb/phrase"] += 1
                    if cue.lower() not in text.lower():
                        problems.append(f"{where}: cue {cue!r} is not written in the text")
            else:
                stats["unattributed"] += 1
                if "speaker" in q or "cue" in q:
                    problems.append(f"{where}: unattributed speech must not have speaker/cue")

        segments, errors = scan_quotes(text)
        for e in errors:
            problems.append(f"{eid}: {e}")
        labels_per_segment = collections.defaultdict(list)
        for start, length, k in positions:
            containing = [s for s in segments if s[0] <= start and start + length <= s[1]]
            if not containing:
                problems.append(f"{eid} quote {k+1}: find {text[start:start+length][:30]!r} is not inside a quotation")
                continue
            inner = min(containing, key=lambda s: s[1] - s[0])
            labels_per_segment[inner].append(k)
        for s in segments:
            got = labels_per_segment.get(s, [])
            if len(got) != 1:
                problems.append(
                    f"{eid}: quotation {text[s[0]:s[1]][:40]!r} has {len(got)} labels"
                )
        stats["segments"] += len(segments)
    return stats, cue_kinds, styles, problems


CUES = HERE.parent.parent / "data" / "cues"
FR_TAGS = {"prep", "intro", "noun", "venue", "impersonal", "anaphor", "modal", "frame", "adj", "fverb"}
EN_TAGS = {"prep", "pattern", "noun", "venue", "anaphor", "frame"}


def data_lines(path: pathlib.Path):
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield n, line.strip()


def norm(s: str) -> str:
    return s.lower().replace("’", "'")


def check_lexicon():
    """Validate data/cues and return (problems, sizes, forms per language)."""
    problems, sizes = [], {}
    forms = {"fr": set(), "en": set()}
    phrases = {"fr": set(), "en": set()}
    for path in sorted(CUES.glob("*.txt")):
        seen = set()
        count = 0
        lang = path.name[:2]
        for n, line in data_lines(path):
            count += 1
            key = norm(line)
            if key in seen:
                problems.append(f"{path.name}:{n}: duplicate {line!r}")
            seen.add(key)
            if path.name.endswith("-verbs.txt"):
                fields = line.split("|")
                want = 6 if lang == "fr" else 5
                if len(fields) != want or not all(f.strip() for f in fields):
                    problems.append(f"{path.name}:{n}: expected {want} non-empty fields: {line!r}")
                    continue
                inf = fields[0].removeprefix("se:")
                forms[lang].update(norm(f) for f in [inf] + fields[1:])
                if lang == "fr" and fields[5].endswith("ait"):
                    # present participle from the imparfait stem (promettait -> promettant)
                    first, _, rest = fields[5].partition(" ")
                    forms[lang].add(norm((first[:-3] + "ant " + rest).strip()))
            elif path.name.endswith("-phrases.txt"):
                tag, _, text = line.partition("|")
                tags = FR_TAGS if lang == "fr" else EN_TAGS
                if tag not in tags or not text:
                    problems.append(f"{path.name}:{n}: unknown tag or empty text: {line!r}")
                    continue
                phrases[lang].add(norm(text))
                if tag == "fverb" and not text.startswith(("avoir|", "être|")):
                    # auxiliaries alone never make a cue
                    fields = text.split("|")
                    forms[lang].update(norm(f) for f in [fields[0].removeprefix("se:")] + fields[1:])
            elif "|" in line:
                problems.append(f"{path.name}:{n}: one entry per line, no '|': {line!r}")
        sizes[path.name] = count
    return problems, sizes, forms, phrases


def cue_covered(cue: str, forms: set[str], phrases: set[str]) -> bool:
    c = norm(cue)
    if c in phrases or any(p in c for p in phrases if " " in p):
        return True
    words = [w for w in re.split(r"[\s\-]+", c) if w]
    # strip elided pronouns and inversion particles: l'ont annoncé, a-t-il dit
    words = [w.split("'")[-1] for w in words]
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 6) + 1):
            chunk = " ".join(words[i:j])
            if chunk in forms or chunk in phrases:
                return True
            if chunk.rstrip("es") in forms or chunk[:-1] in forms:  # participle agreement
                return True
    # frame lemmas: "se veut rassurante" -> a form of an fverb is enough
    return False


def main(argv: list[str]) -> int:
    files = [pathlib.Path(a) for a in argv] or sorted(HERE.glob("quotes-*.toml"))
    total_problems = 0
    lex_problems, sizes, forms, phrases = check_lexicon()
    print("== data/cues")
    print("  " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
    for p in lex_problems:
        print(f"  PROBLEM {p}")
    total_problems += len(lex_problems)
    for f in files:
        try:
            stats, cues, styles, problems = check_file(f)
        except tomllib.TOMLDecodeError as e:
            print(f"{f}: invalid TOML: {e}")
            total_problems += 1
            continue
        speech = stats["speech"]
        un = stats["unattributed"]
        print(f"== {f.name}")
        print(f"  excerpts: {stats['excerpts']} (plain {stats['format_plain']}, markdown {stats['format_markdown']})")
        print(f"  quotations labelled: {stats['quotes']} (scanned segments: {stats['segments']})")
        print(f"  speech: {speech}  attributed: {stats['attributed']}  unattributed: {un}"
              f" ({(100 * un / speech) if speech else 0:.1f}% of speech)")
        print(f"  term: {stats['term']}  title: {stats['title']}  gray (judgement calls): {stats['gray']}")
        print(f"  attributed cues: " + ", ".join(f"{k} {v}" for k, v in sorted(cues.items())))
        print(f"  styles: " + ", ".join(f"{k} {v}" for k, v in sorted(styles.items())))
        lang = f.name.removeprefix("quotes-")[:2]
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        for ex in data.get("excerpt", []):
            for q in ex.get("quote", []):
                cue = q.get("cue")
                if cue and cue not in (":", "continuation") and not cue_covered(cue, forms[lang], phrases[lang]):
                    problems.append(f"{ex['id']}: cue {cue!r} is not covered by data/cues")
        for p in problems:
            print(f"  PROBLEM {p}")
        total_problems += len(problems)
    print(f"{total_problems} problems")
    return 1 if total_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
