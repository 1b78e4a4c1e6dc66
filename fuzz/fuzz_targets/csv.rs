//! The CSV point reader (historical cases, address lists).
#![no_main]

use gridkeeper::io::{read_layer, ReadOptions};
use gridkeeper_fuzz::put;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = put("points.csv", data);
    let _ = read_layer(&p, &ReadOptions::default());
});
