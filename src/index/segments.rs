//! Edges and vertices in R-trees (边索引): the edges of some rings, or the points of a list,
//! that lie near a place, so that comparing two long boundaries takes time in their lengths
//! rather than in the product of them.

use geo::{Coord, LineString, Rect};
use rstar::primitives::{GeomWithData, Line};
use rstar::{RTree, AABB};

/// Below this many comparisons (items × probes) a plain scan is as fast as building an index.
pub(crate) const SCAN_BELOW: usize = 4096;

fn finite(c: Coord) -> bool {
    c.x.is_finite() && c.y.is_finite()
}

fn aabb(r: Rect) -> AABB<[f64; 2]> {
    AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y])
}

/// The edges of some rings, by envelope (an edge with a non-finite end is left out: it is
/// near nothing).
pub(crate) struct Edges {
    tree: RTree<Line<[f64; 2]>>,
}

impl Edges {
    /// Indexes every edge of `rings`.
    pub(crate) fn of_rings<'a>(rings: impl IntoIterator<Item = &'a LineString>) -> Edges {
        let lines: Vec<Line<[f64; 2]>> = rings
            .into_iter()
            .flat_map(|r| r.0.windows(2))
            .filter(|w| finite(w[0]) && finite(w[1]))
            .map(|w| Line::new([w[0].x, w[0].y], [w[1].x, w[1].y]))
            .collect();
        Edges {
            tree: RTree::bulk_load(lines),
        }
    }

    /// The edges, as (first point, second point), whose envelopes meet `rect`.
    pub(crate) fn meeting(&self, rect: Rect) -> impl Iterator<Item = (Coord, Coord)> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&aabb(rect))
            .map(|l| {
                (
                    Coord {
                        x: l.from[0],
                        y: l.from[1],
                    },
                    Coord {
                        x: l.to[0],
                        y: l.to[1],
                    },
                )
            })
    }
}

/// The points of a list by position, each with its place in the list (a point with a
/// non-finite coordinate is left out: it is near nothing).
pub(crate) struct Points {
    tree: RTree<GeomWithData<[f64; 2], usize>>,
}

impl Points {
    /// Indexes `points`, numbered in order from 0.
    pub(crate) fn new(points: impl IntoIterator<Item = Coord>) -> Points {
        Points {
            tree: RTree::bulk_load(
                points
                    .into_iter()
                    .enumerate()
                    .filter(|(_, c)| finite(*c))
                    .map(|(i, c)| GeomWithData::new([c.x, c.y], i))
                    .collect(),
            ),
        }
    }

    /// The box of the points (`None` without any).
    pub(crate) fn envelope(&self) -> Option<Rect> {
        if self.tree.size() == 0 {
            return None;
        }
        let e = self.tree.root().envelope();
        let (lo, hi) = (e.lower(), e.upper());
        Some(Rect::new(
            Coord { x: lo[0], y: lo[1] },
            Coord { x: hi[0], y: hi[1] },
        ))
    }

    /// The points in `rect` (borders included) with their places in the list, in no order.
    pub(crate) fn in_rect(&self, rect: Rect) -> impl Iterator<Item = (usize, Coord)> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&aabb(rect))
            .map(|p| {
                (
                    p.data,
                    Coord {
                        x: p.geom()[0],
                        y: p.geom()[1],
                    },
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn edges_meeting_a_box() {
        let ring = LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 0.0)]);
        let broken = LineString::from(vec![(f64::NAN, 0.0), (1.0, 1.0)]);
        let e = Edges::of_rings([&ring, &broken]);
        let mut found: Vec<(Coord, Coord)> = e
            .meeting(Rect::new(coord! {x: 4.0, y: -1.0}, coord! {x: 6.0, y: 1.0}))
            .collect();
        found.sort_by(|a, b| a.0.x.total_cmp(&b.0.x));
        // The bottom edge and the diagonal (whose box holds the query box; the caller tests
        // the edge itself), not the right side nor the edge with a NaN end.
        assert_eq!(
            found,
            vec![
                (coord! {x: 0.0, y: 0.0}, coord! {x: 10.0, y: 0.0}),
                (coord! {x: 10.0, y: 10.0}, coord! {x: 0.0, y: 0.0}),
            ]
        );
    }

    #[test]
    fn points_in_a_box_by_place() {
        let pts = [
            coord! {x: 0.0, y: 0.0},
            coord! {x: 5.0, y: 5.0},
            coord! {x: f64::NAN, y: 5.0},
            coord! {x: 5.0, y: 6.0},
        ];
        let p = Points::new(pts);
        let mut found: Vec<(usize, Coord)> = p
            .in_rect(Rect::new(coord! {x: 4.0, y: 4.0}, coord! {x: 6.0, y: 6.0}))
            .collect();
        found.sort_by_key(|f| f.0);
        assert_eq!(found, vec![(1, pts[1]), (3, pts[3])]);
    }
}
