//! Coverage topology (覆盖拓扑) of one polygon layer: overlaps between its features, gaps
//! inside the jurisdiction (told apart from the jurisdiction's edge and from a hole that one
//! feature surrounds), and shared boundaries that do not match vertex to vertex.

use geo::{
    BooleanOps, BoundingRect, Coord, CoordinatePosition, Distance, Euclidean, Geometry, Intersects,
    LineString, MultiPolygon, Point, Polygon,
};
use rayon::prelude::*;

use crate::finding::{Finding, Rule};
use crate::geom::{as_multi, polygons};
use crate::i18n::Msg;
use crate::index::EnvelopeIndex;
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
}

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
        }
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
                let overlap = as_multi(a).intersection(&as_multi(b));
                let overlap = if overlap.0.is_empty() {
                    overlap
                } else {
                    let mut sources = vertices(a);
                    sources.extend(vertices(b));
                    let tol = self.measure.to_units(0.001, sources[0]);
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
                } else if let Some((count, at)) = vertex_mismatch(a, b, self.measure, t)
                    .or_else(|| vertex_mismatch(b, a, self.measure, t))
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
        let edge_lines: Vec<LineString> = jurisdiction
            .map(|j| {
                j.0.iter()
                    .flat_map(|p| {
                        std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut gaps = Vec::new();
        for g in uncovered {
            let Some(rect) = g.bounding_rect() else {
                continue;
            };
            // Snap the gap back onto the vertices of the features and jurisdiction around it.
            let tol = self.measure.to_units(0.001, rect.min());
            let grown = crate::geom::grown(rect, tol);
            let mut sources: Vec<Coord> = self
                .index
                .in_rect(grown)
                .into_iter()
                .filter_map(|i| self.poly(i))
                .flat_map(vertices)
                .collect();
            if let Some(j) = jurisdiction {
                sources.extend(
                    j.0.iter()
                        .flat_map(|p| {
                            std::iter::once(p.exterior())
                                .chain(p.interiors())
                                .flat_map(|r| r.0.iter().copied())
                        })
                        .filter(|c| grown.intersects(c)),
                );
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
            let inner = interior_point(&g);
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
            let midpoints: Vec<Coord> = std::iter::once(g.exterior())
                .chain(g.interiors())
                .flat_map(|r| {
                    r.0.windows(2).map(|w| Coord {
                        x: (w[0].x + w[1].x) / 2.0,
                        y: (w[0].y + w[1].y) / 2.0,
                    })
                })
                .collect();
            let neighbours: Vec<usize> = self
                .index
                .in_rect(near)
                .into_iter()
                .filter(|&i| {
                    self.poly(i).is_some_and(|p| {
                        midpoints.iter().any(|&m| {
                            let tol = self.measure.to_units(0.001, m);
                            on_boundary(m, p, tol)
                        })
                    })
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
                    let edge = edge_lines.iter().any(|l| l.intersects(&g));
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

/// A point inside a polygon (its centroid when that is inside, else a vertex midpoint probe).
fn interior_point(p: &Polygon) -> Option<Coord> {
    use geo::InteriorPoint;
    p.interior_point().map(|pt: Point| pt.0)
}

/// Vertices of `a` lying on `b`'s boundary with no vertex of `b` there: how many, and the first.
fn vertex_mismatch(
    a: &Geometry,
    b: &Geometry,
    m: Measure,
    t: &Thresholds,
) -> Option<(usize, Coord)> {
    let rb = b.bounding_rect()?;
    let tol = m.to_units(t.vertex_match_m, rb.min());
    let b_rings: Vec<&LineString> = polygons(b)
        .into_iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .collect();
    let mut count = 0;
    let mut first = None;
    for ra in polygons(a)
        .into_iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
    {
        for &v in &ra.0 {
            if v.x < rb.min().x - tol
                || v.x > rb.max().x + tol
                || v.y < rb.min().y - tol
                || v.y > rb.max().y + tol
            {
                continue;
            }
            let mut on_edge = false;
            let mut on_vertex = false;
            for r in &b_rings {
                for w in r.0.windows(2) {
                    if (w[0].x - v.x).abs() <= tol && (w[0].y - v.y).abs() <= tol {
                        on_vertex = true;
                        break;
                    }
                    if segment_distance(v, w[0], w[1]) <= tol {
                        on_edge = true;
                    }
                }
                if on_vertex {
                    break;
                }
            }
            if on_edge && !on_vertex {
                count += 1;
                first.get_or_insert(v);
            }
        }
    }
    first.map(|c| (count, c))
}

/// Moves each vertex of `p` onto a vertex of `sources` within `tol`. Boolean operations snap
/// their output to a grid of about 1e-7 of the operands' extent; the vertices of an overlap
/// or a gap are almost always vertices of the features around it, and snapping them back
/// gives areas exact to the input's precision.
pub(crate) fn snap(p: &Polygon, sources: &[Coord], tol: f64) -> Polygon {
    let fix = |r: &LineString| {
        LineString::new(
            r.0.iter()
                .map(|&c| {
                    sources
                        .iter()
                        .filter(|s| (s.x - c.x).abs() <= tol && (s.y - c.y).abs() <= tol)
                        .min_by(|a, b| {
                            let da = (a.x - c.x).powi(2) + (a.y - c.y).powi(2);
                            let db = (b.x - c.x).powi(2) + (b.y - c.y).powi(2);
                            da.total_cmp(&db)
                        })
                        .copied()
                        .unwrap_or(c)
                })
                .collect(),
        )
    };
    Polygon::new(fix(p.exterior()), p.interiors().iter().map(fix).collect())
}

fn vertices(g: &Geometry) -> Vec<Coord> {
    polygons(g)
        .into_iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.iter().copied())
        .collect()
}

/// Whether `c` lies within `tol` of the boundary of `g`.
fn on_boundary(c: Coord, g: &Geometry, tol: f64) -> bool {
    polygons(g)
        .into_iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .any(|r| {
            r.0.windows(2)
                .any(|w| segment_distance(c, w[0], w[1]) <= tol)
        })
}

fn segment_distance(p: Coord, a: Coord, b: Coord) -> f64 {
    Euclidean.distance(&geo::Line::new(a, b), &Point(p))
}
