//! `.prj` files as real exporters write them (fixtures/prj/, listed in fixtures/README.md):
//! each is recognised — its EPSG code, or for a city's own projection its parameters — and
//! can be transformed.

use std::path::Path;

use gridkeeper::io::crs::{Crs, CrsSource, Datum};

/// (file, EPSG code it is, datum).
const PRJ: &[(&str, Option<u32>, Datum)] = &[
    (
        "arcgis-cgcs2000-3deg-gk-zone39.prj",
        Some(4527),
        Datum::Cgcs2000,
    ),
    (
        "arcgis-cgcs2000-3deg-gk-cm117e.prj",
        Some(4548),
        Datum::Cgcs2000,
    ),
    (
        "arcgis-cgcs2000-geographic.prj",
        Some(4490),
        Datum::Cgcs2000,
    ),
    (
        "arcgis-xian1980-3deg-gk-cm120e.prj",
        Some(2385),
        Datum::Xian1980,
    ),
    (
        "arcgis-xian1980-3deg-gk-zone40.prj",
        Some(2364),
        Datum::Xian1980,
    ),
    (
        "arcgis-beijing1954-3deg-gk-zone39.prj",
        Some(2415),
        Datum::Beijing1954,
    ),
    (
        "arcgis-beijing1954-3deg-gk-cm117e.prj",
        Some(2436),
        Datum::Beijing1954,
    ),
    ("arcgis-wgs84-utm50n.prj", Some(32650), Datum::Wgs84),
    (
        "qgis-cgcs2000-3deg-gk-cm120e-wkt1.prj",
        Some(4549),
        Datum::Cgcs2000,
    ),
    (
        "qgis-cgcs2000-3deg-gk-cm120e-wkt2.prj",
        Some(4549),
        Datum::Cgcs2000,
    ),
    (
        "qgis-cgcs2000-geographic-wkt2.prj",
        Some(4490),
        Datum::Cgcs2000,
    ),
    (
        "ogc-wkt1-no-epsg-cgcs2000-zone40.prj",
        Some(4528),
        Datum::Cgcs2000,
    ),
    (
        "windows-bom-crlf-cgcs2000-zone39.prj",
        Some(4527),
        Datum::Cgcs2000,
    ),
    ("custom-cgcs2000-cm119-30e.prj", None, Datum::Cgcs2000),
];

fn read(name: &str) -> Crs {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/prj")
        .join(name);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
    Crs::parse(&String::from_utf8_lossy(&bytes), CrsSource::Prj)
}

#[test]
fn every_exporters_prj_is_recognised() {
    for &(name, code, datum) in PRJ {
        let c = read(name);
        assert_eq!(c.epsg, code, "{name}");
        let def = c
            .definition()
            .unwrap_or_else(|| panic!("{name}: no definition"));
        assert_eq!(def.datum(), Some(datum), "{name}");
    }
}

#[test]
fn every_fixture_is_in_the_table() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/prj");
    for e in std::fs::read_dir(dir).expect("prj").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(PRJ.iter().any(|p| p.0 == name), "{name} is not tested");
    }
}

/// A projection without an EPSG code transforms by its parameters: the point on its
/// central meridian 119°30'E at the equator is (500000, 0).
#[test]
fn a_citys_own_projection_transforms_by_its_parameters() {
    let local = read("custom-cgcs2000-cm119-30e.prj");
    let geo = Crs::parse("EPSG:4490", CrsSource::Manifest);
    let t = gridkeeper::io::reproject::Transform::new(&geo, &local).expect("t");
    let p = t.coord(geo::coord! {x: 119.5, y: 0.0}).expect("p");
    assert!((p.x - 500_000.0).abs() < 1e-6 && p.y.abs() < 1e-6, "{p:?}");
    // and its zone-mate EPSG:4549 is another CRS
    assert_eq!(
        local.same_as(&Crs::parse("EPSG:4549", CrsSource::Manifest)),
        Some(false)
    );
}

/// Without GDAL, a projection outside gridkeeper's own recognition (Lambert Conformal Conic)
/// cannot be transformed, and says so; with it, it can (tests/gdal.rs).
#[test]
fn other_projections_need_gdal() {
    let lcc = r#"PROJCS["Asia_Lambert_Conformal_Conic",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Standard_Parallel_1",30.0],PARAMETER["Standard_Parallel_2",62.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    let c = Crs::parse(lcc, CrsSource::Prj);
    assert_eq!(c.definition().is_some(), cfg!(feature = "gdal"));
}
