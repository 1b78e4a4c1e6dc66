//! Reprojection against PROJ: known coordinates, every one within 1 mm (1e-8° ≈ 1 mm).
//!
//! Expected values from PROJ 9.5.1 through pyproj 3.7.2 (`Transformer.from_crs(a, b,
//! always_xy=True).transform(x, y)`), recorded with all their digits.

use geo::coord;
use gridkeeper::io::crs::{Crs, CrsSource};
use gridkeeper::io::reproject::{Towgs84, Transform};
use gridkeeper::TransformFault;

fn crs(text: &str) -> Crs {
    Crs::parse(text, CrsSource::Manifest)
}

/// One known coordinate: `(from, to, input, expected)`.
type Known = (&'static str, &'static str, (f64, f64), (f64, f64));

/// PROJ 9.5.1 / pyproj 3.7.2.
const KNOWN: &[Known] = &[
    (
        "EPSG:4490",
        "EPSG:4527",
        (117.5, 31.0),
        (39547752.417931065, 3431081.6380445966),
    ),
    (
        "EPSG:4490",
        "EPSG:4527",
        (116.0, 40.0),
        (39414605.38030878, 4430008.067746311),
    ),
    (
        "EPSG:4490",
        "EPSG:4549",
        (120.3, 24.8),
        (530333.9574875527, 2743933.1996679734),
    ),
    (
        "EPSG:4490",
        "EPSG:4549",
        (121.2, 31.2),
        (614369.1322038517, 3453769.0426711706),
    ),
    (
        "EPSG:4527",
        "EPSG:4490",
        (39450000.0, 3400000.0),
        (116.47798800123509, 30.719567927501387),
    ),
    (
        "EPSG:4549",
        "EPSG:4490",
        (350000.0, 2745000.0),
        (118.51658711973369, 24.802576735399505),
    ),
    (
        "EPSG:4326",
        "EPSG:32650",
        (117.0, 39.9),
        (500000.0, 4416658.292893218),
    ),
    (
        "EPSG:4326",
        "EPSG:32650",
        (114.5, 22.3),
        (242435.5776663747, 2468166.524718736),
    ),
    (
        "EPSG:32650",
        "EPSG:4326",
        (440000.0, 4420000.0),
        (116.29783242429107, 39.92798244375811),
    ),
    (
        "EPSG:4326",
        "EPSG:32750",
        (116.0, -31.95),
        (405491.3057049683, 6464669.943110341),
    ),
];

fn tolerance(to: &Crs) -> f64 {
    if to.is_geographic() == Some(true) {
        1e-8
    } else {
        1e-3
    }
}

#[test]
fn known_coordinates_match_proj_within_a_millimetre() {
    for &(from, to, (x, y), (ex, ey)) in KNOWN {
        let (f, t) = (crs(from), crs(to));
        let tr = Transform::new(&f, &t).expect("transform");
        let p = tr.coord(coord! {x: x, y: y}).expect("coord");
        let tol = tolerance(&t);
        assert!(
            (p.x - ex).abs() < tol && (p.y - ey).abs() < tol,
            "{from} → {to} ({x}, {y}): got ({}, {}), PROJ ({ex}, {ey})",
            p.x,
            p.y
        );
        // and back
        let back = Transform::new(&t, &f).expect("inverse");
        let q = back.coord(p).expect("back");
        let tol = tolerance(&f);
        assert!(
            (q.x - x).abs() < tol && (q.y - y).abs() < tol,
            "{to} → {from}"
        );
    }
}

/// CGCS2000 and WGS 84 are one datum here: 4326 → 4549 equals 4490 → 4549.
#[test]
fn cgcs2000_and_wgs84_are_one_datum() {
    let a = Transform::new(&crs("EPSG:4326"), &crs("EPSG:4549")).expect("t");
    let b = Transform::new(&crs("EPSG:4490"), &crs("EPSG:4549")).expect("t");
    let c = coord! {x: 120.3, y: 24.8};
    let (p, q) = (a.coord(c).expect("p"), b.coord(c).expect("q"));
    assert!((p.x - q.x).abs() < 1e-9 && (p.y - q.y).abs() < 1e-9);
}

/// Xi'an 1980 3° CM 120E → CGCS2000 3° CM 120E with seven parameters (made-up numbers of a
/// plausible size). PROJ 9.5.1 / pyproj 3.7.2 with the same `+towgs84` on the IAG 1975
/// ellipsoid and a zero `+towgs84` on GRS 80: (350036.60005221004, 2744959.942687544).
#[test]
fn xian_1980_with_the_citys_parameters() {
    let p = Towgs84::parse("24,-123,-94,0.02,-0.25,-0.13,1.1");
    let xian = crs("EPSG:2385").with_towgs84(p);
    let t = Transform::new(&xian, &crs("EPSG:4549")).expect("t");
    let q = t.coord(coord! {x: 350000.0, y: 2745000.0}).expect("q");
    assert!(
        (q.x - 350036.60005221004).abs() < 1e-3 && (q.y - 2744959.942687544).abs() < 1e-3,
        "{q:?}"
    );
    // without parameters: refused, naming the datum
    let e = Transform::new(&crs("EPSG:2385"), &crs("EPSG:4549")).expect_err("refused");
    assert_eq!(
        e,
        TransformFault::NeedsParameters {
            datum: "Xian 1980".into()
        }
    );
}
