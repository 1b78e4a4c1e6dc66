//! The R-tree vocabulary shared by validate, diff and remap (空间索引): envelope joins of
//! polygons (grids × grids, old × new) and point location in polygons.

use std::collections::HashMap;

use geo::coordinate_position::{coord_pos_relative_to_ring, CoordPos};
use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{BoundingRect, Coord, CoordinatePosition, Geometry, LineString, Polygon, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// An R-tree over feature envelopes; each entry carries the feature's index.
#[derive(Debug, Clone)]
pub struct EnvelopeIndex {
    tree: RTree<Entry>,
    /// Edge indexes of the polygons with long rings (streets, communities), by feature.
    prepared: HashMap<usize, PreparedArea>,
}

fn rectangle(r: Rect) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y])
}

impl EnvelopeIndex {
    /// Bulk-loads the envelopes of the geometries that have one (finite coordinates).
    ///
    /// ```
    /// use geo::{Geometry, Rect, coord};
    /// let g: Vec<Option<Geometry>> = vec![
    ///     Some(Rect::new(coord! {x: 0., y: 0.}, coord! {x: 1., y: 1.}).into()),
    ///     Some(Rect::new(coord! {x: 1., y: 0.}, coord! {x: 2., y: 1.}).into()),
    ///     None,
    /// ];
    /// let index = gridkeeper::index::EnvelopeIndex::new(&g);
    /// assert_eq!(index.self_pairs(), vec![(0, 1)]);
    /// ```
    pub fn new(geometries: &[Option<Geometry>]) -> EnvelopeIndex {
        let entries: Vec<Entry> = geometries
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let r = g.as_ref()?.bounding_rect()?;
                let finite = [r.min().x, r.min().y, r.max().x, r.max().y]
                    .iter()
                    .all(|v| v.is_finite());
                finite.then(|| GeomWithData::new(rectangle(r), i))
            })
            .collect();
        let prepared = geometries
            .iter()
            .enumerate()
            .filter_map(|(i, g)| PreparedArea::new(g.as_ref()?).map(|p| (i, p)))
            .collect();
        EnvelopeIndex {
            tree: RTree::bulk_load(entries),
            prepared,
        }
    }

    /// The position of `p` relative to feature `i`'s geometry `g` (the geometry the index
    /// was built with): through its edge index when it has one, else [`CoordinatePosition`].
    pub fn position(&self, i: usize, g: &Geometry, p: Coord) -> CoordPos {
        match self.prepared.get(&i) {
            Some(prep) => prep.position(p),
            None => g.coordinate_position(&p),
        }
    }

    /// Number of indexed envelopes.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Pairs `(i, j)`, `i < j`, of features whose envelopes intersect (touching counts),
    /// sorted.
    pub fn self_pairs(&self) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> = self
            .tree
            .intersection_candidates_with_other_tree(&self.tree)
            .filter_map(|(a, b)| (a.data < b.data).then_some((a.data, b.data)))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    /// Pairs `(i, j)` of a feature `i` here and `j` in `other` whose envelopes intersect,
    /// sorted.
    pub fn pairs_with(&self, other: &EnvelopeIndex) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> = self
            .tree
            .intersection_candidates_with_other_tree(&other.tree)
            .map(|(a, b)| (a.data, b.data))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    /// Features whose envelopes intersect `rect`, in index order.
    pub fn in_rect(&self, rect: Rect) -> Vec<usize> {
        let env = AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        let mut v: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data)
            .collect();
        v.sort_unstable();
        v
    }

    /// Features whose envelopes contain the point, in index order.
    pub fn at(&self, p: Coord) -> Vec<usize> {
        self.in_rect(Rect::new(p, p))
    }

    /// Calls `f` with the features whose envelopes contain the point, in index order,
    /// until it returns `false`; without allocating when there are few (the usual case).
    pub fn each_at(&self, p: Coord, mut f: impl FnMut(usize) -> bool) {
        let env = AABB::from_corners([p.x, p.y], [p.x, p.y]);
        let mut few = [0usize; 16];
        let mut n = 0;
        let mut many: Vec<usize> = Vec::new();
        for e in self.tree.locate_in_envelope_intersecting(&env) {
            if n < few.len() {
                few[n] = e.data;
                n += 1;
            } else {
                if many.is_empty() {
                    many.extend_from_slice(&few);
                }
                many.push(e.data);
            }
        }
        let found: &mut [usize] = if many.is_empty() {
            &mut few[..n]
        } else {
            &mut many
        };
        found.sort_unstable();
        for &i in found.iter() {
            if !f(i) {
                return;
            }
        }
    }
}

/// Where a point lies among polygons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Strictly inside this polygon.
    Inside(usize),
    /// On the boundary of these polygons (and inside none), in index order.
    OnBoundary(Vec<usize>),
    /// In no polygon.
    Outside,
}

/// Locates a point among polygon geometries using their envelope index.
///
/// Inside one polygon wins; on a shared edge the point is `OnBoundary` of every polygon
/// whose boundary it is on (the caller decides, deterministically, what that means).
pub fn locate(p: Coord, index: &EnvelopeIndex, geometries: &[Option<Geometry>]) -> Location {
    let mut boundary = Vec::new();
    let mut inside = None;
    index.each_at(p, |i| {
        let Some(g) = geometries.get(i).and_then(Option::as_ref) else {
            return true;
        };
        match index.position(i, g, p) {
            CoordPos::Inside => {
                inside = Some(i);
                return false;
            }
            CoordPos::OnBoundary => boundary.push(i),
            CoordPos::Outside => {}
        }
        true
    });
    if let Some(i) = inside {
        return Location::Inside(i);
    }
    if boundary.is_empty() {
        Location::Outside
    } else {
        Location::OnBoundary(boundary)
    }
}

/// Rings with more points than this get an edge index.
const PREPARE_ABOVE: usize = 64;

/// A ring's edges bucketed by horizontal bands, so that locating a point looks only at the
/// edges whose vertical span can hold it — the only ones the winding number counts.
#[derive(Debug, Clone)]
struct BandedRing {
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
        let points = ring.0.clone();
        let (mut ymin, mut ymax) = (f64::INFINITY, f64::NEG_INFINITY);
        for c in &points {
            ymin = ymin.min(c.y);
            ymax = ymax.max(c.y);
        }
        let n = points.len().saturating_sub(1).max(1);
        let bands = (n / 4).clamp(1, 1 << 16);
        let h = ((ymax - ymin) / bands as f64).max(f64::MIN_POSITIVE);
        let band = |y: f64| (((y - ymin) / h) as usize).min(bands - 1);
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

    /// Exactly `geo`'s `coord_pos_relative_to_ring` (winding number with the same edge
    /// rules and the robust orientation test), over the edges of the point's band.
    fn position(&self, c: Coord) -> CoordPos {
        if !(c.y >= self.ymin && c.y <= self.ymax) {
            return CoordPos::Outside; // no edge spans it: winding 0, not on the boundary
        }
        let bands = self.offsets.len() - 1;
        let b = (((c.y - self.ymin) / self.h) as usize).min(bands - 1);
        let mut winding = 0i32;
        for &e in &self.edges[self.offsets[b] as usize..self.offsets[b + 1] as usize] {
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
    use geo::coord;

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

    fn square(x: f64, y: f64) -> Option<Geometry> {
        Some(
            Rect::new(coord! {x: x, y: y}, coord! {x: x + 1.0, y: y + 1.0})
                .to_polygon()
                .into(),
        )
    }

    #[test]
    fn locate_inside_boundary_outside() {
        let g = vec![square(0.0, 0.0), square(1.0, 0.0), None];
        let idx = EnvelopeIndex::new(&g);
        assert_eq!(
            locate(coord! {x: 0.5, y: 0.5}, &idx, &g),
            Location::Inside(0)
        );
        assert_eq!(
            locate(coord! {x: 1.0, y: 0.5}, &idx, &g),
            Location::OnBoundary(vec![0, 1])
        );
        assert_eq!(locate(coord! {x: 5.0, y: 0.5}, &idx, &g), Location::Outside);
    }

    #[test]
    fn joins() {
        let a = vec![square(0.0, 0.0), square(3.0, 0.0)];
        let b = vec![square(0.5, 0.5), square(10.0, 0.0), square(3.5, 0.0)];
        let (ia, ib) = (EnvelopeIndex::new(&a), EnvelopeIndex::new(&b));
        assert_eq!(ia.pairs_with(&ib), vec![(0, 0), (1, 2)]);
        assert!(ia.self_pairs().is_empty());
    }
}
