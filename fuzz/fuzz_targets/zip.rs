//! Zip extraction of a submission package (`check`/`score` on a `.zip`), with small limits
//! so the fuzzer meets them.
#![no_main]

use gridkeeper::submission::{Limits, Package};
use gridkeeper_fuzz::put;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = put("package.zip", data);
    let limits = Limits {
        max_entries: 64,
        max_bytes: 1 << 20,
    };
    // The extraction folder is removed when the package is dropped.
    let _ = Package::open(&p, &limits);
});
