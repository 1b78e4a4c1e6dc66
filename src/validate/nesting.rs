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
use crate::index::{Edges, Points};
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

/// A polygon for the within test, with its layer's indexes of it (long boundaries only) and
/// how a point lies relative to it (as `coordinate_position`, through the layer's prepared
/// rings when long).
struct Shape<'g, F: Fn(Coord) -> CoordPos> {
    g: &'g Geometry,
    edges: Option<&'g Edges>,
    vertices: Option<&'g Points>,
    at: F,
}

/// Whether `child` lies within `parent` (fast test: every child vertex inside or on the
/// parent, no parent vertex strictly inside the child, and no parent edge crossing a child
/// edge — a notch of the parent cut across the child has its vertices on the child's edge).
/// A long parent's vertices and edges in the child's box, and a long child's edges near a
/// parent edge, come from their indexes.
fn within<C, P>(child: &Shape<C>, parent: &Shape<P>) -> bool
where
    C: Fn(Coord) -> CoordPos,
    P: Fn(Coord) -> CoordPos,
{
    let Some(cr) = child.g.bounding_rect() else {
        return false;
    };
    if child
        .g
        .coords_iter()
        .any(|c| (parent.at)(c) == CoordPos::Outside)
    {
        return false;
    }
    let strictly_in_box =
        |c: &Coord| c.x > cr.min().x && c.x < cr.max().x && c.y > cr.min().y && c.y < cr.max().y;
    let parent_vertex_inside = |c: Coord| strictly_in_box(&c) && (child.at)(c) == CoordPos::Inside;
    let inside = match parent.vertices {
        Some(points) => points.in_rect(cr).any(|(_, c)| parent_vertex_inside(c)),
        None => parent.g.coords_iter().any(parent_vertex_inside),
    };
    if inside {
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
    let near: Vec<Line> = match parent.edges {
        Some(edges) => edges.meeting(cr).map(|(a, b)| Line::new(a, b)).collect(),
        None => rings(parent.g)
            .flat_map(|r| r.lines())
            .filter(|l| l.bounding_rect().intersects(&cr))
            .collect(),
    };
    match child.edges {
        Some(edges) => !near.iter().any(|l| {
            edges
                .meeting(l.bounding_rect())
                .any(|(a, b)| crosses(l, Line::new(a, b)))
        }),
        None => {
            let child_edges: Vec<Line> = rings(child.g).flat_map(|r| r.lines()).collect();
            !near
                .iter()
                .any(|l| child_edges.iter().any(|e| crosses(l, *e)))
        }
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
    let child_shape = Shape {
        g: child,
        edges: cover.edges_of(i),
        vertices: None,
        at: |c: Coord| cover.index.position(i, child, c),
    };
    for &j in &candidates {
        if let Some(p) = parents.geometries[j].as_ref() {
            let parent_shape = Shape {
                g: p,
                edges: parents.edges_of(j),
                vertices: parents.vertices_of(j),
                at: |c: Coord| parents.index.position(j, p, c),
            };
            if within(&child_shape, &parent_shape) {
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
        let inner = crate::geom::interior_point(child);
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
    let cm = cover.multi_of(i)?;
    let mut shares = Vec::new();
    for j in candidates {
        let Some(pm) = parents.multi_of(j) else {
            continue;
        };
        let a = cover
            .measure
            .area(&Geometry::MultiPolygon(cm.intersection(pm.as_ref())));
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

    /// Within, scanned and through indexes of both (the same answer).
    fn is_within(child: &Geometry, parent: &Geometry) -> bool {
        let shape = |g, edges, vertices| Shape {
            g,
            edges,
            vertices,
            at: move |c: Coord| g.coordinate_position(&c),
        };
        let scanned = within(&shape(child, None, None), &shape(parent, None, None));
        let (ce, pe) = (
            Edges::of_rings(rings(child)),
            Edges::of_rings(rings(parent)),
        );
        let pv = Points::new(parent.coords_iter());
        let indexed = within(
            &shape(child, Some(&ce), None),
            &shape(parent, Some(&pe), Some(&pv)),
        );
        assert_eq!(scanned, indexed);
        indexed
    }

    #[test]
    fn long_boundaries_meet_through_the_index() {
        // A strip along the bottom of a square, both with a vertex every metre of the
        // bottom: within.
        let bottom = |from: i32, to: i32| (from..=to).map(|x| coord! {x: f64::from(x), y: 0.0});
        let mut parent: Vec<Coord> = bottom(0, 1000).collect();
        parent.extend([coord! {x: 1000.0, y: 1000.0}, coord! {x: 0.0, y: 1000.0}]);
        parent.push(parent[0]);
        let mut strip: Vec<Coord> = bottom(0, 1000).collect();
        strip.extend([coord! {x: 1000.0, y: 10.0}, coord! {x: 0.0, y: 10.0}]);
        strip.push(strip[0]);
        assert!(is_within(&polygon(strip), &polygon(parent)));

        // A parent with a V-shaped notch from its top down to (500, -5), across a strip whose
        // vertices (every quarter metre of its top but from 400 to 600) all lie outside the
        // notch, and no parent vertex inside the strip: only the crossing edges tell.
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
