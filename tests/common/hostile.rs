//! Generated inputs of a hostile size, shared by the tests and the benches.

/// A GeoJSON layer (EPSG:4549) of two strips sharing a boundary `n` metres long with a vertex
/// every metre; the upper strip leaves out its vertices at the x of `missing`.
pub fn long_neighbours_geojson(n: i32, missing: &[i32]) -> String {
    let (x0, y0) = (500_000.0, 2_730_000.0);
    let feature = |points: Vec<(f64, f64)>| {
        let coords: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("[{},{}]", x0 + x, y0 + y))
            .collect();
        format!(
            r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            coords.join(",")
        )
    };
    let mut lower = vec![(0.0, 0.0), (f64::from(n), 0.0)];
    lower.extend((0..=n).rev().map(|x| (f64::from(x), 10.0)));
    lower.push((0.0, 0.0));
    let mut upper: Vec<(f64, f64)> = (0..=n)
        .filter(|x| !missing.contains(x))
        .map(|x| (f64::from(x), 10.0))
        .collect();
    upper.extend([(f64::from(n), 20.0), (0.0, 20.0), (0.0, 10.0)]);
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:4549"}}}},"features":[{},{}]}}"#,
        feature(lower),
        feature(upper)
    )
}
