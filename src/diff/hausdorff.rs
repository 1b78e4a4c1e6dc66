//! The Hausdorff distance between the vertices of two shapes (豪斯多夫距离), in metres: how
//! far the vertex of either shape that lies farthest from the other's vertices lies from them.
//! An R-tree of each side's vertices answers each nearest-vertex query, so two street
//! boundaries of tens of thousands of vertices take milliseconds, not the seconds of comparing
//! every vertex with every other.

use geo::{CoordsIter, Geometry};
use rstar::RTree;

use crate::measure::Measure;

/// Metres in a degree of longitude at the equator (CGCS2000/WGS 84 equatorial radius).
const M_PER_DEG_LON: f64 = 111_320.0;
/// Metres in a degree of latitude, the mean over the meridian.
const M_PER_DEG_LAT: f64 = 111_132.0;

/// The vertex Hausdorff distance between `a` and `b` in metres. Longitude/latitude
/// coordinates ([`Measure::Geodesic`]) are taken to a local frame in metres first: east–west
/// degrees shrink with the cosine of the latitude, north–south ones do not. 0 when either
/// has no vertex.
///
/// ```
/// use geo::{Geometry, Rect, coord};
/// use gridkeeper::diff::hausdorff::vertex_hausdorff;
/// use gridkeeper::measure::Measure;
/// let a: Geometry = Rect::new(coord! {x: 0., y: 0.}, coord! {x: 100., y: 100.}).into();
/// let b: Geometry = Rect::new(coord! {x: 0., y: 0.}, coord! {x: 110., y: 100.}).into();
/// assert_eq!(vertex_hausdorff(&a, &b, Measure::Planar), 10.0);
/// ```
pub fn vertex_hausdorff(a: &Geometry, b: &Geometry, measure: Measure) -> f64 {
    let (kx, ky) = match measure {
        Measure::Planar => (1.0, 1.0),
        Measure::Geodesic => {
            let lat = a.coords_iter().next().map_or(0.0, |c| c.y);
            (M_PER_DEG_LON * lat.to_radians().cos().abs(), M_PER_DEG_LAT)
        }
    };
    let frame =
        |g: &Geometry| -> Vec<[f64; 2]> { g.coords_iter().map(|c| [c.x * kx, c.y * ky]).collect() };
    let (va, vb) = (frame(a), frame(b));
    if va.is_empty() || vb.is_empty() {
        return 0.0;
    }
    directed(&va, &vb).max(directed(&vb, &va))
}

/// The largest distance from a vertex of `from` to its nearest vertex of `to` (non-empty).
fn directed(from: &[[f64; 2]], to: &[[f64; 2]]) -> f64 {
    let tree = RTree::bulk_load(to.to_vec());
    from.iter()
        .filter_map(|p| {
            let q = tree.nearest_neighbor(p)?;
            Some(((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt())
        })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, HausdorffDistance, LineString, Polygon, Rect};

    #[test]
    fn the_same_as_comparing_every_vertex_with_every_other() {
        // A jagged ring of 400 vertices against a rectangle and against itself moved.
        let ring: Vec<_> = (0..400)
            .map(|k| {
                let t = k as f64 / 400.0 * std::f64::consts::TAU;
                let r = 100.0 + 7.0 * (k % 5) as f64;
                coord! {x: 500.0 + r * t.cos(), y: 800.0 + r * t.sin()}
            })
            .collect();
        let jag: Geometry = Polygon::new(LineString::from(ring.clone()), vec![]).into();
        let moved: Geometry = Polygon::new(
            LineString::from(
                ring.iter()
                    .map(|c| coord! {x: c.x + 3.5, y: c.y - 1.25})
                    .collect::<Vec<_>>(),
            ),
            vec![],
        )
        .into();
        let rect: Geometry = Rect::new(coord! {x: 400., y: 700.}, coord! {x: 600., y: 900.}).into();
        for (a, b) in [(&jag, &rect), (&jag, &moved), (&rect, &jag)] {
            let slow = a.hausdorff_distance(b);
            assert!(
                (vertex_hausdorff(a, b, Measure::Planar) - slow).abs() < 1e-9,
                "{slow}"
            );
        }
    }

    #[test]
    fn degrees_east_shrink_with_the_latitude() {
        // 10 m east and 10 m north of a cell at 24.8°N, in degrees.
        let lat: f64 = 24.8;
        let east = 10.0 / (M_PER_DEG_LON * lat.to_radians().cos());
        let north = 10.0 / M_PER_DEG_LAT;
        let cell = |dx: f64, dy: f64| -> Geometry {
            Rect::new(
                coord! {x: 118.5, y: lat},
                coord! {x: 118.501 + dx, y: lat + 0.001 + dy},
            )
            .into()
        };
        for grown in [cell(east, 0.0), cell(0.0, north)] {
            let d = vertex_hausdorff(&cell(0.0, 0.0), &grown, Measure::Geodesic);
            assert!((d - 10.0).abs() < 0.01, "{d}");
        }
    }
}
