//! Coverage topology (覆盖拓扑) of one polygon layer: overlaps between its features, gaps
//! inside the jurisdiction (told apart from the jurisdiction's edge and from a hole that one
//! feature surrounds), and shared boundaries that do not match vertex to vertex.

use std::sync::OnceLock;

use geo::{
    BooleanOps, BoundingRect, Coord, CoordinatePosition, Distance, Euclidean, Geometry, Intersects,
    LineString, MultiPolygon, Point, Polygon,
};
use rayon::prelude::*;

use super::snapping::{snap, Source};
use crate::finding::{Finding, Rule};
use crate::geom::{around, as_multi, polygons, rings, rings_of};
use crate::i18n::Msg;
use crate::index::{Edges, EnvelopeIndex, Points, SCAN_BELOW};
use crate::measure::Measure;
use crate::schema::Thresholds;

/// One polygon layer prepared for the topology checks.
pub(crate) struct Coverage<'a> {
    /// The layer's name in findings.
    pub name: &'a str,
    /// Geometries (only those marked valid take part).
    pub geometries: &'a [Option<Geometry>],
    /// Which features are valid polygons.
    pub valid: &'a [bool],
    /// Feature keys.
    pub keys: &'a [String],
    /// How to measure.
    pub measure: Measure,
    /// The envelope index of all geometries.
    pub index: EnvelopeIndex,
    /// Per feature with a long boundary, an R-tree of its edges (built on first use).
    edges: Vec<OnceLock<Option<Edges>>>,
    /// Per feature with a long boundary, an R-tree of its vertices (built on first use).
    vertices: Vec<OnceLock<Option<Points>>>,
    /// Per feature with a long boundary, its polygons wound for the boolean operations
    /// (made on first use, not again for each neighbour).
    wound: Vec<OnceLock<Option<MultiPolygon>>>,
}

/// A feature whose rings have more points than this has its edges and vertices indexed.
const LONG: usize = 64;

impl<'a> Coverage<'a> {
    /// Prepares a layer.
    pub fn new(
        name: &'a str,
        geometries: &'a [Option<Geometry>],
        valid: &'a [bool],
        keys: &'a [String],
        measure: Measure,
    ) -> Coverage<'a> {
        Coverage {
            name,
            geometries,
            valid,
            keys,
            measure,
            index: EnvelopeIndex::for_points(geometries),
            edges: (0..geometries.len()).map(|_| OnceLock::new()).collect(),
            vertices: (0..geometries.len()).map(|_| OnceLock::new()).collect(),
            wound: (0..geometries.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Valid feature `i`'s polygons wound for the boolean operations ([`as_multi`]), kept
    /// for a long boundary.
    pub fn multi_of(&self, i: usize) -> Option<std::borrow::Cow<'_, MultiPolygon>> {
        let g = self.poly(i)?;
        if !long(g) {
            return Some(std::borrow::Cow::Owned(as_multi(g)));
        }
        self.wound
            .get(i)?
            .get_or_init(|| Some(as_multi(g)))
            .as_ref()
            .map(std::borrow::Cow::Borrowed)
    }

    /// The edge index of valid feature `i` when its boundary is long.
    pub fn edges_of(&self, i: usize) -> Option<&Edges> {
        self.edges
            .get(i)?
            .get_or_init(|| {
                let g = self.poly(i).filter(|g| long(g))?;
                Some(Edges::of_rings(rings(g)))
            })
            .as_ref()
    }

    /// The vertex index of valid feature `i` when its boundary is long.
    pub fn vertices_of(&self, i: usize) -> Option<&Points> {
        self.vertices
            .get(i)?
            .get_or_init(|| {
                let g = self.poly(i).filter(|g| long(g))?;
                Some(Points::new(rings(g).flat_map(|r| r.0.iter().copied())))
            })
            .as_ref()
    }

    /// Valid feature `i`'s vertices to snap onto.
    fn source(&self, i: usize) -> Option<Source<'_>> {
        let g = self.poly(i)?;
        Some(match self.vertices_of(i) {
            Some(points) => Source::Indexed(points, None),
            None => Source::Rings(rings(g).collect(), None),
        })
    }

    fn poly(&self, i: usize) -> Option<&Geometry> {
        if *self.valid.get(i)? {
            self.geometries.get(i)?.as_ref()
        } else {
            None
        }
    }

    /// The union of the layer's valid polygons.
    pub fn union(&self) -> MultiPolygon {
        let polys: Vec<&Polygon> = (0..self.geometries.len())
            .filter_map(|i| self.poly(i))
            .flat_map(polygons)
            .collect();
        crate::geom::union_of(polys)
    }

    /// Overlaps and vertex mismatches between neighbours.
    pub fn neighbours(&self, t: &Thresholds) -> Vec<Finding> {
        let pairs = self.index.self_pairs();
        let results: Vec<Vec<Finding>> = pairs
            .par_iter()
            .filter_map(|&(i, j)| Some((i, j, self.poly(i)?, self.poly(j)?)))
            .map(|(i, j, a, b)| {
                let mut out = Vec::new();
                let (Some(ma), Some(mb)) = (self.multi_of(i), self.multi_of(j)) else {
                    return out;
                };
                let overlap = ma.intersection(mb.as_ref());
                let overlap = if overlap.0.is_empty() {
                    overlap
                } else {
                    let first = rings(a).find_map(|r| r.0.first().copied());
                    let tol = first.map_or(0.0, |c| self.measure.to_units(0.001, c));
                    let sources: Vec<Source> =
                        [i, j].into_iter().filter_map(|k| self.source(k)).collect();
                    MultiPolygon(overlap.0.iter().map(|p| snap(p, &sources, tol)).collect())
                };
                let area = self.measure.area(&Geometry::MultiPolygon(overlap.clone()));
                if area > t.overlap_tolerance_m2 {
                    let loc = overlap
                        .0
                        .first()
                        .and_then(|p| p.exterior().0.first())
                        .map(|c| [c.x, c.y]);
                    let mut f = Finding::new(
                        Rule::CoverOverlap,
                        self.name,
                        Msg::Overlap {
                            other: self.keys[i].clone(),
                            area,
                        },
                    )
                    .at(j, self.keys[j].clone())
                    .measured(area)
                    .with_geometry(Geometry::MultiPolygon(overlap));
                    if let Some(xy) = loc {
                        f = f.located(xy);
                    }
                    out.push(f);
                } else if let Some((count, at)) =
                    vertex_mismatch(a, self.vertices_of(i), b, self.edges_of(j), self.measure, t)
                        .or_else(|| {
                            vertex_mismatch(
                                b,
                                self.vertices_of(j),
                                a,
                                self.edges_of(i),
                                self.measure,
                                t,
                            )
                        })
                {
                    out.push(
                        Finding::new(
                            Rule::CoverVertexMismatch,
                            self.name,
                            Msg::VertexMismatch {
                                other: self.keys[i].clone(),
                                count,
                            },
                        )
                        .at(j, self.keys[j].clone())
                        .located([at.x, at.y]),
                    );
                }
                out
            })
            .collect();
        results.into_iter().flatten().collect()
    }

    /// Gaps: the jurisdiction (or, without one, the holes of the layer's own union) minus
    /// the layer's union. Returns the findings and the gap polygons (for the nesting check).
    pub fn gaps(
        &self,
        jurisdiction: Option<&MultiPolygon>,
        union: &MultiPolygon,
        t: &Thresholds,
    ) -> (Vec<Finding>, Vec<Polygon>) {
        let uncovered: Vec<Polygon> = match jurisdiction {
            Some(j) => j.difference(union).0,
            None => union
                .0
                .iter()
                .flat_map(|p| {
                    p.interiors()
                        .iter()
                        .map(|r| Polygon::new(r.clone(), vec![]))
                })
                .collect(),
        };
        let edge_rings: Vec<&LineString> = jurisdiction
            .map(|j| j.0.iter().flat_map(rings_of).collect())
            .unwrap_or_default();
        let edge_points: usize = edge_rings.iter().map(|r| r.0.len()).sum();
        // A long jurisdiction boundary: its edges and vertices indexed once for every gap.
        let (edge_index, edge_vertices) = if edge_points > LONG {
            (
                Some(Edges::of_rings(edge_rings.iter().copied())),
                Some(Points::new(
                    edge_rings.iter().flat_map(|r| r.0.iter().copied()),
                )),
            )
        } else {
            (None, None)
        };
        let mut out = Vec::new();
        let mut gaps = Vec::new();
        for g in uncovered {
            let Some(rect) = g.bounding_rect() else {
                continue;
            };
            // Snap the gap back onto the vertices of the features and jurisdiction around it.
            let tol = self.measure.to_units(0.001, rect.min());
            let grown = crate::geom::grown(rect, tol);
            let mut sources: Vec<Source> = self
                .index
                .in_rect(grown)
                .into_iter()
                .filter_map(|i| self.source(i))
                .collect();
            if jurisdiction.is_some() {
                sources.push(match &edge_vertices {
                    Some(points) => Source::Indexed(points, Some(grown)),
                    None => Source::Rings(edge_rings.clone(), Some(grown)),
                });
            }
            let g = snap(&g, &sources, tol);
            let area = self.measure.polygon_area(&g);
            if area < t.gap_tolerance_m2 {
                continue;
            }
            // The features around the gap: their envelopes reach the snapped gap's, grown by
            // the tolerance (snapping may move the gap's edge onto a neighbour's).
            let near = g
                .bounding_rect()
                .map_or(grown, |r| crate::geom::grown(r, tol));
            // Where an invalid feature lies nothing can be said: its own finding says it.
            let inner = crate::geom::interior_point(&Geometry::Polygon(g.clone()));
            let under_invalid = self.index.in_rect(near).into_iter().any(|i| {
                !self.valid.get(i).copied().unwrap_or(false)
                    && inner.is_some_and(|c| {
                        self.geometries[i]
                            .as_ref()
                            .is_some_and(|x| crate::geom::inside_even_odd(c, x))
                    })
            });
            if under_invalid {
                continue;
            }
            // Neighbours share a stretch of the gap's boundary (touching at a corner is not enough).
            let midpoints: Vec<Coord> = rings_of(&g)
                .flat_map(|r| {
                    r.0.windows(2).map(|w| Coord {
                        x: (w[0].x + w[1].x) / 2.0,
                        y: (w[0].y + w[1].y) / 2.0,
                    })
                })
                .collect();
            let tols: Vec<f64> = midpoints
                .iter()
                .map(|&m| self.measure.to_units(0.001, m))
                .collect();
            // A long gap: its midpoints near each edge of a short neighbour, from an index; a
            // long neighbour's edges near each midpoint, from its own.
            let index = (midpoints.len().saturating_mul(LONG) >= SCAN_BELOW)
                .then(|| Points::new(midpoints.iter().copied()));
            let reach = 2.0 * tols.iter().copied().fold(0.0, f64::max);
            let neighbours: Vec<usize> = self
                .index
                .in_rect(near)
                .into_iter()
                .filter(|&i| {
                    let Some(p) = self.poly(i) else {
                        return false;
                    };
                    // The smaller side looks itself up in the other's index: a feature's
                    // edges among the midpoints, or the midpoints among a long feature's edges.
                    let edges_near_midpoints = |mids: &Points| {
                        rings(p).flat_map(|r| r.lines()).any(|e| {
                            let r = crate::geom::grown(e.bounding_rect(), reach);
                            mids.in_rect(r)
                                .any(|(k, m)| segment_distance(m, e.start, e.end) <= tols[k])
                        })
                    };
                    let points: usize = rings(p).map(|r| r.0.len()).sum();
                    if let Some(mids) = index.as_ref().filter(|_| points <= midpoints.len()) {
                        return edges_near_midpoints(mids);
                    }
                    if let Some(edges) = self.edges_of(i) {
                        return midpoints.iter().zip(&tols).any(|(&m, &tol)| {
                            edges
                                .meeting(around(m, 2.0 * tol))
                                .any(|(a, b)| segment_distance(m, a, b) <= tol)
                        });
                    }
                    match &index {
                        Some(mids) => edges_near_midpoints(mids),
                        None => midpoints
                            .iter()
                            .zip(&tols)
                            .any(|(&m, &tol)| on_boundary(m, p, tol)),
                    }
                })
                .collect();
            let at = g.exterior().0.first().map(|c| [c.x, c.y]);
            let hole_owner = match neighbours.as_slice() {
                [only] => self.poly(*only).and_then(|p| {
                    let inside_hole = polygons(p).iter().any(|poly| {
                        poly.interiors().iter().any(|h| {
                            inner.is_some_and(|c| {
                                Polygon::new(h.clone(), vec![]).coordinate_position(&c)
                                    == geo::coordinate_position::CoordPos::Inside
                            })
                        })
                    });
                    inside_hole.then_some(*only)
                }),
                _ => None,
            };
            let mut f = match hole_owner {
                Some(owner) => Finding::new(
                    Rule::CoverHole,
                    self.name,
                    Msg::Hole {
                        area,
                        owner: self.keys[owner].clone(),
                    },
                )
                .at(owner, self.keys[owner].clone()),
                None => {
                    let edge = touches(&g, &edge_rings, edge_index.as_ref());
                    Finding::new(
                        Rule::CoverGap,
                        self.name,
                        Msg::Gap {
                            area,
                            sliver: area <= t.gap_sliver_max_m2,
                            edge,
                            neighbours: neighbours.iter().map(|&i| self.keys[i].clone()).collect(),
                        },
                    )
                }
            };
            if let Some(xy) = at {
                f = f.located(xy);
            }
            out.push(f.measured(area).with_geometry(Geometry::Polygon(g.clone())));
            gaps.push(g);
        }
        (out, gaps)
    }
}

/// Vertices of `a` lying on `b`'s boundary with no vertex of `b` there: how many, and the first.
/// `a_vertices`, `b_edges`: `a`'s vertex index and `b`'s edge index, when long.
fn vertex_mismatch(
    a: &Geometry,
    a_vertices: Option<&Points>,
    b: &Geometry,
    b_edges: Option<&Edges>,
    m: Measure,
    t: &Thresholds,
) -> Option<(usize, Coord)> {
    let rb = b.bounding_rect()?;
    let tol = m.to_units(t.vertex_match_m, rb.min());
    let b_rings: Vec<&LineString> = rings(b).collect();
    let reach_b = crate::geom::grown(rb, tol);
    let near_b = |v: &Coord| reach_b.intersects(v);
    // `a`'s vertices near `b`, in ring order (through `a`'s index when long).
    let probes: Vec<Coord> = match a_vertices {
        Some(points) => {
            let mut found: Vec<(usize, Coord)> = points
                .in_rect(crate::geom::grown(rb, 2.0 * tol))
                .filter(|(_, v)| near_b(v))
                .collect();
            found.sort_unstable_by_key(|f| f.0);
            found.into_iter().map(|f| f.1).collect()
        }
        None => rings(a)
            .flat_map(|r| r.0.iter().copied())
            .filter(near_b)
            .collect(),
    };
    let mut count = 0;
    let mut first = None;
    for v in probes {
        let (on_vertex, on_edge) = match b_edges {
            Some(edges) => vertex_on(v, tol, edges.meeting(around(v, 2.0 * tol))),
            None => vertex_on(
                v,
                tol,
                b_rings
                    .iter()
                    .flat_map(|r| r.0.windows(2).map(|w| (w[0], w[1]))),
            ),
        };
        if on_edge && !on_vertex {
            count += 1;
            first.get_or_insert(v);
        }
    }
    first.map(|c| (count, c))
}

/// Whether `v` is within `tol` of the first point of one of `edges` (each a ring's edge, so
/// their first points are the ring's vertices), and whether within `tol` of one of them.
fn vertex_on(v: Coord, tol: f64, edges: impl Iterator<Item = (Coord, Coord)>) -> (bool, bool) {
    let mut on_edge = false;
    for (p, q) in edges {
        if (p.x - v.x).abs() <= tol && (p.y - v.y).abs() <= tol {
            return (true, on_edge);
        }
        if !on_edge && segment_distance(v, p, q) <= tol {
            on_edge = true;
        }
    }
    (false, on_edge)
}

/// Whether the rings of `g` have more than [`LONG`] points.
fn long(g: &Geometry) -> bool {
    rings(g).map(|r| r.0.len()).sum::<usize>() > LONG
}

/// Whether a ring of `rings` (`edges`: their edge index, when long) meets polygon `g`: an
/// edge of one meets an edge of the other, or a ring lies inside `g`.
fn touches(g: &Polygon, rings: &[&LineString], edges: Option<&Edges>) -> bool {
    let Some(rect) = g.bounding_rect() else {
        return false;
    };
    let g_edges = || rings_of(g).flat_map(|r| r.lines());
    let meet = match edges {
        Some(edges) => g_edges().any(|e| {
            edges
                .meeting(e.bounding_rect())
                .any(|(a, b)| e.intersects(&geo::Line::new(a, b)))
        }),
        None => rings
            .iter()
            .flat_map(|r| r.lines())
            .filter(|l| l.bounding_rect().intersects(&rect))
            .any(|l| g_edges().any(|e| e.intersects(&l))),
    };
    meet || rings.iter().any(|r| {
        r.0.first().is_some_and(|c| {
            rect.intersects(c)
                && g.coordinate_position(c) != geo::coordinate_position::CoordPos::Outside
        })
    })
}

/// Whether `c` lies within `tol` of the boundary of `g`.
fn on_boundary(c: Coord, g: &Geometry, tol: f64) -> bool {
    rings(g).any(|r| {
        r.0.windows(2)
            .any(|w| segment_distance(c, w[0], w[1]) <= tol)
    })
}

fn segment_distance(p: Coord, a: Coord, b: Coord) -> f64 {
    Euclidean.distance(&geo::Line::new(a, b), &Point(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, Rect};

    #[test]
    fn vertex_mismatch_along_a_long_shared_boundary() {
        // `a` below y = 10 with a vertex at every metre of its top; `b` above with the
        // same ones but those at x = 100, 200, 300 left out: 1,004 × 1,001 comparisons, so
        // `b`'s edges come from the index.
        let mut a: Vec<Coord> = vec![coord! {x: 0.0, y: 0.0}, coord! {x: 1000.0, y: 0.0}];
        a.extend((0..=1000).rev().map(|x| coord! {x: f64::from(x), y: 10.0}));
        let mut b: Vec<Coord> = (0..=1000)
            .filter(|x| ![100, 200, 300].contains(x))
            .map(|x| coord! {x: f64::from(x), y: 10.0})
            .collect();
        b.extend([coord! {x: 1000.0, y: 20.0}, coord! {x: 0.0, y: 20.0}]);
        let (a, b): (Geometry, Geometry) = (
            Polygon::new(LineString::new(a), vec![]).into(),
            Polygon::new(LineString::new(b), vec![]).into(),
        );
        let t = Thresholds::default();
        // The top of `a` runs from x = 1000 down: x = 300 is met first.
        let (ea, eb) = (Edges::of_rings(rings(&a)), Edges::of_rings(rings(&b)));
        let (va, vb) = (
            Points::new(rings(&a).flat_map(|r| r.0.iter().copied())),
            Points::new(rings(&b).flat_map(|r| r.0.iter().copied())),
        );
        for indexed in [false, true] {
            let pick = |x| indexed.then_some(x);
            assert_eq!(
                vertex_mismatch(
                    &a,
                    pick(&va),
                    &b,
                    indexed.then_some(&eb),
                    Measure::Planar,
                    &t
                ),
                Some((3, coord! {x: 300.0, y: 10.0}))
            );
            assert_eq!(
                vertex_mismatch(
                    &b,
                    pick(&vb),
                    &a,
                    indexed.then_some(&ea),
                    Measure::Planar,
                    &t
                ),
                None
            );
        }
    }

    #[test]
    fn gaps_between_posts_border_the_long_strips_through_their_indexes() {
        // Two strips 9 m long with a vertex every 0.1 m (long: indexed), 1 m apart, and posts
        // 1 m wide every 2 m between them: four 1 m² holes of four edges, each next to both
        // strips (found through the strips' edge indexes) and the posts either side. The
        // strips are wound clockwise, the posts anticlockwise (the union takes both).
        let strip = |y0: f64, y1: f64, step_y: f64| -> Option<Geometry> {
            let mut ring: Vec<Coord> = (0..=90)
                .map(|k| coord! {x: f64::from(k) / 10.0, y: step_y})
                .collect();
            let other = if step_y == y0 { y1 } else { y0 };
            ring.extend([coord! {x: 9.0, y: other}, coord! {x: 0.0, y: other}]);
            ring.push(ring[0]);
            Some(Polygon::new(LineString::new(ring), vec![]).into())
        };
        let mut geometries = vec![strip(9.0, 10.0, 10.0), strip(11.0, 12.0, 11.0)];
        for k in 0..5 {
            let x = f64::from(k) * 2.0;
            geometries.push(Some(
                Rect::new(coord! {x: x, y: 10.0}, coord! {x: x + 1.0, y: 11.0})
                    .to_polygon()
                    .into(),
            ));
        }
        let valid = vec![true; geometries.len()];
        let keys: Vec<String> = (0..geometries.len()).map(|i| format!("g{i}")).collect();
        let cover = Coverage::new("grids", &geometries, &valid, &keys, Measure::Planar);
        assert!(cover.edges_of(0).is_some() && cover.edges_of(2).is_none());
        let (findings, _) = cover.gaps(None, &cover.union(), &Thresholds::default());
        let mut found: Vec<Vec<String>> = findings
            .iter()
            .map(|f| match &f.message {
                Msg::Gap { neighbours, .. } => neighbours.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        found.sort();
        let want: Vec<Vec<String>> = (0..4)
            .map(|k| {
                vec![
                    keys[0].clone(),
                    keys[1].clone(),
                    keys[2 + k].clone(),
                    keys[3 + k].clone(),
                ]
            })
            .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn every_feature_along_a_long_gap_is_its_neighbour() {
        // A strip 100 m long left open between two rows of 100 boxes whose edges facing it
        // step up and down every metre (1.5 m and 0.5 m apart in turn), closed at its ends
        // by two posts: a hole of the union with 402 edges among 202 features, so its
        // midpoints come from the index, and each box borders it along one edge.
        let mut geometries: Vec<Option<Geometry>> = Vec::new();
        let rect = |x0: f64, y0: f64, x1: f64, y1: f64| -> Option<Geometry> {
            Some(
                Rect::new(coord! {x: x0, y: y0}, coord! {x: x1, y: y1})
                    .to_polygon()
                    .into(),
            )
        };
        for x in 0..100 {
            let (x0, even) = (f64::from(x), x % 2 == 0);
            geometries.push(rect(x0, -1.0, x0 + 1.0, if even { 0.0 } else { 0.5 }));
            geometries.push(rect(x0, if even { 1.5 } else { 1.0 }, x0 + 1.0, 2.0));
        }
        for x in [-1.0, 100.0] {
            geometries.push(rect(x, -1.0, x + 1.0, 2.0));
        }
        let valid = vec![true; geometries.len()];
        let keys: Vec<String> = (0..geometries.len()).map(|i| format!("g{i}")).collect();
        let cover = Coverage::new("grids", &geometries, &valid, &keys, Measure::Planar);
        let (findings, gaps) = cover.gaps(None, &cover.union(), &Thresholds::default());
        assert_eq!(gaps.len(), 1);
        match findings.as_slice() {
            [f] => match &f.message {
                Msg::Gap {
                    area, neighbours, ..
                } => {
                    assert!((area - 100.0).abs() < 1e-6, "{area}");
                    assert_eq!(neighbours, &keys);
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{} findings", other.len()),
        }
    }
}
