//! Small helpers on polygonal geometries shared by the stages.

use geo::{Geometry, MultiPolygon, Polygon};

/// The polygons of a polygonal geometry (none for points and lines).
pub(crate) fn polygons(g: &Geometry) -> Vec<&Polygon> {
    match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        _ => Vec::new(),
    }
}

/// A geometry's polygons as one multipolygon (for boolean operations).
pub(crate) fn as_multi(g: &Geometry) -> MultiPolygon {
    MultiPolygon(polygons(g).into_iter().cloned().collect())
}
