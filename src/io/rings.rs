//! Rings to polygons (环的组织): which ring of a polygon record is a shell and which a hole,
//! decided by containment as GDAL's `organizePolygons` does, whatever the rings' orientation.
//!
//! Rings are taken largest first; a ring inside an even-depth ring is its hole, a ring inside
//! a hole is a new shell (an island in a lake), any other ring is a shell. "Inside" is judged
//! by the winding number (as geo's point location), which differs from GDAL's crossing parity
//! only for a ring that crosses itself; a ring of fewer than four points after closing, or
//! with a point that is not finite, holds nothing and is a shell of its own (the reader
//! reports it, and passes on at most 16 such rings a record). The rings that
//! may hold a ring are found through an R-tree of their boxes, long rings are located in
//! through an edge index, and the whole search has a budget of edge visits, so that a record
//! of a million rings whose boxes all hold each other is refused instead of taking hours.

use geo::coordinate_position::{coord_pos_relative_to_ring, CoordPos};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::error::RecordFault;
use crate::index::BandedRing;

/// Rings with more points than this get an edge index when they are tested as a container.
const INDEX_ABOVE: usize = 64;

/// The most edge and box visits the search of one record may make (about a second).
const WORK_BUDGET: u64 = 400_000_000;

/// Builds polygons from the rings of one record (each closed here if it is not).
///
/// Fails with [`RecordFault::TooManyRings`] when telling shells from holes would take more
/// than the budget of edge visits.
pub fn assemble_polygons(rings: Vec<Vec<Coord>>) -> Result<MultiPolygon, RecordFault> {
    assemble_within(rings, WORK_BUDGET)
}

fn assemble_within(rings: Vec<Vec<Coord>>, budget: u64) -> Result<MultiPolygon, RecordFault> {
    let rings: Vec<LineString> = rings.into_iter().map(closed).collect();
    let n = rings.len();
    let areas: Vec<f64> = rings.iter().map(|r| ring_area2(&r.0).abs()).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| areas[b].total_cmp(&areas[a]).then(a.cmp(&b)));
    let mut rank = vec![0usize; n];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = k;
    }
    // Only rings of finite points that can enclose anything take part in the search.
    let boxes: Vec<Option<AABB<[f64; 2]>>> = rings.iter().map(envelope).collect();
    let tree = RTree::bulk_load(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|b| GeomWithData::new(Rectangle::from_aabb(b), i)))
            .collect(),
    );
    let mut located = Locator {
        rings: &rings,
        banded: vec![None; n],
        work: 0,
        budget,
    };
    let mut depth = vec![0usize; n];
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut candidates = Vec::new();
    for &i in &order {
        let Some(b) = boxes[i] else { continue };
        // The rings placed before this one whose boxes hold its box, smallest first.
        candidates.clear();
        for e in tree.locate_in_envelope_intersecting(&b) {
            located.spend(1)?;
            let o = e.data;
            if rank[o] < rank[i] && boxes[o].is_some_and(|ob| holds(&ob, &b)) {
                candidates.push(o);
            }
        }
        candidates.sort_unstable_by_key(|&o| std::cmp::Reverse(rank[o]));
        for &o in &candidates {
            if located.inside(i, o)? {
                depth[i] = depth[o] + 1;
                parent[i] = Some(o);
                break;
            }
        }
    }
    // Each shell with its holes, in the order of the shells in the record.
    let mut holes: Vec<Vec<usize>> = vec![Vec::new(); n];
    for h in 0..n {
        if depth[h] % 2 == 1 {
            if let Some(s) = parent[h] {
                holes[s].push(h);
            }
        }
    }
    let mut slots: Vec<Option<LineString>> = rings.into_iter().map(Some).collect();
    let mut polygons = Vec::new();
    for s in 0..n {
        if depth[s] % 2 != 0 {
            continue;
        }
        let interiors = holes[s].iter().filter_map(|&h| slots[h].take()).collect();
        if let Some(exterior) = slots[s].take() {
            polygons.push(Polygon::new(exterior, interiors));
        }
    }
    Ok(MultiPolygon(polygons))
}

/// Point location in the rings, counting the edges it visits against the budget.
struct Locator<'a> {
    rings: &'a [LineString],
    /// Edge indexes of the long rings tested so far.
    banded: Vec<Option<BandedRing>>,
    work: u64,
    budget: u64,
}

impl Locator<'_> {
    fn spend(&mut self, visits: usize) -> Result<(), RecordFault> {
        self.work += visits as u64;
        if self.work > self.budget {
            Err(RecordFault::TooManyRings)
        } else {
            Ok(())
        }
    }

    /// Where `c` lies relative to ring `o`.
    fn position(&mut self, c: Coord, o: usize) -> Result<CoordPos, RecordFault> {
        let rings = self.rings;
        let ring = &rings[o];
        if ring.0.len() <= INDEX_ABOVE {
            self.spend(ring.0.len())?;
            return Ok(coord_pos_relative_to_ring(c, ring));
        }
        if self.banded[o].is_none() {
            self.spend(ring.0.len())?;
        }
        let banded = self.banded[o].get_or_insert_with(|| BandedRing::from_points(ring.0.clone()));
        let (near, position) = (banded.edges_near(c), banded.position(c));
        self.spend(near + 1)?;
        Ok(position)
    }

    /// Whether ring `i` lies inside ring `o`, judged by its first vertex that is not on
    /// `o`'s boundary.
    fn inside(&mut self, i: usize, o: usize) -> Result<bool, RecordFault> {
        let rings = self.rings;
        for &p in &rings[i].0 {
            match self.position(p, o)? {
                CoordPos::Inside => return Ok(true),
                CoordPos::Outside => return Ok(false),
                CoordPos::OnBoundary => continue,
            }
        }
        Ok(false)
    }
}

/// The ring as a closed line string (a ring of one point or none is left as it is).
fn closed(mut ring: Vec<Coord>) -> LineString {
    if let (Some(&first), Some(&last)) = (ring.first(), ring.last()) {
        if ring.len() > 1 && first != last {
            ring.push(first);
        }
    }
    LineString(ring)
}

/// The box of a closed ring that can enclose something: four points or more, all finite.
fn envelope(ring: &LineString) -> Option<AABB<[f64; 2]>> {
    if ring.0.len() < 4 || ring.0.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
        return None;
    }
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for c in &ring.0 {
        lo = [lo[0].min(c.x), lo[1].min(c.y)];
        hi = [hi[0].max(c.x), hi[1].max(c.y)];
    }
    Some(AABB::from_corners(lo, hi))
}

/// Whether box `outer` holds box `inner` (edges may touch).
fn holds(outer: &AABB<[f64; 2]>, inner: &AABB<[f64; 2]>) -> bool {
    let (ol, oh, il, ih) = (outer.lower(), outer.upper(), inner.lower(), inner.upper());
    ol[0] <= il[0] && ol[1] <= il[1] && oh[0] >= ih[0] && oh[1] >= ih[1]
}

/// Twice the signed area of a ring (positive when counter-clockwise).
fn ring_area2(r: &[Coord]) -> f64 {
    if r.len() < 3 {
        return 0.0;
    }
    let mut s = 0.0;
    for i in 0..r.len() {
        let a = r[i];
        let b = r[(i + 1) % r.len()];
        s += a.x * b.y - b.x * a.y;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn sq(x0: f64, y0: f64, s: f64, ccw: bool) -> Vec<Coord> {
        let mut v = vec![
            Coord { x: x0, y: y0 },
            Coord { x: x0 + s, y: y0 },
            Coord {
                x: x0 + s,
                y: y0 + s,
            },
            Coord { x: x0, y: y0 + s },
            Coord { x: x0, y: y0 },
        ];
        if !ccw {
            v.reverse();
        }
        v
    }

    #[test]
    fn holes_by_containment_whatever_the_orientation() {
        // outer counter-clockwise (against ESRI's rule), hole clockwise, island inside hole
        let mp = assemble_polygons(vec![
            sq(2.0, 2.0, 6.0, false),
            sq(0.0, 0.0, 10.0, true),
            sq(4.0, 4.0, 2.0, true),
            sq(20.0, 0.0, 1.0, true),
        ])
        .expect("four rings");
        assert_eq!(mp.0.len(), 3);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert!((mp.unsigned_area() - (100.0 - 36.0 + 4.0 + 1.0)).abs() < 1e-9);
    }

    /// A long shell (indexed) with many holes: each hole finds it, in the holes' order.
    #[test]
    fn a_long_shell_takes_its_holes_through_its_edge_index() {
        let mut shell: Vec<Coord> = (0..=400)
            .map(|k| Coord {
                x: k as f64,
                y: 0.0,
            })
            .collect();
        shell.extend([Coord { x: 400.0, y: 400.0 }, Coord { x: 0.0, y: 400.0 }]);
        let mut rings = vec![shell];
        for k in 0..300 {
            let (x, y) = ((k % 20) as f64 * 20.0 + 5.0, (k / 20) as f64 * 20.0 + 5.0);
            rings.push(sq(x, y, 5.0, k % 2 == 0));
        }
        let mp = assemble_polygons(rings).expect("301 rings");
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 300);
        assert_eq!(mp.0[0].interiors()[7].0[0], Coord { x: 145.0, y: 5.0 });
        assert!((mp.unsigned_area() - (160_000.0 - 300.0 * 25.0)).abs() < 1e-6);
    }

    /// Rings whose boxes all hold each other (here the same square, a thousand times) make
    /// the search quadratic: past the budget the record is refused, not searched for hours.
    #[test]
    fn rings_past_the_budget_are_refused() {
        let rings: Vec<Vec<Coord>> = (0..1_000).map(|_| sq(0.0, 0.0, 1.0, true)).collect();
        assert_eq!(
            assemble_within(rings.clone(), 100_000),
            Err(RecordFault::TooManyRings)
        );
        // Within the default budget the same record is read: every copy is a shell.
        assert_eq!(assemble_polygons(rings).map(|mp| mp.0.len()), Ok(1_000));
    }

    /// Empty parts and parts with a non-finite point take no part in the search: each is
    /// a shell of its own, and the rest is organised as without them.
    #[test]
    fn empty_and_non_finite_rings_are_shells_of_their_own() {
        let mut nan = sq(1.0, 1.0, 2.0, true);
        nan[2].x = f64::NAN;
        let mp = assemble_polygons(vec![
            sq(0.0, 0.0, 10.0, true),
            Vec::new(),
            nan,
            sq(4.0, 4.0, 2.0, false),
        ])
        .expect("four rings");
        assert_eq!(mp.0.len(), 3);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert!(mp.0[1].exterior().0.is_empty());
        assert!(mp.0[2].exterior().0[2].x.is_nan());
    }
}
