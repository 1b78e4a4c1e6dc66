//! `validate FILE` on arbitrary polygons: rings of small integer coordinates (so vertices
//! coincide, edges cross and touch, rings collapse) at a chosen scale, written as GeoJSON
//! in a projected or a geographic CRS, read back and checked (each polygon's validity,
//! hygiene, overlaps and gaps between them).
#![no_main]

use gridkeeper::io::{read_layer, ReadOptions};
use gridkeeper::schema::Thresholds;
use gridkeeper_fuzz::put;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// 0: planar metres (EPSG:4549 around its false easting), 1: degrees (EPSG:4490).
    geographic: bool,
    /// log10 of the coordinate unit: −3 (mm) … +4.
    scale: i8,
    /// Features → polygons → rings → vertices.
    features: Vec<Vec<Vec<Vec<(i8, i8)>>>>,
}

fuzz_target!(|input: Input| {
    let unit = 10f64.powi(i32::from(input.scale.clamp(-3, 4)));
    let (x0, y0, crs, unit) = if input.geographic {
        (118.5, 24.7, "EPSG:4490", unit * 1e-5)
    } else {
        (500_000.0, 2_730_000.0, "EPSG:4549", unit)
    };
    let features: Vec<serde_json::Value> = input
        .features
        .iter()
        .enumerate()
        .map(|(i, polygons)| {
            let coordinates: Vec<Vec<Vec<[f64; 2]>>> = polygons
                .iter()
                .map(|rings| {
                    rings
                        .iter()
                        .map(|ring| {
                            ring.iter()
                                .map(|&(x, y)| [x0 + f64::from(x) * unit, y0 + f64::from(y) * unit])
                                .collect()
                        })
                        .collect()
                })
                .collect();
            serde_json::json!({
                "type": "Feature",
                "properties": {"id": i},
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            })
        })
        .collect();
    let doc = serde_json::json!({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": crs}},
        "features": features,
    });
    let p = put("polygons.geojson", doc.to_string().as_bytes());
    // A polygon without rings (`[[]]`) is malformed GeoJSON to the reader: exit 2, no check.
    let Ok(layer) = read_layer(&p, &ReadOptions::default()) else {
        return;
    };
    let _ = gridkeeper::validate::file(&layer, &Thresholds::default());
});
