//! Small helpers on polygonal geometries shared by the stages.

use geo::{Coord, Geometry, MultiPolygon, Polygon, Rect};

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

/// `r` grown by `by` on every side.
pub(crate) fn grown(r: Rect, by: f64) -> Rect {
    Rect::new(
        Coord {
            x: r.min().x - by,
            y: r.min().y - by,
        },
        Coord {
            x: r.max().x + by,
            y: r.max().y + by,
        },
    )
}
