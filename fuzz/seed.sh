#!/bin/sh
# Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from the project's drafts:
# tests/drafts/*, tests/corpus/* (when present), the shared seed article, fuzz/seeds/*, and the
# inputs of tests/fuzz-regressions/analyze/ (for `analyze`).
# The `analyze` target reads its first byte as options (bit 0 Markdown, bits 1-2 language:
# auto, fr, en; bits 3-4 region), so each draft goes in under several option bytes.
# The `config` target gets the *.toml files of the project and fuzz/seeds/config-*.{toml,json}.
# Usage: sh fuzz/seed.sh   (from anywhere; idempotent). COPYDESK_CORPUS=DIR seeds DIR instead of
# fuzz/corpus (a fresh corpus beside a grown one: run the target binary on DIR).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=${COPYDESK_CORPUS:-"$here/corpus"}
mkdir -p "$corpus/analyze" "$corpus/incremental_edits" "$corpus/positions" "$corpus/config"
n=0
for f in "$root"/tests/drafts/* "$root"/tests/corpus/* "$root"/../shared/examples/*.txt "$here"/seeds/*; do
    [ -f "$f" ] || continue
    case "$f" in *.toml | *.json) continue ;; esac
    name=$(basename "$f")
    # Plain and Markdown; auto, French and English; France and Quebec.
    for flags in 00 01 02 03 04 05 0a 0b; do
        # POSIX printf knows octal escapes only.
        { printf "\\$(printf %03o "0x$flags")"; cat "$f"; } > "$corpus/analyze/$flags-$name"
    done
    # The other targets decode their input with `arbitrary`; a raw draft is still a useful
    # start (its bytes become the initial text and the first edits).
    cp "$f" "$corpus/incremental_edits/$name"
    cp "$f" "$corpus/positions/$name"
    n=$((n + 1))
done
for f in "$root"/*.toml "$root"/tests/drafts/*.toml "$root"/tests/corpus/*.toml "$here"/seeds/*.toml "$here"/seeds/*.json; do
    [ -f "$f" ] || continue
    cp "$f" "$corpus/config/$(basename "$f")"
done
# Every input a fuzzer ever failed on: raw `analyze` inputs, option byte included. A fresh
# corpus grown from them and the drafts found finding 47 within 300,000 executions, where a
# corpus grown over sessions had run 9 million without it.
r=0
for f in "$root"/tests/fuzz-regressions/analyze/*; do
    [ -f "$f" ] || continue
    cp "$f" "$corpus/analyze/regression-$(basename "$f")"
    r=$((r + 1))
done
echo "seeded $n drafts and $r regression inputs into $corpus"
