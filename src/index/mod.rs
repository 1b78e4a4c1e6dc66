//! The R-tree vocabulary shared by validate, diff and remap (空间索引): envelope joins of
//! polygons (grids × grids, old × new) and point location in polygons.

use std::collections::HashMap;

use geo::coordinate_position::CoordPos;
use geo::{BoundingRect, Coord, CoordinatePosition, Geometry, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

mod cells;
mod prepared;
mod segments;

use cells::Cells;
pub(crate) use prepared::BandedRing;
pub use prepared::PreparedArea;
pub(crate) use segments::{Edges, Points, SCAN_BELOW};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// An R-tree over feature envelopes; each entry carries the feature's index.
#[derive(Debug, Clone)]
pub struct EnvelopeIndex {
    tree: RTree<Entry>,
    /// Edge indexes of the polygons with long rings (streets, communities), by feature.
    prepared: HashMap<usize, PreparedArea>,
    /// Where points fell, by cell ([`EnvelopeIndex::for_points`] only).
    cells: Option<Cells>,
}

fn rectangle(r: Rect) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y])
}

impl EnvelopeIndex {
    /// Bulk-loads the envelopes of the areas among `geometries` (polygons, multipolygons;
    /// finite coordinates): a point or a line in a polygon layer is left out, so that it
    /// never holds a located point nor meets its neighbours in pairs [`stacked`] did not
    /// count.
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
        let mut index = EnvelopeIndex::of_envelopes(geometries, is_polygonal);
        index.prepared = geometries
            .iter()
            .enumerate()
            .filter_map(|(i, g)| PreparedArea::new(g.as_ref()?).map(|p| (i, p)))
            .collect();
        index
    }

    /// The R-tree of the envelopes (finite ones) of the geometries `keep` accepts, without
    /// edge indexes.
    fn of_envelopes(
        geometries: &[Option<Geometry>],
        keep: impl Fn(&Geometry) -> bool,
    ) -> EnvelopeIndex {
        let entries: Vec<Entry> = geometries
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let g = g.as_ref().filter(|g| keep(g))?;
                let r = g.bounding_rect()?;
                let finite = [r.min().x, r.min().y, r.max().x, r.max().y]
                    .iter()
                    .all(|v| v.is_finite());
                finite.then(|| GeomWithData::new(rectangle(r), i))
            })
            .collect();
        EnvelopeIndex {
            tree: RTree::bulk_load(entries),
            prepared: HashMap::new(),
            cells: None,
        }
    }

    /// [`EnvelopeIndex::new`] for locating many points with [`locate`]: it also keeps a
    /// raster of cells, each region of cells no boundary touches located once, so that a
    /// point in such a cell is answered without the R-tree or a ring test (same answers).
    ///
    /// ```
    /// use geo::{Geometry, Rect, coord};
    /// use gridkeeper::index::{locate, EnvelopeIndex, Location};
    /// let g: Vec<Option<Geometry>> = vec![
    ///     Some(Rect::new(coord! {x: 0., y: 0.}, coord! {x: 1., y: 1.}).into()),
    ///     Some(Rect::new(coord! {x: 1., y: 0.}, coord! {x: 2., y: 1.}).into()),
    /// ];
    /// let index = EnvelopeIndex::for_points(&g);
    /// for _ in 0..2 {
    ///     assert_eq!(locate(coord! {x: 0.2, y: 0.2}, &index, &g), Location::Inside(0));
    ///     assert_eq!(locate(coord! {x: 1.0, y: 0.5}, &index, &g), Location::OnBoundary(vec![0, 1]));
    /// }
    /// ```
    pub fn for_points(geometries: &[Option<Geometry>]) -> EnvelopeIndex {
        let mut index = EnvelopeIndex::new(geometries);
        if index.tree.size() > 0 {
            let env = index.tree.root().envelope();
            let (lo, hi) = (env.lower(), env.upper());
            let bounds = Rect::new(Coord { x: lo[0], y: lo[1] }, Coord { x: hi[0], y: hi[1] });
            let indexed = {
                let mut v = vec![false; geometries.len()];
                for e in index.tree.iter() {
                    v[e.data] = true;
                }
                v
            };
            index.cells = Cells::new(
                geometries,
                bounds,
                |i| indexed[i],
                |p| locate_slowly(p, &index, geometries),
            );
        }
        index
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

    /// Whether more than `budget` pairs `(i, j)`, `i < j`, of envelopes meet; counts no
    /// further than that.
    pub fn self_pairs_exceed(&self, budget: usize) -> bool {
        self.tree
            .intersection_candidates_with_other_tree(&self.tree)
            .filter(|(a, b)| a.data < b.data)
            .nth(budget)
            .is_some()
    }

    /// Whether more than `budget` pairs of an envelope here and one in `other` meet; counts
    /// no further than that.
    pub fn pairs_with_exceed(&self, other: &EnvelopeIndex, budget: usize) -> bool {
        self.tree
            .intersection_candidates_with_other_tree(&other.tree)
            .nth(budget)
            .is_some()
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

/// Pairs of meeting envelopes allowed among `features` polygons of one layer, or between
/// two versions of a layer with `features` polygons in all (a coverage has about four a
/// polygon; a layer of copies stacked 64 deep still passes): past it, comparing pairs would
/// take time in the square of the layer's size.
pub fn pair_budget(features: usize) -> usize {
    features.saturating_mul(64).saturating_add(100_000)
}

/// `Some((polygons, budget))` when the envelopes of a layer's polygons meet in more pairs
/// than [`pair_budget`] allows: features piled on each other (stacked copies, most often).
///
/// ```
/// use geo::{Geometry, Rect, coord};
/// let square: Geometry = Rect::new(coord! {x: 0., y: 0.}, coord! {x: 1., y: 1.}).to_polygon().into();
/// let stack = vec![Some(square.clone()); 600]; // 179,700 pairs
/// assert_eq!(gridkeeper::index::stacked(&stack), Some((600, 138_400)));
/// assert_eq!(gridkeeper::index::stacked(&stack[..400]), None); // 79,800 pairs
/// ```
pub fn stacked(geometries: &[Option<Geometry>]) -> Option<(usize, usize)> {
    let index = EnvelopeIndex::of_envelopes(geometries, is_polygonal);
    let budget = pair_budget(index.len());
    index
        .self_pairs_exceed(budget)
        .then_some((index.len(), budget))
}

/// Whether `g` is an area: the only geometries a polygon index holds (a point or a line
/// typed into a polygon layer has no inside to locate in, and is no neighbour of a coverage).
fn is_polygonal(g: &Geometry) -> bool {
    matches!(
        g,
        Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
            | Geometry::Rect(_)
            | Geometry::Triangle(_)
    )
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
    match index.cells.as_ref().and_then(|c| c.lookup(p)) {
        Some(at) => at,
        None => locate_slowly(p, index, geometries),
    }
}

/// [`locate`] through the R-tree and the rings.
fn locate_slowly(p: Coord, index: &EnvelopeIndex, geometries: &[Option<Geometry>]) -> Location {
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, CoordsIter, LineString, Polygon};

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

    /// A point or a line typed into a polygon layer is not indexed: it holds no located
    /// point and meets no neighbour (100,000 points piled on one polygon would otherwise make
    /// 5 × 10^9 pairs, past what `stacked` counted).
    #[test]
    fn points_and_lines_in_a_polygon_layer_are_left_out() {
        let point = Some(Geometry::Point(geo::point! {x: 0.5, y: 0.5}));
        let line = Some(Geometry::LineString(LineString::from(vec![
            (0.0, 0.0),
            (1.0, 1.0),
        ])));
        let g = vec![point.clone(), square(0.0, 0.0), line, point];
        for idx in [EnvelopeIndex::new(&g), EnvelopeIndex::for_points(&g)] {
            assert_eq!(idx.len(), 1);
            assert_eq!(idx.self_pairs(), Vec::<(usize, usize)>::new());
            assert_eq!(
                locate(coord! {x: 0.5, y: 0.5}, &idx, &g),
                Location::Inside(1)
            );
        }
        let mut pile = vec![point_at(0.5, 0.5); 2_000];
        pile.push(square(0.0, 0.0));
        assert_eq!(stacked(&pile), None);
        assert_eq!(
            EnvelopeIndex::new(&pile).self_pairs(),
            Vec::<(usize, usize)>::new()
        );
    }

    fn point_at(x: f64, y: f64) -> Option<Geometry> {
        Some(Geometry::Point(geo::point! {x: x, y: y}))
    }

    /// A jittered lattice of quads sharing their vertices, one with a hole, one overlapping
    /// two others, one empty slot, and a long thin sliver.
    fn district(seed: u64) -> Vec<Option<Geometry>> {
        let mut state = seed | 1;
        let mut rand = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 1000) as f64 / 1000.0
        };
        let n = 12;
        let mut v = vec![vec![coord! {x: 0.0, y: 0.0}; n + 1]; n + 1];
        for (i, row) in v.iter_mut().enumerate() {
            for (j, c) in row.iter_mut().enumerate() {
                let jitter = |r: f64, edge: bool| if edge { 0.0 } else { (r - 0.5) * 40.0 };
                let inner = |k: usize| k == 0 || k == n;
                *c = coord! {
                    x: 100.0 * j as f64 + jitter(rand(), inner(j)) + 500_000.0,
                    y: 100.0 * i as f64 + jitter(rand(), inner(i)) + 2_700_000.0,
                };
            }
        }
        let mut g = Vec::new();
        for i in 0..n {
            for j in 0..n {
                let ring = LineString(vec![
                    v[i][j],
                    v[i][j + 1],
                    v[i + 1][j + 1],
                    v[i + 1][j],
                    v[i][j],
                ]);
                let holes = if (i, j) == (3, 4) {
                    let c = v[i][j];
                    vec![LineString::from(vec![
                        (c.x + 40.0, c.y + 40.0),
                        (c.x + 60.0, c.y + 40.0),
                        (c.x + 60.0, c.y + 60.0),
                        (c.x + 40.0, c.y + 40.0),
                    ])]
                } else {
                    vec![]
                };
                g.push(Some(Polygon::new(ring, holes).into()));
            }
        }
        g[20] = None;
        let c = v[6][6];
        g.push(Some(
            Rect::new(c, coord! {x: c.x + 150.0, y: c.y + 50.0})
                .to_polygon()
                .into(),
        ));
        g.push(Some(
            Rect::new(c, coord! {x: c.x + 900.0, y: c.y + 0.001})
                .to_polygon()
                .into(),
        ));
        g
    }

    #[test]
    fn cells_give_the_answers_of_the_rings() {
        for seed in [1, 7, 42] {
            let g = district(seed);
            let (plain, cells) = (EnvelopeIndex::new(&g), EnvelopeIndex::for_points(&g));
            let raster = cells.cells.as_ref().expect("a raster");
            // Every vertex, every edge's midpoint and quarter points, and a dense lattice
            // across the whole district and beyond it.
            let mut points: Vec<Coord> = Vec::new();
            for geom in g.iter().flatten() {
                for c in geom.coords_iter() {
                    points.push(c);
                }
                cells::each_line(geom, &mut |l| {
                    for t in [0.25, 0.5, 0.75] {
                        points.push(l.start + (l.end - l.start) * t);
                    }
                });
            }
            for i in -20..=1_240 {
                for j in -20..=1_240 {
                    points.push(
                        coord! {x: 499_990.0 + i as f64 * 1.013, y: 2_699_990.0 + j as f64 * 0.997},
                    );
                }
            }
            let mut known = 0;
            for p in points {
                let want = locate(p, &plain, &g);
                assert_eq!(locate(p, &cells, &g), want, "{p:?}");
                if let Some(at) = raster.lookup(p) {
                    assert_eq!(at, want, "{p:?}");
                    known += 1;
                }
            }
            // Most of the lattice is answered by the raster.
            assert!(known > 1_000_000, "{known}");
        }
    }

    #[test]
    fn no_raster_where_cells_could_not_be_exact() {
        let far = vec![Some(
            Rect::new(
                coord! {x: 1e15, y: 1e15},
                coord! {x: 1e15 + 1.0, y: 1e15 + 1.0},
            )
            .to_polygon()
            .into(),
        )];
        assert!(EnvelopeIndex::for_points(&far).cells.is_none());
        assert!(EnvelopeIndex::for_points(&[None]).cells.is_none());
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
