//! Topology at a node (JTS `PolygonNode`), point location in a ring (a ray-crossing count
//! over the ring's chunk index) and ring nesting (JTS `PolygonTopologyAnalyzer.isRingNested`).

use std::collections::HashMap;

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::Coord;
use rstar::AABB;

use super::index::chunk_range;
use super::rings::Ring;

/// Where a point lies relative to a ring or a polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Loc {
    Interior,
    Boundary,
    Exterior,
}

/// JTS quadrant of `p` seen from `origin`: 0 NE, 1 NW, 2 SW, 3 SE.
fn quadrant(origin: Coord, p: Coord) -> u8 {
    let (dx, dy) = (p.x - origin.x, p.y - origin.y);
    match (dx >= 0.0, dy >= 0.0) {
        (true, true) => 0,
        (false, true) => 1,
        (false, false) => 2,
        (true, false) => 3,
    }
}

/// Compares the angles of `origin→p` and `origin→q` measured counter-clockwise from +x.
fn compare_angle(origin: Coord, p: Coord, q: Coord) -> i8 {
    let (qp, qq) = (quadrant(origin, p), quadrant(origin, q));
    if qp != qq {
        return if qp > qq { 1 } else { -1 };
    }
    match RobustKernel::orient2d(origin, q, p) {
        Orientation::CounterClockwise => 1,
        Orientation::Clockwise => -1,
        Orientation::Collinear => 0,
    }
}

fn is_angle_greater(origin: Coord, p: Coord, q: Coord) -> bool {
    compare_angle(origin, p, q) > 0
}

/// 1 if `p` lies strictly between the angles of `e0` and `e1` (`e0` < `e1`), -1 if
/// outside, 0 if collinear with either.
fn compare_between(origin: Coord, p: Coord, e0: Coord, e1: Coord) -> i8 {
    let c0 = compare_angle(origin, p, e0);
    let c1 = compare_angle(origin, p, e1);
    if c0 == 0 || c1 == 0 {
        0
    } else if c0 > 0 && c1 < 0 {
        1
    } else {
        -1
    }
}

/// Whether the edges `node→b0`, `node→b1` cross the corner `a0→node→a1` (each side of it).
pub(super) fn is_crossing(node: Coord, a0: Coord, a1: Coord, b0: Coord, b1: Coord) -> bool {
    let (lo, hi) = if is_angle_greater(node, a0, a1) {
        (a1, a0)
    } else {
        (a0, a1)
    };
    let c0 = compare_between(node, b0, lo, hi);
    if c0 == 0 {
        return false;
    }
    let c1 = compare_between(node, b1, lo, hi);
    c1 != 0 && c0 != c1
}

/// Whether the segment `node→b` lies inside the corner `a0→node→a1` of a ring whose
/// interior is on the right (clockwise shell). `node→b` must not be collinear with it.
fn is_interior_segment(node: Coord, a0: Coord, a1: Coord, b: Coord) -> bool {
    let (lo, hi, interior_between) = if is_angle_greater(node, a0, a1) {
        (a1, a0, false)
    } else {
        (a0, a1, true)
    };
    let between = is_angle_greater(node, b, lo) && !is_angle_greater(node, b, hi);
    between == interior_between
}

/// Locates `p` against a ring by counting crossings of the ray from `p` towards +x.
pub(super) fn locate_in_ring(p: Coord, ring: &Ring) -> Loc {
    if !ring.env.contains(p) {
        return Loc::Exterior;
    }
    let n = ring.n();
    let pts = &ring.pts;
    let ray = AABB::from_corners([p.x, p.y], [ring.env.max.x, p.y]);
    let mut crossings = 0usize;
    let mut on_boundary = false;
    ring.index.each_in(&ray, |k| {
        for i in chunk_range(k, n) {
            let (p1, p2) = (pts[i], pts[i + 1]);
            if p1.x < p.x && p2.x < p.x {
                continue;
            }
            if p == p2 || p == p1 {
                on_boundary = true;
                return true;
            }
            if p1.y == p.y && p2.y == p.y {
                if p1.x.min(p2.x) <= p.x && p.x <= p1.x.max(p2.x) {
                    on_boundary = true;
                    return true;
                }
                continue;
            }
            if (p1.y > p.y && p2.y <= p.y) || (p2.y > p.y && p1.y <= p.y) {
                let mut orient = RobustKernel::orient2d(p1, p2, p);
                if orient == Orientation::Collinear {
                    on_boundary = true;
                    return true;
                }
                if p2.y < p1.y {
                    orient = match orient {
                        Orientation::CounterClockwise => Orientation::Clockwise,
                        _ => Orientation::CounterClockwise,
                    };
                }
                if orient == Orientation::CounterClockwise {
                    crossings += 1;
                }
            }
        }
        false
    });
    if on_boundary {
        Loc::Boundary
    } else if crossings % 2 == 1 {
        Loc::Interior
    } else {
        Loc::Exterior
    }
}

/// Whether ring `test` lies inside ring `target`, given that their boundaries neither
/// cross nor overlap (they may touch at points).
pub(super) fn is_ring_nested(test: &Ring, target: &Ring) -> bool {
    let p0 = test.pts[0];
    match locate_in_ring(p0, target) {
        Loc::Exterior => false,
        Loc::Interior => true,
        Loc::Boundary => is_incident_segment_in_ring(p0, test.pts[1], target),
    }
}

/// Whether the segment `p0→p1`, with `p0` on the boundary of `ring`, starts into its interior.
fn is_incident_segment_in_ring(p0: Coord, p1: Coord, ring: &Ring) -> bool {
    let n = ring.n();
    let pts = &ring.pts;
    let mut first: Option<usize> = None;
    let at = AABB::from_point([p0.x, p0.y]);
    ring.index.each_in(&at, |k| {
        for i in chunk_range(k, n) {
            if first.is_some_and(|f| f <= i) {
                break;
            }
            if on_segment(p0, pts[i], pts[i + 1]) {
                first = Some(i);
                break;
            }
        }
        false
    });
    let Some(i) = first else {
        return false;
    };
    let (mut prev, mut next) = (pts[i], pts[i + 1]);
    if p0 == prev {
        prev = ring.prev(i);
    }
    if p0 == next {
        next = pts[(i + 2) % n];
    }
    if ring.ccw {
        std::mem::swap(&mut prev, &mut next);
    }
    is_interior_segment(p0, prev, next, p1)
}

fn on_segment(p: Coord, a: Coord, b: Coord) -> bool {
    a.x.min(b.x) <= p.x
        && p.x <= a.x.max(b.x)
        && a.y.min(b.y) <= p.y
        && p.y <= a.y.max(b.y)
        && RobustKernel::orient2d(a, b, p) == Orientation::Collinear
}

/// Locates `p` against a part: its shell `rings[0]` and holes `rings[1..]`.
pub(super) fn locate_in_part(p: Coord, rings: &[Ring]) -> Loc {
    let Some((shell, holes)) = rings.split_first() else {
        return Loc::Exterior;
    };
    match locate_in_ring(p, shell) {
        Loc::Interior => {}
        other => return other,
    }
    for hole in holes {
        match locate_in_ring(p, hole) {
            Loc::Interior => return Loc::Exterior,
            Loc::Boundary => return Loc::Boundary,
            Loc::Exterior => {}
        }
    }
    Loc::Interior
}

/// The point at which the shell of part `inner` lies inside part `outer` (and not inside one
/// of its holes): JTS `IndexedNestedPolygonTester.findNestedPoint`.
pub(super) fn nested_point(inner: &Ring, outer: &[Ring]) -> Option<Coord> {
    for p in [inner.pts[0], inner.pts[1]] {
        match locate_in_part(p, outer) {
            Loc::Exterior => return None,
            Loc::Interior => return Some(p),
            Loc::Boundary => {}
        }
    }
    let (shell, holes) = outer.split_first()?;
    if !is_ring_nested(inner, shell) {
        return None;
    }
    let in_hole = holes
        .iter()
        .any(|h| h.env.covers(&inner.env) && is_ring_nested(inner, h));
    (!in_hole).then_some(inner.pts[0])
}

/// Rings touching at points, as a graph of ring nodes and touch-point nodes: a cycle
/// means the touches split the interior (JTS: a hole cycle or a double touch).
pub(super) struct TouchGraph {
    parent: Vec<usize>,
    points: HashMap<(u64, u64), usize>,
    edges: std::collections::HashSet<(usize, usize)>,
}

impl TouchGraph {
    pub fn new(rings: usize) -> TouchGraph {
        TouchGraph {
            parent: (0..rings).collect(),
            points: HashMap::new(),
            edges: Default::default(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Records that ring `a` touches ring `b` at `p`; returns true if this closes a cycle.
    pub fn touch(&mut self, a: usize, b: usize, p: Coord) -> bool {
        let next = self.parent.len();
        let node = *self
            .points
            .entry((p.x.to_bits(), p.y.to_bits()))
            .or_insert(next);
        if node == next {
            self.parent.push(node);
        }
        let mut cycle = false;
        for r in [a, b] {
            if !self.edges.insert((r, node)) {
                continue;
            }
            let (x, y) = (self.find(r), self.find(node));
            if x == y {
                cycle = true;
            } else {
                self.parent[x] = y;
            }
        }
        cycle
    }
}
