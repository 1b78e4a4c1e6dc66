//! Snapping (捕捉) the result of a boolean operation back onto the vertices it came from.
//!
//! Boolean operations snap their output to a grid of about 1e-7 of the operands' extent; the
//! vertices of an overlap or a gap are almost always vertices of the features around it, and
//! moving them back gives areas exact to the input's precision.

use geo::{Coord, Intersects, LineString, Polygon, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::index::{Points, SCAN_BELOW};

/// Past this many indexed sets, a vertex asks only those whose box it is near.
const MANY_SETS: usize = 8;

/// One set of vertices to snap onto: scanned, or through its index (a long boundary's,
/// built once for the layer); with a box, only its vertices in the box.
pub(crate) enum Source<'a> {
    /// Every vertex of these rings, in order.
    Rings(Vec<&'a LineString>, Option<Rect>),
    /// The vertices of an index, numbered in their rings' order.
    Indexed(&'a Points, Option<Rect>),
}

/// Whether `c` is in `clip` (borders included), or there is no clip.
fn kept(clip: Option<Rect>, c: Coord) -> bool {
    clip.is_none_or(|r| r.intersects(&c))
}

/// Moves each vertex of `p` onto the nearest vertex of `sources` within `tol` (in x and in
/// y); of equally near ones, the first: of the first set, and in a set the first. The
/// scanned sets go into one index when scanning them for every vertex would be long.
pub(crate) fn snap(p: &Polygon, sources: &[Source], tol: f64) -> Polygon {
    let vertices = crate::geom::points_of(p);
    // The scanned sets' vertices as (set, place in the set, vertex).
    let scanned: Vec<(usize, usize, Coord)> = sources
        .iter()
        .enumerate()
        .filter_map(|(set, s)| match s {
            Source::Rings(rings, clip) => Some((set, rings, *clip)),
            Source::Indexed(..) => None,
        })
        .flat_map(|(set, rings, clip)| {
            rings
                .iter()
                .flat_map(|r| r.0.iter().copied())
                .enumerate()
                .filter(move |(_, c)| kept(clip, *c))
                .map(move |(k, c)| (set, k, c))
        })
        .collect();
    let scanned_index = (vertices.saturating_mul(scanned.len()) >= SCAN_BELOW)
        .then(|| Points::new(scanned.iter().map(|s| s.2)));
    // The indexed sets, and when there are many (a gap among many long features) an R-tree of
    // their boxes, so that each vertex asks only those whose box it is near.
    let indexed: Vec<(usize, &Points, Option<Rect>)> = sources
        .iter()
        .enumerate()
        .filter_map(|(set, s)| match s {
            Source::Indexed(points, clip) => Some((set, *points, *clip)),
            Source::Rings(..) => None,
        })
        .collect();
    let boxes: Option<RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>> =
        (indexed.len() > MANY_SETS).then(|| {
            RTree::bulk_load(
                indexed
                    .iter()
                    .enumerate()
                    .filter_map(|(n, (_, points, _))| {
                        let r = points.envelope()?;
                        Some(GeomWithData::new(
                            Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                            n,
                        ))
                    })
                    .collect(),
            )
        });
    let nearest = |c: Coord| -> Coord {
        let reach = crate::geom::around(c, 2.0 * tol);
        // (squared distance, set, place): the smallest wins.
        let mut best: Option<(f64, usize, usize, Coord)> = None;
        let mut consider = |set: usize, k: usize, s: Coord| {
            if !((s.x - c.x).abs() <= tol && (s.y - c.y).abs() <= tol) {
                return;
            }
            let d = (s.x - c.x).powi(2) + (s.y - c.y).powi(2);
            let better = best.is_none_or(|(bd, bs, bk, _)| {
                d.total_cmp(&bd).then(set.cmp(&bs)).then(k.cmp(&bk)).is_lt()
            });
            if better {
                best = Some((d, set, k, s));
            }
        };
        match &scanned_index {
            Some(points) => {
                for (i, _) in points.in_rect(reach) {
                    let (set, k, s) = scanned[i];
                    consider(set, k, s);
                }
            }
            None => {
                for &(set, k, s) in &scanned {
                    consider(set, k, s);
                }
            }
        }
        let mut ask = |n: usize| {
            let (set, points, clip) = indexed[n];
            for (k, s) in points.in_rect(reach) {
                if kept(clip, s) {
                    consider(set, k, s);
                }
            }
        };
        match &boxes {
            Some(tree) => {
                let env = AABB::from_corners(
                    [reach.min().x, reach.min().y],
                    [reach.max().x, reach.max().y],
                );
                for e in tree.locate_in_envelope_intersecting(&env) {
                    ask(e.data);
                }
            }
            None => (0..indexed.len()).for_each(&mut ask),
        }
        best.map_or(c, |b| b.3)
    };
    let fix = |r: &LineString| LineString::new(r.0.iter().map(|&c| nearest(c)).collect());
    Polygon::new(fix(p.exterior()), p.interiors().iter().map(fix).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn the_nearest_source_and_of_equals_the_first() {
        // 10,000 sources on a metre lattice (scanned through an index of them), and two more
        // in a second set, indexed: one 0.3 mm from (5, 5), and one 2^-10 above (7, 7), as
        // far (2^-11) from the vertex between them as (7, 7) is, but in a later set.
        let lattice = LineString::new(
            (0..100)
                .flat_map(|x| (0..100).map(move |y| coord! {x: f64::from(x), y: f64::from(y)}))
                .collect(),
        );
        let extra = Points::new([
            coord! {x: 5.0003, y: 5.0},
            coord! {x: 7.0, y: 7.0 + 2f64.powi(-10)},
        ]);
        let p = Polygon::new(
            LineString::from(vec![
                (5.0004, 5.0),
                (9.0002, 5.0001),
                (7.0, 7.0 + 2f64.powi(-11)),
                (5.0004, 5.0),
            ]),
            vec![],
        );
        let want = vec![
            coord! {x: 5.0003, y: 5.0},
            coord! {x: 9.0, y: 5.0},
            coord! {x: 7.0, y: 7.0},
            coord! {x: 5.0003, y: 5.0},
        ];
        let sources = [
            Source::Rings(vec![&lattice], None),
            Source::Indexed(&extra, None),
        ];
        assert_eq!(snap(&p, &sources, 0.001).exterior().0, want);
        // The same sets both scanned: the same vertices.
        let extra_ring = LineString::new(vec![
            coord! {x: 5.0003, y: 5.0},
            coord! {x: 7.0, y: 7.0 + 2f64.powi(-10)},
        ]);
        let small = Polygon::new(LineString::from(vec![(7.0, 7.0 + 2f64.powi(-11))]), vec![]);
        let few = LineString::from(vec![(7.0, 7.0)]);
        let sources = [
            Source::Rings(vec![&few], None),
            Source::Rings(vec![&extra_ring], None),
        ];
        assert_eq!(
            snap(&small, &sources, 0.001).exterior().0,
            vec![coord! {x: 7.0, y: 7.0}]
        );
        // Among many indexed sets (asked through their boxes): the nearest, of equals the
        // first set's.
        let sets: Vec<Points> = (0..20)
            .map(|n| {
                let x = f64::from(n) * 10.0;
                Points::new([coord! {x: x, y: 0.0}, coord! {x: x, y: 1.0}])
            })
            .collect();
        let mut many: Vec<Source> = sets.iter().map(|s| Source::Indexed(s, None)).collect();
        let tie = Points::new([coord! {x: 150.0, y: 1.0 + 2f64.powi(-10)}]);
        many.insert(3, Source::Indexed(&tie, None));
        let near_150 = Polygon::new(
            LineString::from(vec![
                (150.0, 1.0 + 2f64.powi(-11)),
                (90.0002, 0.0),
                (160.0, 0.9997),
            ]),
            vec![],
        );
        assert_eq!(
            snap(&near_150, &many, 0.001).exterior().0,
            vec![
                coord! {x: 150.0, y: 1.0 + 2f64.powi(-10)},
                coord! {x: 90.0, y: 0.0},
                coord! {x: 160.0, y: 1.0},
                coord! {x: 150.0, y: 1.0 + 2f64.powi(-10)},
            ]
        );
        // A set's box keeps only its vertices inside it.
        let clipped = [Source::Indexed(
            &sets[16],
            Some(Rect::new(
                coord! {x: 159.0, y: -1.0},
                coord! {x: 161.0, y: 0.5},
            )),
        )];
        assert_eq!(
            snap(&near_150, &clipped, 0.001).exterior().0[2],
            coord! {x: 160.0, y: 0.9997}
        );
        // Of equals, the first set's, whichever is indexed.
        let first = Points::new([coord! {x: 7.0, y: 7.0 + 2f64.powi(-10)}]);
        let sources = [
            Source::Indexed(&first, None),
            Source::Rings(vec![&few], None),
        ];
        assert_eq!(
            snap(&small, &sources, 0.001).exterior().0,
            vec![coord! {x: 7.0, y: 7.0 + 2f64.powi(-10)}]
        );
    }
}
