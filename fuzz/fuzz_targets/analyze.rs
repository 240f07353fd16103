//! Arbitrary drafts, plain and Markdown, in French, English or detected: the analysis never
//! panics, its ranges are on character boundaries inside the text, its fixes apply cleanly, and
//! fix-all adds no finding of any rule.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Strict by default: fix-all must add no finding of any rule. `COPYDESK_FUZZ_STRICT=0` keeps
/// only the structural checks (for hunting panics past a known strict-mode finding).
static STRICT: LazyLock<bool> =
    LazyLock::new(|| std::env::var("COPYDESK_FUZZ_STRICT").map_or(true, |v| v != "0"));

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (config, markdown) = copydesk_fuzz::options(flags);
    copydesk_fuzz::check(&text, &config, markdown, *STRICT);
});
