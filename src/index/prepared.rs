//! Point location in polygons with long rings (预处理多边形): a ring's edges bucketed by
//! horizontal bands, so that a point is tested against the edges near it only.

use geo::coordinate_position::{coord_pos_relative_to_ring, CoordPos};
use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, Geometry, LineString, Polygon};

/// Rings with more points than this get an edge index.
const PREPARE_ABOVE: usize = 64;

/// A ring's edges bucketed by horizontal bands, so that locating a point looks only at the
/// edges whose vertical span can hold it — the only ones the winding number counts.
#[derive(Debug, Clone)]
pub(crate) struct BandedRing {
    points: Vec<Coord>,
    ymin: f64,
    ymax: f64,
    /// Band height (> 0).
    h: f64,
    /// `edges[offsets[b]..offsets[b + 1]]`: the edges (by first point) that reach band `b`.
    offsets: Vec<u32>,
    edges: Vec<u32>,
}

impl BandedRing {
    fn new(ring: &LineString) -> BandedRing {
        BandedRing::from_points(ring.0.clone())
    }

    /// Indexes a ring given by its points (closed here if its last point is not its first).
    pub(crate) fn from_points(mut points: Vec<Coord>) -> BandedRing {
        if let (Some(&first), Some(&last)) = (points.first(), points.last()) {
            if first != last {
                points.push(first);
            }
        }
        let (mut ymin, mut ymax) = (f64::INFINITY, f64::NEG_INFINITY);
        for c in &points {
            ymin = ymin.min(c.y);
            ymax = ymax.max(c.y);
        }
        let n = points.len().saturating_sub(1).max(1);
        let mut bands = (n / 4).clamp(1, 1 << 16);
        let mut h = ((ymax - ymin) / bands as f64).max(f64::MIN_POSITIVE);
        let band_in = |y: f64, h: f64, bands: usize| (((y - ymin) / h) as usize).min(bands - 1);
        // An edge is listed in every band it reaches: a ring whose edges each span most of its
        // height (a zigzag) would list n edges in n / 4 bands each. Fewer, taller bands keep
        // the lists within 16 entries an edge.
        while bands > 1 {
            let listed: usize = points
                .windows(2)
                .map(|w| {
                    let (lo, hi) = (w[0].y.min(w[1].y), w[0].y.max(w[1].y));
                    band_in(hi, h, bands) + 1 - band_in(lo, h, bands).min(band_in(hi, h, bands))
                })
                .sum();
            if listed <= 16 * n {
                break;
            }
            bands /= 2;
            h = ((ymax - ymin) / bands as f64).max(f64::MIN_POSITIVE);
        }
        let band = |y: f64| band_in(y, h, bands);
        let mut counts = vec![0u32; bands + 1];
        for w in points.windows(2) {
            let (lo, hi) = (w[0].y.min(w[1].y), w[0].y.max(w[1].y));
            for b in band(lo)..=band(hi) {
                counts[b + 1] += 1;
            }
        }
        for b in 0..bands {
            counts[b + 1] += counts[b];
        }
        let mut fill = counts.clone();
        let mut edges = vec![0u32; counts[bands] as usize];
        for (e, w) in points.windows(2).enumerate() {
            let (lo, hi) = (w[0].y.min(w[1].y), w[0].y.max(w[1].y));
            for b in band(lo)..=band(hi) {
                edges[fill[b] as usize] = e as u32;
                fill[b] += 1;
            }
        }
        BandedRing {
            points,
            ymin,
            ymax,
            h,
            offsets: counts,
            edges,
        }
    }

    /// The edges (by first point) of the band holding `c`'s y; none outside the ring's span.
    fn band_edges(&self, c: Coord) -> &[u32] {
        if !(c.y >= self.ymin && c.y <= self.ymax) {
            return &[]; // no edge spans it: winding 0, not on the boundary
        }
        let bands = self.offsets.len() - 1;
        let b = (((c.y - self.ymin) / self.h) as usize).min(bands - 1);
        &self.edges[self.offsets[b] as usize..self.offsets[b + 1] as usize]
    }

    /// How many edges locating `c` looks at (the length of its band's list).
    pub(crate) fn edges_near(&self, c: Coord) -> usize {
        self.band_edges(c).len()
    }

    /// Exactly `geo`'s `coord_pos_relative_to_ring` (winding number with the same edge
    /// rules and the robust orientation test), over the edges of the point's band.
    pub(crate) fn position(&self, c: Coord) -> CoordPos {
        let mut winding = 0i32;
        for &e in self.band_edges(c) {
            let (start, end) = (self.points[e as usize], self.points[e as usize + 1]);
            if start.y <= c.y {
                if end.y >= c.y {
                    let o = RobustKernel::orient2d(start, end, c);
                    if o == Orientation::CounterClockwise && end.y != c.y {
                        winding += 1;
                    } else if o == Orientation::Collinear && between(c.x, start.x, end.x) {
                        return CoordPos::OnBoundary;
                    }
                }
            } else if end.y <= c.y {
                let o = RobustKernel::orient2d(start, end, c);
                if o == Orientation::Clockwise {
                    winding -= 1;
                } else if o == Orientation::Collinear && between(c.x, start.x, end.x) {
                    return CoordPos::OnBoundary;
                }
            }
        }
        if winding == 0 {
            CoordPos::Outside
        } else {
            CoordPos::Inside
        }
    }
}

fn between(x: f64, a: f64, b: f64) -> bool {
    (a <= x && x <= b) || (b <= x && x <= a)
}

/// A ring: banded when long, else the plain one (scanned by `geo`).
#[derive(Debug, Clone)]
enum Ring {
    Banded(BandedRing),
    Plain(LineString),
}

impl Ring {
    fn new(ring: &LineString) -> Ring {
        if ring.0.len() > PREPARE_ABOVE {
            Ring::Banded(BandedRing::new(ring))
        } else {
            Ring::Plain(ring.clone())
        }
    }

    fn position(&self, c: Coord) -> CoordPos {
        match self {
            Ring::Banded(b) => b.position(c),
            Ring::Plain(l) => coord_pos_relative_to_ring(c, l),
        }
    }
}

/// A polygon or multipolygon with long rings, prepared for point location; gives exactly
/// what [`CoordinatePosition`] gives, in time proportional to the edges near the point.
#[derive(Debug, Clone)]
pub struct PreparedArea {
    /// Per polygon: its exterior and its holes (empty polygons left out).
    polygons: Vec<(Ring, Vec<Ring>)>,
}

impl PreparedArea {
    /// Prepares a polygon or multipolygon that has a ring longer than 64 points; `None`
    /// for anything else (plain [`CoordinatePosition`] is as fast there).
    pub fn new(g: &Geometry) -> Option<PreparedArea> {
        let polygons: Vec<&Polygon> = match g {
            Geometry::Polygon(p) => vec![p],
            Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
            _ => return None,
        };
        let long = polygons.iter().any(|p| {
            p.exterior().0.len() > PREPARE_ABOVE
                || p.interiors().iter().any(|r| r.0.len() > PREPARE_ABOVE)
        });
        if !long {
            return None;
        }
        Some(PreparedArea {
            polygons: polygons
                .into_iter()
                .filter(|p| !p.exterior().0.is_empty())
                .map(|p| {
                    (
                        Ring::new(p.exterior()),
                        p.interiors().iter().map(Ring::new).collect(),
                    )
                })
                .collect(),
        })
    }

    /// Where `c` lies: the same answer as `coordinate_position` on the geometry.
    pub fn position(&self, c: Coord) -> CoordPos {
        let (mut inside, mut boundary) = (false, 0usize);
        'polygons: for (exterior, holes) in &self.polygons {
            match exterior.position(c) {
                CoordPos::Outside => {}
                CoordPos::OnBoundary => boundary += 1,
                CoordPos::Inside => {
                    for h in holes {
                        match h.position(c) {
                            CoordPos::Outside => {}
                            CoordPos::OnBoundary => {
                                boundary += 1;
                                continue 'polygons;
                            }
                            CoordPos::Inside => continue 'polygons,
                        }
                    }
                    inside = true;
                }
            }
        }
        if boundary % 2 == 1 {
            CoordPos::OnBoundary
        } else if inside {
            CoordPos::Inside
        } else {
            CoordPos::Outside
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, CoordinatePosition};

    /// A star of `n` points with holes, against `coordinate_position` on a lattice of
    /// points (vertices, edges and everything between).
    #[test]
    fn prepared_area_agrees_with_coordinate_position() {
        let ring = |cx: f64, cy: f64, r: f64, n: usize| -> LineString {
            let mut pts: Vec<Coord> = (0..n)
                .map(|k| {
                    let a = k as f64 / n as f64 * std::f64::consts::TAU;
                    let rr = if k % 2 == 0 { r } else { r * 0.6 };
                    coord! {x: (cx + rr * a.cos()).round(), y: (cy + rr * a.sin()).round()}
                })
                .collect();
            pts.push(pts[0]);
            LineString(pts)
        };
        let a = Polygon::new(ring(0.0, 0.0, 100.0, 200), vec![ring(0.0, 0.0, 30.0, 80)]);
        let b = Polygon::new(ring(250.0, 0.0, 100.0, 100), vec![]);
        let square = Polygon::new(
            LineString::from(vec![
                (-100.0, -100.0),
                (-60.0, -100.0),
                (-60.0, -60.0),
                (-100.0, -60.0),
                (-100.0, -100.0),
            ]),
            vec![],
        );
        for g in [
            Geometry::Polygon(a.clone()),
            Geometry::MultiPolygon(geo::MultiPolygon(vec![a, b, square])),
        ] {
            let prep = PreparedArea::new(&g).expect("long rings");
            for x in -120..=360 {
                for y in -110..=110 {
                    let c = coord! {x: x as f64, y: y as f64 * 1.0};
                    assert_eq!(prep.position(c), g.coordinate_position(&c), "{c:?}");
                }
            }
        }
    }

    /// A zigzag whose every edge spans the ring's height would list each edge in every band;
    /// the bands are merged until the lists hold at most 16 entries an edge, and the answers
    /// stay exactly geo's.
    #[test]
    fn zigzag_ring_lists_a_bounded_number_of_edges() {
        let n = 4_000;
        let mut pts: Vec<Coord> = (0..n)
            .map(|k| coord! {x: k as f64, y: if k % 2 == 0 { 0.0 } else { 1000.0 }})
            .collect();
        pts.push(coord! {x: (n - 1) as f64, y: -10.0});
        pts.push(coord! {x: 0.0, y: -10.0});
        pts.push(pts[0]);
        let ring = LineString(pts);
        let banded = BandedRing::new(&ring);
        assert!(
            banded.edges.len() <= 16 * ring.0.len(),
            "{}",
            banded.edges.len()
        );
        let polygon = Polygon::new(ring.clone(), vec![]);
        for x in (-2..=20).map(|x| x as f64 * 0.5) {
            for y in [-20.0, -10.0, -5.0, 0.0, 0.5, 250.0, 999.0, 1000.0, 1001.0] {
                let c = coord! {x: x, y: y};
                assert_eq!(banded.position(c), polygon.coordinate_position(&c), "{c:?}");
            }
        }
    }

    /// An open ring is closed by `from_points`.
    #[test]
    fn from_points_closes_an_open_ring() {
        let open = vec![
            coord! {x: 0.0, y: 0.0},
            coord! {x: 10.0, y: 0.0},
            coord! {x: 10.0, y: 10.0},
            coord! {x: 0.0, y: 10.0},
        ];
        let banded = BandedRing::from_points(open);
        assert_eq!(banded.position(coord! {x: 5.0, y: 5.0}), CoordPos::Inside);
        assert_eq!(
            banded.position(coord! {x: 0.0, y: 5.0}),
            CoordPos::OnBoundary
        );
        assert_eq!(banded.position(coord! {x: 11.0, y: 5.0}), CoordPos::Outside);
    }
}
