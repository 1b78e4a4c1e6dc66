//! The GeoJSON reader.
#![no_main]

use gridkeeper::io::{read_layer, ReadOptions};
use gridkeeper_fuzz::put;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = put("layer.geojson", data);
    let _ = read_layer(&p, &ReadOptions::default());
});
