//! Arbitrary drafts, plain and Markdown, in French, English or detected: the analysis never
//! panics, its ranges are on character boundaries inside the text, and its fixes apply cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// `COPYDESK_FUZZ_STRICT=1`: also fail when fix-all adds a finding of any rule.
static STRICT: LazyLock<bool> =
    LazyLock::new(|| std::env::var("COPYDESK_FUZZ_STRICT").is_ok_and(|v| v == "1"));

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (config, markdown) = copydesk_fuzz::options(flags);
    copydesk_fuzz::check(&text, &config, markdown, *STRICT);
});
