//! Nesting (层级嵌套): each grid inside one community, each community inside one street, the
//! parent the code names being the one the geometry lies in, and each community covered by
//! its own grids.

use geo::coordinate_position::CoordPos;
use geo::line_intersection::{line_intersection, LineIntersection};
use geo::{
    BooleanOps, BoundingRect, Coord, CoordsIter, Geometry, Intersects, Line, MultiPolygon, Polygon,
};
use rayon::prelude::*;

use super::coverage::Coverage;
use crate::finding::{Finding, Rule};
use crate::geom::{as_multi, inside_even_odd, polygons, rings, union_of};
use crate::i18n::Msg;
use crate::index::{Edges, SCAN_BELOW};
use crate::schema::Thresholds;

/// A child layer with, per feature, the parent code it states.
pub(crate) struct Children<'a> {
    /// The layer and its geometry.
    pub cover: &'a Coverage<'a>,
    /// Per feature: the parent code its field states.
    pub stated: Vec<Option<&'a str>>,
    /// The parent layer's name (`communities`, `streets`).
    pub parent_word: &'a str,
}

/// Whether `child` lies within `parent` (fast test: every child vertex inside or on the
/// parent, no parent vertex strictly inside the child, and no parent edge crossing a child
/// edge — a notch of the parent cut across the child has its vertices on the child's edge).
/// `child_at` and `parent_at` locate a point as `coordinate_position` does (through the
/// layers' edge indexes for long rings); long boundaries on both sides meet through an
/// index of the child's edges.
fn within(
    child: &Geometry,
    parent: &Geometry,
    child_at: impl Fn(Coord) -> CoordPos,
    parent_at: impl Fn(Coord) -> CoordPos,
) -> bool {
    let Some(cr) = child.bounding_rect() else {
        return false;
    };
    if child
        .coords_iter()
        .any(|c| parent_at(c) == CoordPos::Outside)
    {
        return false;
    }
    if parent.coords_iter().any(|c| {
        c.x > cr.min().x
            && c.x < cr.max().x
            && c.y > cr.min().y
            && c.y < cr.max().y
            && child_at(c) == CoordPos::Inside
    }) {
        return false;
    }
    let crosses = |l: &Line, e: Line| {
        matches!(
            line_intersection(*l, e),
            Some(LineIntersection::SinglePoint {
                is_proper: true,
                ..
            })
        )
    };
    let near: Vec<Line> = rings(parent)
        .flat_map(|r| r.lines())
        .filter(|l| l.bounding_rect().intersects(&cr))
        .collect();
    let child_edges: usize = rings(child).map(|r| r.0.len().saturating_sub(1)).sum();
    if near.len().saturating_mul(child_edges) < SCAN_BELOW {
        let child_edges: Vec<Line> = rings(child).flat_map(|r| r.lines()).collect();
        !near
            .iter()
            .any(|l| child_edges.iter().any(|e| crosses(l, *e)))
    } else {
        let index = Edges::of_rings(rings(child));
        !near.iter().any(|l| {
            index
                .meeting(l.bounding_rect())
                .any(|(a, b)| crosses(l, Line::new(a, b)))
        })
    }
}

/// Where a child lies among the parents.
pub(crate) struct Placement {
    /// (parent index, share of the child's area), largest first.
    pub shares: Vec<(usize, f64)>,
    /// The child's area not inside its main parent (m²).
    pub outside: f64,
    /// The child's area (m²; 0 when it lies wholly in one parent and was not measured).
    pub area: f64,
}

/// How feature `i` of `cover` lies among `parents` (`None`: invalid or without area).
pub(crate) fn place(cover: &Coverage, parents: &Coverage, i: usize) -> Option<Placement> {
    if !*cover.valid.get(i)? {
        return None;
    }
    let child = cover.geometries.get(i)?.as_ref()?;
    let rect = child.bounding_rect()?;
    let (candidates, invalid): (Vec<usize>, Vec<usize>) = parents
        .index
        .in_rect(rect)
        .into_iter()
        .partition(|&j| parents.valid.get(j).copied().unwrap_or(false));
    let child_at = |c: Coord| cover.index.position(i, child, c);
    for &j in &candidates {
        if let Some(p) = parents.geometries[j].as_ref() {
            if within(child, p, child_at, |c| parents.index.position(j, p, c)) {
                return Some(Placement {
                    shares: vec![(j, 1.0)],
                    outside: 0.0,
                    area: 0.0,
                });
            }
        }
    }
    // An invalid parent its rings reach takes no part in nesting (its own finding says why),
    // so how the child lies cannot be judged.
    if !invalid.is_empty() {
        let inner = crate::geom::interior_point(polygons(child));
        let meets = |p: &Geometry| {
            inner
                .into_iter()
                .chain(child.coords_iter())
                .any(|c| inside_even_odd(c, p))
        };
        if invalid
            .iter()
            .any(|&j| parents.geometries[j].as_ref().is_some_and(meets))
        {
            return None;
        }
    }
    let area = cover.measure.area(child);
    if area <= 0.0 {
        return None;
    }
    let cm = as_multi(child);
    let mut shares = Vec::new();
    for j in candidates {
        let Some(p) = parents.geometries[j].as_ref() else {
            continue;
        };
        let a = cover
            .measure
            .area(&Geometry::MultiPolygon(cm.intersection(&as_multi(p))));
        if a > 0.0 {
            shares.push((j, a / area));
        }
    }
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let main = shares.first().map_or(0.0, |s| s.1);
    Some(Placement {
        shares,
        outside: (area * (1.0 - main)).max(0.0),
        area,
    })
}

/// Checks children against parents; `gaps` are the uncovered polygons already reported as
/// `COVER-GAP` for the child layer, which `NEST-UNCOVERED` does not report again.
pub(crate) fn check(
    children: &Children,
    parents: &Coverage,
    parent_codes: &[Option<&str>],
    gaps: &[Polygon],
    t: &Thresholds,
) -> Vec<Finding> {
    let cover = children.cover;
    let placements: Vec<Option<Placement>> = (0..cover.geometries.len())
        .into_par_iter()
        .map(|i| place(children.cover, parents, i))
        .collect();
    let code = |j: usize| {
        parent_codes
            .get(j)
            .copied()
            .flatten()
            .unwrap_or("")
            .to_string()
    };
    let mut out = Vec::new();
    for (i, p) in placements.iter().enumerate() {
        let Some(p) = p else { continue };
        let key = cover.keys[i].clone();
        if p.outside > t.nesting_tolerance_m2 {
            out.push(
                Finding::new(
                    Rule::NestOutsideParent,
                    cover.name,
                    Msg::NestOutsideParent {
                        parent: children.parent_word.to_string(),
                        outside: p.outside,
                        shares: p.shares.iter().map(|&(j, s)| (code(j), s)).collect(),
                    },
                )
                .at(i, key.clone())
                .measured(p.outside),
            );
        }
        if let (Some(stated), Some(&(j, share))) = (children.stated[i], p.shares.first()) {
            let actual = code(j);
            if share > 0.5 && !actual.is_empty() && actual != stated {
                out.push(
                    Finding::new(
                        Rule::NestWrongParent,
                        cover.name,
                        Msg::NestWrongParent {
                            stated: stated.to_string(),
                            actual,
                            share,
                        },
                    )
                    .at(i, key),
                );
            }
        }
    }
    // Each parent covered by its own children: what is left, less the gaps already reported.
    let gap_rects: Vec<Option<geo::Rect>> = gaps.iter().map(|g| g.bounding_rect()).collect();
    let results: Vec<Option<Finding>> = (0..parents.geometries.len())
        .into_par_iter()
        .map(|j| {
            let parent = parents.geometries[j].as_ref()?;
            if !parents.valid[j] {
                return None;
            }
            let c = code(j);
            let pr = parent.bounding_rect()?;
            // Its own children, and those around it that state no parent (ATTR-REQUIRED says
            // that): only these can cover it, and only those in its box can cover any of it
            // (20,000 communities sharing one code would each take all 20,000 grids).
            let mine: Vec<&Polygon> = cover
                .index
                .in_rect(pr)
                .into_iter()
                .filter(|&i| children.stated[i].is_none_or(|s| s == c.as_str()))
                .filter(|&i| cover.valid[i])
                .filter_map(|i| cover.geometries[i].as_ref())
                .flat_map(polygons)
                .collect();
            let left = as_multi(parent).difference(&union_of(mine));
            let near_gaps: Vec<Polygon> = gaps
                .iter()
                .zip(&gap_rects)
                .filter(|(_, r)| r.is_some_and(|r| r.intersects(&pr)))
                .map(|(g, _)| g.clone())
                .collect();
            let left = left.difference(&MultiPolygon(near_gaps));
            if parents.measure.area(&Geometry::MultiPolygon(left.clone())) <= t.nesting_tolerance_m2
            {
                return None;
            }
            // What of it grids of other communities cover (the rest lies under invalid grids,
            // whose own findings say so).
            let rect = left.bounding_rect()?;
            let foreign: Vec<(usize, MultiPolygon)> = cover
                .index
                .in_rect(rect)
                .into_iter()
                .filter(|&i| children.stated[i].is_some_and(|s| s != c.as_str()) && cover.valid[i])
                .filter_map(|i| {
                    let part = as_multi(cover.geometries[i].as_ref()?).intersection(&left);
                    let a = cover.measure.area(&Geometry::MultiPolygon(part.clone()));
                    (a > t.nesting_tolerance_m2).then_some((i, part))
                })
                .collect();
            if foreign.is_empty() {
                return None;
            }
            let covered_by: Vec<String> = foreign
                .iter()
                .map(|(i, _)| cover.keys[*i].clone())
                .collect();
            let left = union_of(foreign.iter().flat_map(|(_, p)| p.0.iter()));
            let area = parents.measure.area(&Geometry::MultiPolygon(left.clone()));
            let at = left
                .0
                .first()
                .and_then(|p| p.exterior().0.first())
                .map(|c| [c.x, c.y]);
            let mut f = Finding::new(
                Rule::NestUncovered,
                parents.name,
                Msg::NestUncovered { area, covered_by },
            )
            .at(j, parents.keys[j].clone())
            .measured(area)
            .with_geometry(Geometry::MultiPolygon(left));
            if let Some(xy) = at {
                f = f.located(xy);
            }
            Some(f)
        })
        .collect();
    out.extend(results.into_iter().flatten());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, CoordinatePosition, LineString};

    fn polygon(points: Vec<Coord>) -> Geometry {
        Polygon::new(LineString::new(points), vec![]).into()
    }

    fn is_within(child: &Geometry, parent: &Geometry) -> bool {
        within(
            child,
            parent,
            |c| child.coordinate_position(&c),
            |c| parent.coordinate_position(&c),
        )
    }

    #[test]
    fn long_boundaries_meet_through_the_index() {
        // A strip along the bottom of a square, both with a vertex every metre of the
        // bottom (1,000 × 1,000 edges near each other): within.
        let bottom = |from: i32, to: i32| (from..=to).map(|x| coord! {x: f64::from(x), y: 0.0});
        let mut parent: Vec<Coord> = bottom(0, 1000).collect();
        parent.extend([coord! {x: 1000.0, y: 1000.0}, coord! {x: 0.0, y: 1000.0}]);
        parent.push(parent[0]);
        let mut strip: Vec<Coord> = bottom(0, 1000).collect();
        strip.extend([coord! {x: 1000.0, y: 10.0}, coord! {x: 0.0, y: 10.0}]);
        strip.push(strip[0]);
        assert!(is_within(&polygon(strip), &polygon(parent)));

        // A parent with a V-shaped notch from its top down to (500, -5), across a strip whose
        // vertices (every quarter metre of its top but from 400 to 600: 3,200 edges against
        // the notch's 2) all lie outside the notch, and no parent vertex inside the strip:
        // only the crossing edges tell.
        let parent = polygon(vec![
            coord! {x: -10.0, y: -10.0},
            coord! {x: 1010.0, y: -10.0},
            coord! {x: 1010.0, y: 1000.0},
            coord! {x: 550.0, y: 1000.0},
            coord! {x: 500.0, y: -5.0},
            coord! {x: 450.0, y: 1000.0},
            coord! {x: -10.0, y: 1000.0},
            coord! {x: -10.0, y: -10.0},
        ]);
        let mut strip = vec![coord! {x: 0.0, y: 0.0}, coord! {x: 1000.0, y: 0.0}];
        strip.extend(
            (0..=4000)
                .rev()
                .filter(|x| !(1601..2400).contains(x))
                .map(|x| coord! {x: f64::from(x) / 4.0, y: 10.0}),
        );
        strip.push(strip[0]);
        let strip = polygon(strip);
        assert!(strip
            .coords_iter()
            .all(|c| parent.coordinate_position(&c) != CoordPos::Outside));
        assert!(!is_within(&strip, &parent));
    }
}
