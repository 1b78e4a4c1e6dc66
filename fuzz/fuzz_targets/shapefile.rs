//! The shapefile reader: `.shp` with its `.shx`, `.dbf`, `.prj` and `.cpg`.
//!
//! Input: one flag byte (bit 0: `.shx` present, 1: `.dbf`, 2: `.prj`, 3: `.cpg`, 4: the
//! layer needs its attributes), then the files' bytes separated by `SEPARATOR`.
#![no_main]

use gridkeeper::io::{read_layer, ReadOptions};
use gridkeeper_fuzz::{put, remove, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let parts = split(rest);
    let part = |i: usize| parts.get(i).copied().unwrap_or_default();
    let shp = put("layer.shp", part(0));
    for (bit, ext) in [(1u8, "shx"), (2, "dbf"), (4, "prj"), (8, "cpg")] {
        let name = format!("layer.{ext}");
        let i = 1 + bit.trailing_zeros() as usize;
        if flags & bit != 0 {
            put(&name, part(i));
        } else {
            remove(&name);
        }
    }
    let options = ReadOptions {
        require_attributes: flags & 16 != 0,
        ..Default::default()
    };
    if let Ok(layer) = read_layer(&shp, &options) {
        // Every value of every column can be read back.
        for f in 0..layer.fields.len() {
            for row in 0..layer.len() {
                let _ = layer.value(row, f);
            }
        }
    }
});
