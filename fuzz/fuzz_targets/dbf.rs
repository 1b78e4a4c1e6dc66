//! The DBF reader on its own (a `.dbf` read as a table without geometry).
#![no_main]

use gridkeeper::io::{read_layer, ReadOptions};
use gridkeeper_fuzz::put;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = put("table.dbf", data);
    if let Ok(layer) = read_layer(&p, &ReadOptions::default()) {
        for f in 0..layer.fields.len() {
            for row in 0..layer.len() {
                let _ = layer.value(row, f);
            }
        }
    }
});
