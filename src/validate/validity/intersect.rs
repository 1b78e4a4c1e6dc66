//! Segment intersections between and within rings (JTS `PolygonIntersectionAnalyzer`):
//! crossings, collinear overlaps, self-touches, and the touches between rings of a part.

use std::collections::HashMap;

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::{Coord, Line};

use super::index::{chunk_range, intersecting_pairs, intersects, Budget, SegIndex};
use super::rings::Ring;
use super::topology::is_crossing;
use super::ValidityKind;

/// Stop looking for intersections once this many have been found in one geometry.
pub(super) const MAX_FINDINGS: usize = 1000;

/// What the segment analysis found; ring numbers index the analysed rings.
#[derive(Default)]
pub(super) struct Found {
    /// Point problems: kind, the two rings (`a <= b`), location.
    pub points: Vec<(ValidityKind, usize, usize, Coord)>,
    /// Collinear overlaps of non-adjacent segments, per pair of rings: the lowest location.
    pub overlaps: HashMap<(usize, usize), Coord>,
    /// Rings of one part touching at a point without crossing: `a < b`.
    pub touches: Vec<(usize, usize, Coord)>,
}

impl Found {
    fn full(&self) -> bool {
        self.points.len() + self.overlaps.len() >= MAX_FINDINGS
    }
}

/// Compares every pair of segments whose envelopes intersect, within and between rings,
/// except between rings of the same `class` (duplicates of each other), the pairs of rings
/// taken from `budget`.
pub(super) fn find(rings: &[Ring], class: &[usize], budget: &mut Budget) -> Found {
    let mut s = Scan {
        rings,
        found: Found::default(),
    };
    for a in 0..rings.len() {
        if s.self_pairs(a) {
            return s.found;
        }
    }
    let envs: Vec<_> = rings.iter().map(|r| r.env).collect();
    intersecting_pairs(&envs, budget, |a, b| {
        class[a] != class[b] && s.ring_pair(a, b)
    });
    s.found
}

struct Scan<'r, 'a> {
    rings: &'r [Ring<'a>],
    found: Found,
}

impl Scan<'_, '_> {
    /// Segment pairs within ring `a`. Returns true when full.
    fn self_pairs(&mut self, a: usize) -> bool {
        let rings = self.rings;
        match &rings[a].index {
            SegIndex::Small(chunks) => {
                for (x, c) in chunks.iter().enumerate() {
                    for d in &chunks[x..] {
                        if intersects(&c.aabb, &d.aabb) && self.chunk_pair(a, c.id, a, d.id) {
                            return true;
                        }
                    }
                }
            }
            SegIndex::Tree(tree) => {
                for c in tree.iter() {
                    if self.chunk_pair(a, c.id, a, c.id) {
                        return true;
                    }
                }
                for (c, d) in tree.intersection_candidates_with_other_tree(tree) {
                    if c.id < d.id && self.chunk_pair(a, c.id, a, d.id) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Segment pairs between rings `a < b`. Returns true when full.
    fn ring_pair(&mut self, a: usize, b: usize) -> bool {
        let rings = self.rings;
        match (&rings[a].index, &rings[b].index) {
            (SegIndex::Tree(ta), SegIndex::Tree(tb)) => {
                for (c, d) in ta.intersection_candidates_with_other_tree(tb) {
                    if self.chunk_pair(a, c.id, b, d.id) {
                        return true;
                    }
                }
                false
            }
            (SegIndex::Small(sa), index_b) => {
                for c in sa {
                    if index_b.each_in(&c.aabb, |d| self.chunk_pair(a, c.id, b, d)) {
                        return true;
                    }
                }
                false
            }
            (index_a, SegIndex::Small(sb)) => {
                for d in sb {
                    if index_a.each_in(&d.aabb, |c| self.chunk_pair(a, c, b, d.id)) {
                        return true;
                    }
                }
                false
            }
        }
    }

    /// Segment pairs between chunk `k` of ring `a` and chunk `l` of ring `b`, with
    /// `(a, k) <= (b, l)`. Returns true when full.
    fn chunk_pair(&mut self, a: usize, k: usize, b: usize, l: usize) -> bool {
        let (ra, rb) = (&self.rings[a], &self.rings[b]);
        let segs_b = chunk_range(l, rb.n());
        for i in chunk_range(k, ra.n()) {
            let (p0, p1) = (ra.pts[i], ra.pts[i + 1]);
            let (lo_x, hi_x) = (p0.x.min(p1.x), p0.x.max(p1.x));
            let (lo_y, hi_y) = (p0.y.min(p1.y), p0.y.max(p1.y));
            let from = if a == b && k == l {
                i + 1
            } else {
                segs_b.start
            };
            for j in from..segs_b.end {
                let (q0, q1) = (rb.pts[j], rb.pts[j + 1]);
                if hi_x < q0.x.min(q1.x)
                    || q0.x.max(q1.x) < lo_x
                    || hi_y < q0.y.min(q1.y)
                    || q0.y.max(q1.y) < lo_y
                {
                    continue;
                }
                self.segment_pair(a, i, b, j);
            }
        }
        self.found.full()
    }

    /// JTS `PolygonIntersectionAnalyzer.findInvalidIntersection` for one segment pair
    /// (`i < j` when `a == b`).
    fn segment_pair(&mut self, a: usize, i: usize, b: usize, j: usize) {
        if self.found.full() {
            return;
        }
        let (ra, rb) = (&self.rings[a], &self.rings[b]);
        let (p0, p1) = (ra.pts[i], ra.pts[i + 1]);
        let (q0, q1) = (rb.pts[j], rb.pts[j + 1]);
        let Some(x) = line_intersection(Line::new(p0, p1), Line::new(q0, q1)) else {
            return;
        };
        let same = a == b;
        let found = &mut self.found;
        match x {
            LineIntersection::Collinear { intersection } => {
                if same && ra.adjacent(i, j) {
                    // A spike or a cut line doubling back: report its tip, the shared
                    // vertex (`i < j`: either `j = i + 1` or the closing pair `0, n - 1`).
                    let tip = if j == i + 1 { p1 } else { p0 };
                    found
                        .points
                        .push((ValidityKind::SelfIntersection, a, b, tip));
                } else {
                    let lowest = lowest_of(intersection.start, intersection.end);
                    let slot = found.overlaps.entry((a, b)).or_insert(lowest);
                    *slot = lowest_of(*slot, lowest);
                }
            }
            LineIntersection::SinglePoint {
                intersection,
                is_proper: true,
            } => found
                .points
                .push((ValidityKind::SelfIntersection, a, b, intersection)),
            LineIntersection::SinglePoint {
                intersection: pt,
                is_proper: false,
            } => {
                if same && ra.adjacent(i, j) {
                    return;
                }
                if same {
                    found
                        .points
                        .push((ValidityKind::RingSelfIntersection, a, b, pt));
                    return;
                }
                // A vertex shared with the next segment is analysed with that one.
                if pt == p1 || pt == q1 {
                    return;
                }
                let e0 = if pt == p0 { ra.prev(i) } else { p0 };
                let f0 = if pt == q0 { rb.prev(j) } else { q0 };
                if is_crossing(pt, e0, p1, f0, q1) {
                    found
                        .points
                        .push((ValidityKind::SelfIntersection, a, b, pt));
                } else if ra.part == rb.part {
                    found.touches.push((a, b, pt));
                }
            }
        }
    }
}

fn lowest_of(p: Coord, q: Coord) -> Coord {
    if (p.x, p.y) <= (q.x, q.y) {
        p
    } else {
        q
    }
}
