//! Properties of diff, the crosswalk, remap and validate on generated data (proptest):
//!
//! - `diff(A, A)` is all unchanged;
//! - `diff(B, A)` inverts `diff(A, B)`: split ↔ merged, added ↔ removed, the rest the same,
//!   every crosswalk row with old and new (and their shares) swapped;
//! - the crosswalk conserves area: over a new grid's rows, Σ area_int is its area;
//! - remapping cases through an unchanged layer gives each its own grid back;
//! - validate never panics on random rings.
//!
//! The coverages are small perturbed lattices (2–4 × 2–4 cells of about 100 m, inner
//! vertices moved up to 30 m) in EPSG:4549; the second version splits, merges and recodes
//! some cells of the first, so both are valid coverages of the same rectangle.

use std::collections::BTreeMap;

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon};
use gridkeeper::diff::{self, lineage::Relation, ChangeSet};
use gridkeeper::io::crs::{Crs, CrsSource};
use gridkeeper::io::{FieldDef, FieldKind, GeometryKind, Layer, TextColumn};
use gridkeeper::schema::{bind, Profile, Thresholds};
use gridkeeper::{remap, BoundLayer, Dataset, LayerKind, Manifest};
use proptest::prelude::*;

const X0: f64 = 350_000.0;
const Y0: f64 = 2_745_000.0;
const CELL: f64 = 100.0;
const COMMUNITY: &str = "350582001001";

/// A generated lattice: `nx × ny` cells, each inner vertex moved by an offset.
#[derive(Debug, Clone)]
struct Lattice {
    nx: usize,
    ny: usize,
    /// One offset per vertex `(i, j)`, `i` in `0..=nx`, `j` in `0..=ny`, row-major by `j`.
    offsets: Vec<(f64, f64)>,
}

impl Lattice {
    fn vertex(&self, i: usize, j: usize) -> Coord {
        let (dx, dy) = if i == 0 || j == 0 || i == self.nx || j == self.ny {
            (0.0, 0.0) // the outline stays a rectangle
        } else {
            self.offsets[j * (self.nx + 1) + i]
        };
        Coord {
            x: X0 + i as f64 * CELL + dx,
            y: Y0 + j as f64 * CELL + dy,
        }
    }

    /// The lattice with each inner vertex moved further by `nudge` (cycled): boundaries moved
    /// a few metres between neighbours, so that version B hands strips across them.
    fn nudged(&self, nudge: &[(f64, f64)]) -> Lattice {
        let mut l = self.clone();
        for (k, o) in l.offsets.iter_mut().enumerate() {
            let (dx, dy) = nudge[k % nudge.len()];
            *o = (o.0 + dx, o.1 + dy);
        }
        l
    }

    /// Cell `(i, j)` as a closed counter-clockwise ring.
    fn cell(&self, i: usize, j: usize) -> Vec<Coord> {
        vec![
            self.vertex(i, j),
            self.vertex(i + 1, j),
            self.vertex(i + 1, j + 1),
            self.vertex(i, j + 1),
            self.vertex(i, j),
        ]
    }
}

fn lattice() -> impl Strategy<Value = Lattice> {
    (2usize..=4, 2usize..=4).prop_flat_map(|(nx, ny)| {
        prop::collection::vec((-30.0f64..30.0, -30.0f64..30.0), (nx + 1) * (ny + 1))
            .prop_map(move |offsets| Lattice { nx, ny, offsets })
    })
}

fn code(seq: usize) -> String {
    format!("{COMMUNITY}{seq:03}")
}

fn polygon(ring: Vec<Coord>) -> Geometry {
    Geometry::Polygon(Polygon::new(LineString::new(ring), vec![]))
}

/// Version A: one grid per cell, numbered from 1.
fn version_a(l: &Lattice) -> Vec<(String, Geometry)> {
    let mut out = Vec::new();
    for j in 0..l.ny {
        for i in 0..l.nx {
            out.push((code(j * l.nx + i + 1), polygon(l.cell(i, j))));
        }
    }
    out
}

/// What happens to a cell in version B.
#[derive(Debug, Clone, Copy)]
enum Op {
    Keep,
    /// Cut in two along the line through the midpoints of its bottom and top edges; the
    /// left piece keeps the code when the flag says so.
    Split(bool),
    /// Merged with its right neighbour (when that one is kept).
    MergeRight,
    Recode,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Keep),
        1 => any::<bool>().prop_map(Op::Split),
        1 => Just(Op::MergeRight),
        1 => Just(Op::Recode),
    ]
}

fn mid(a: Coord, b: Coord) -> Coord {
    Coord {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    }
}

/// Version B: A with the cells' ops applied; new codes from 500 up.
fn version_b(l: &Lattice, ops: &[Op]) -> Vec<(String, Geometry)> {
    let mut out = Vec::new();
    let mut fresh = 500;
    let mut next = || {
        fresh += 1;
        code(fresh)
    };
    let mut merged_into_left = vec![false; l.nx * l.ny];
    for j in 0..l.ny {
        for i in 0..l.nx {
            let k = j * l.nx + i;
            if merged_into_left[k] {
                continue;
            }
            let op = ops[k % ops.len()];
            let right_kept = i + 1 < l.nx && matches!(ops[(k + 1) % ops.len()], Op::Keep);
            match op {
                Op::Keep => out.push((code(k + 1), polygon(l.cell(i, j)))),
                Op::Recode => out.push((next(), polygon(l.cell(i, j)))),
                Op::MergeRight if right_kept => {
                    merged_into_left[k + 1] = true;
                    let ring = vec![
                        l.vertex(i, j),
                        l.vertex(i + 1, j),
                        l.vertex(i + 2, j),
                        l.vertex(i + 2, j + 1),
                        l.vertex(i + 1, j + 1),
                        l.vertex(i, j + 1),
                        l.vertex(i, j),
                    ];
                    out.push((code(k + 1), polygon(ring)));
                }
                Op::MergeRight => out.push((code(k + 1), polygon(l.cell(i, j)))),
                Op::Split(keep) => {
                    let (a, b, c, d) = (
                        l.vertex(i, j),
                        l.vertex(i + 1, j),
                        l.vertex(i + 1, j + 1),
                        l.vertex(i, j + 1),
                    );
                    let (m1, m2) = (mid(a, b), mid(d, c));
                    let left = if keep { code(k + 1) } else { next() };
                    out.push((left, polygon(vec![a, m1, m2, d, a])));
                    out.push((next(), polygon(vec![m1, b, c, m2, m1])));
                }
            }
        }
    }
    out
}

fn crs() -> Crs {
    Crs::parse("EPSG:4549", CrsSource::Manifest)
}

/// A layer of text columns and geometries.
fn layer(names: &[&str], rows: Vec<(Vec<Option<String>>, Option<Geometry>)>) -> Layer {
    let mut columns: Vec<TextColumn> = names.iter().map(|_| TextColumn::default()).collect();
    let mut geometries = Vec::new();
    for (values, g) in rows {
        for (c, v) in columns.iter_mut().zip(&values) {
            assert!(c.push(v.as_deref()));
        }
        geometries.push(g);
    }
    let kind = geometries
        .iter()
        .flatten()
        .next()
        .map_or(GeometryKind::None, GeometryKind::of);
    Layer {
        source: "generated".into(),
        geometry_kind: kind,
        has_z_or_m: false,
        fields: names
            .iter()
            .map(|n| FieldDef {
                name: n.to_string(),
                kind: FieldKind::Text,
            })
            .collect(),
        columns,
        geometries,
        defects: Vec::new(),
        crs: Some(crs()),
        encoding: None,
        notes: Vec::new(),
    }
}

fn bound(profile: &Profile, kind: LayerKind, l: Layer) -> BoundLayer {
    let schema = profile.layer(kind).expect("layer schema");
    bind(l, kind, schema, &BTreeMap::new()).expect("bind")
}

fn dataset(profile: &Profile, grids: &[(String, Geometry)], cases: Option<Layer>) -> Dataset {
    let rows = grids
        .iter()
        .map(|(c, g)| {
            (
                vec![Some(c.clone()), Some(COMMUNITY.into())],
                Some(g.clone()),
            )
        })
        .collect();
    let mut layers = BTreeMap::new();
    layers.insert(
        LayerKind::Grids,
        bound(
            profile,
            LayerKind::Grids,
            layer(&["code", "community"], rows),
        ),
    );
    if let Some(c) = cases {
        layers.insert(LayerKind::Cases, bound(profile, LayerKind::Cases, c));
    }
    Dataset {
        root: "generated".into(),
        manifest: Manifest {
            region: Some("350582".into()),
            crs: Some("EPSG:4549".into()),
            ..Default::default()
        },
        layers,
    }
}

fn profile() -> Profile {
    Profile::builtin("gbt30428-2013").expect("profile")
}

fn diff_of(a: &[(String, Geometry)], b: &[(String, Geometry)]) -> ChangeSet {
    let p = profile();
    diff::run(
        &dataset(&p, a, None),
        &dataset(&p, b, None),
        &p,
        &Thresholds::default(),
    )
    .expect("diff")
}

/// The grid crosswalk: (old code, new code, area_int, share_old, share_new, relation).
type Row = (String, String, f64, f64, f64, Relation);

fn crosswalk(cs: &ChangeSet) -> Vec<Row> {
    let d = cs.layer(LayerKind::Grids).expect("grids diff");
    let mut rows: Vec<Row> = d
        .lineage
        .pairs
        .iter()
        .map(|p| {
            (
                d.old_codes[p.old].clone(),
                d.new_codes[p.new].clone(),
                p.area,
                p.share_old,
                p.share_new,
                p.relation,
            )
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rows
}

/// Each group as (relation, old codes, new codes), sorted.
fn groups(cs: &ChangeSet) -> Vec<(Relation, Vec<String>, Vec<String>)> {
    let d = cs.layer(LayerKind::Grids).expect("grids diff");
    let mut out: Vec<_> = d
        .lineage
        .groups
        .iter()
        .map(|g| {
            let mut o: Vec<String> = g.old.iter().map(|&i| d.old_codes[i].clone()).collect();
            let mut n: Vec<String> = g.new.iter().map(|&i| d.new_codes[i].clone()).collect();
            o.sort();
            n.sort();
            (g.relation, o, n)
        })
        .collect();
    out.sort_by(|a, b| (&a.1, &a.2).cmp(&(&b.1, &b.2)));
    out
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

proptest! {
    #[test]
    fn diff_of_a_version_with_itself_is_all_unchanged(l in lattice()) {
        let a = version_a(&l);
        let cs = diff_of(&a, &a);
        let g = groups(&cs);
        prop_assert_eq!(g.len(), a.len());
        for (relation, old, new) in &g {
            prop_assert_eq!(*relation, Relation::Unchanged);
            prop_assert_eq!(old, new);
        }
        for row in crosswalk(&cs) {
            prop_assert_eq!(&row.0, &row.1);
            prop_assert_eq!(row.5, Relation::Unchanged);
        }
        prop_assert!(cs.components.is_empty());
    }

    #[test]
    fn diff_backwards_inverts_diff_forwards(
        l in lattice(),
        ops in prop::collection::vec(op(), 16),
        // Half the cases with boundaries moved too (strips handed beside splits and merges).
        nudge in prop::option::of(prop::collection::vec((-5.0f64..5.0, -5.0f64..5.0), 25)),
    ) {
        let moved = nudge.map_or_else(|| l.clone(), |n| l.nudged(&n));
        let (a, b) = (version_a(&l), version_b(&moved, &ops));
        let (ab, ba) = (diff_of(&a, &b), diff_of(&b, &a));
        // Groups: old and new swapped, the relation inverted.
        let mut back: Vec<_> = groups(&ba)
            .into_iter()
            .map(|(r, o, n)| (r.inverse(), n, o))
            .collect();
        back.sort_by(|x, y| (&x.1, &x.2).cmp(&(&y.1, &y.2)));
        prop_assert_eq!(groups(&ab), back);
        // Crosswalk rows: the same pairs, shares swapped.
        let forward = crosswalk(&ab);
        let mut backward: Vec<Row> = crosswalk(&ba)
            .into_iter()
            .map(|(o, n, area, so, sn, r)| (n, o, area, sn, so, r.inverse()))
            .collect();
        backward.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
        prop_assert_eq!(forward.len(), backward.len());
        for (f, b) in forward.iter().zip(&backward) {
            prop_assert_eq!((&f.0, &f.1, f.5), (&b.0, &b.1, b.5));
            prop_assert!(close(f.2, b.2, 1e-6), "{f:?} {b:?}");
            prop_assert!(close(f.3, b.3, 1e-9) && close(f.4, b.4, 1e-9), "{f:?} {b:?}");
        }
    }

    #[test]
    fn the_crosswalk_conserves_area(
        l in lattice(),
        ops in prop::collection::vec(op(), 16),
        nudge in prop::option::of(prop::collection::vec((-5.0f64..5.0, -5.0f64..5.0), 25)),
    ) {
        let moved = nudge.map_or_else(|| l.clone(), |n| l.nudged(&n));
        let (a, b) = (version_a(&l), version_b(&moved, &ops));
        let cs = diff_of(&a, &b);
        let d = cs.layer(LayerKind::Grids).expect("grids diff");
        let t = Thresholds::default();
        // Pairs under the noise floor are left out: each may hide up to its floor.
        let tol = |n: usize| 1e-6 * CELL * CELL + n as f64 * t.lineage_min_area_m2;
        let mut into_new = vec![0.0; d.new_codes.len()];
        let mut from_old = vec![0.0; d.old_codes.len()];
        for p in &d.lineage.pairs {
            into_new[p.new] += p.area;
            from_old[p.old] += p.area;
        }
        let n = d.lineage.pairs.len();
        for (j, sum) in into_new.iter().enumerate() {
            prop_assert!(close(*sum, d.lineage.new_area[j], tol(n)),
                "new {}: Σ area_int {sum} ≠ {}", d.new_codes[j], d.lineage.new_area[j]);
        }
        for (i, sum) in from_old.iter().enumerate() {
            prop_assert!(close(*sum, d.lineage.old_area[i], tol(n)),
                "old {}: Σ area_int {sum} ≠ {}", d.old_codes[i], d.lineage.old_area[i]);
        }
        // Both versions cover the same rectangle.
        let total = |v: &[f64]| v.iter().sum::<f64>();
        prop_assert!(close(total(&d.lineage.old_area), total(&d.lineage.new_area), 1e-6));
    }

    #[test]
    fn remap_through_an_unchanged_layer_is_the_identity(
        l in lattice(),
        // Per case: its cell, where in the cell (weights of the four corners), with a point?
        cases in prop::collection::vec((0usize..16, 0.1f64..1.0, 0.1f64..1.0, 0.1f64..1.0, 0.1f64..1.0, any::<bool>()), 1..12),
    ) {
        let a = version_a(&l);
        let rows = cases
            .iter()
            .enumerate()
            .map(|(n, &(k, w0, w1, w2, w3, with_point))| {
                let k = k % a.len();
                let (i, j) = (k % l.nx, k / l.nx);
                let ring = l.cell(i, j);
                let s = w0 + w1 + w2 + w3;
                // A convex combination of the corners lies inside the (star-shaped) cell.
                let p = Coord {
                    x: (ring[0].x * w0 + ring[1].x * w1 + ring[2].x * w2 + ring[3].x * w3) / s,
                    y: (ring[0].y * w0 + ring[1].y * w1 + ring[2].y * w2 + ring[3].y * w3) / s,
                };
                let (x, y) = if with_point {
                    (Some(p.x.to_string()), Some(p.y.to_string()))
                } else {
                    (None, None)
                };
                (
                    vec![
                        Some(format!("C{n:02}")),
                        Some("2025-08-01".to_string()),
                        x,
                        y,
                        Some(a[k].0.clone()),
                        Some("结案".to_string()),
                    ],
                    with_point.then_some(Geometry::Point(Point(p))),
                )
            })
            .collect();
        let cases = layer(&["id", "time", "x", "y", "grid", "status"], rows);
        let p = profile();
        let old = dataset(&p, &a, Some(cases));
        let new = dataset(&p, &a, None);
        let t = Thresholds::default();
        let cs = diff::run(&old, &new, &p, &t).expect("diff");
        let cases = old.layer(LayerKind::Cases).expect("cases");
        let r = remap::run(&old, &new, &cs, cases, &p.closed_case_statuses(), &t);
        prop_assert_eq!(r.len(), cases.len());
        for m in r.iter() {
            // Its grid, in the community its code names (filed without one).
            prop_assert_eq!(&m.new[0], &m.old[0], "{:?}", m);
            prop_assert_eq!(m.new[1], Some(COMMUNITY), "{:?}", m);
            prop_assert_eq!(m.method, remap::Method::Unchanged, "{:?}", m);
            prop_assert!(m.review.is_empty(), "{:?}", m);
        }
    }

    #[test]
    fn validate_never_panics_on_random_rings(
        polygons in prop::collection::vec(
            prop::collection::vec(
                prop::collection::vec((-4i8..=4, -4i8..=4), 0..9),
                0..4,
            ),
            1..5,
        ),
        scale in prop_oneof![Just(1e-3), Just(1.0), Just(50.0), Just(1e6)],
    ) {
        let rows = polygons
            .iter()
            .enumerate()
            .map(|(n, rings)| {
                let mut rings: Vec<LineString> = rings
                    .iter()
                    .map(|r| {
                        LineString::new(
                            r.iter()
                                .map(|&(x, y)| Coord {
                                    x: X0 + f64::from(x) * scale,
                                    y: Y0 + f64::from(y) * scale,
                                })
                                .collect(),
                        )
                    })
                    .collect();
                let geometry = if rings.is_empty() {
                    Geometry::MultiPolygon(MultiPolygon(vec![]))
                } else {
                    let shell = rings.remove(0);
                    Geometry::Polygon(Polygon::new(shell, rings))
                };
                (vec![Some(n.to_string())], Some(geometry))
            })
            .collect();
        let l = layer(&["id"], rows);
        for g in l.geometries.iter().flatten() {
            let _ = gridkeeper::validate::validity::geometry_validity_errors(g);
        }
        let _ = gridkeeper::validate::file(&l, &Thresholds::default());
    }
}
