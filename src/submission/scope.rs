//! A town's part of a district dataset (辖区范围): the center keeps last year's data for the
//! whole district; a town submits the data of its own streets. To compare the two, the
//! district's version is cut to the submission's streets — the same cut a town makes when it
//! takes its part of last year's data to build its plan on.
//!
//! A feature belongs to the streets `S` when:
//! - streets: its code is in `S`;
//! - communities and duty grids (责任网格): its `street` field is in `S`, else its code
//!   starts with a code of `S`;
//! - grids: its `street` field is in `S`, else its `community` field or its code starts with
//!   a code of `S`;
//! - components: its `grid` field names a grid kept, else its point lies in one;
//! - addresses (pois): its point lies in a street kept;
//! - cases: its `street` field is in `S`, else its `grid` field starts with a code of `S`,
//!   else its point lies in a grid kept.

use std::collections::{BTreeMap, BTreeSet};

use geo::Geometry;

use crate::index::{locate, EnvelopeIndex, Location};
use crate::io::{Layer, TextColumn};
use crate::model::{BoundLayer, Dataset, LayerKind};

/// The street codes a dataset's streets layer holds.
pub fn streets_of(ds: &Dataset) -> BTreeSet<String> {
    let Some(l) = ds.layer(LayerKind::Streets) else {
        return BTreeSet::new();
    };
    (0..l.len())
        .filter_map(|i| l.get(i, "code"))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn value(l: &BoundLayer, i: usize, field: &str) -> Option<String> {
    l.get(i, field)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// The street codes kept, with the length of the longest (in bytes).
#[derive(Clone, Copy)]
struct Streets<'a> {
    codes: &'a BTreeSet<String>,
    longest: usize,
}

impl<'a> Streets<'a> {
    fn new(codes: &'a BTreeSet<String>) -> Streets<'a> {
        Streets {
            codes,
            longest: codes.iter().map(String::len).max().unwrap_or(0),
        }
    }
}

/// Whether `code` begins with one of the street codes: each of its prefixes up to the
/// longest street code looked up (not every street tried against every code: a package of
/// 100,000 street codes cut against 3 million cases was 3 × 10^11 comparisons).
fn prefixed(code: Option<&str>, streets: &Streets) -> bool {
    let (streets, longest) = (streets.codes, streets.longest);
    // A prefix longer than every street code needs no look-up (a code of a million
    // characters would otherwise cost a million look-ups of growing keys).
    code.is_some_and(|c| {
        c.char_indices()
            .map(|(k, ch)| k + ch.len_utf8())
            .take_while(|&end| end <= longest)
            .any(|end| streets.contains(&c[..end]))
    })
}

/// The features of `layer` for which `keep` holds, in their order (attributes, geometries,
/// raw defects renumbered; read notes kept).
pub fn subset(layer: &Layer, keep: &[bool]) -> Layer {
    let rows: Vec<usize> = (0..layer.len())
        .filter(|&i| keep.get(i).copied().unwrap_or(false))
        .collect();
    let mut new_index = BTreeMap::new();
    for (n, &i) in rows.iter().enumerate() {
        new_index.insert(i, n);
    }
    let columns = layer
        .columns
        .iter()
        .map(|c| {
            let mut out = TextColumn::with_capacity(rows.len());
            for &i in &rows {
                // A subset of a column that fitted fits.
                let _ = out.push(c.get(i));
            }
            out
        })
        .collect();
    Layer {
        source: layer.source.clone(),
        geometry_kind: layer.geometry_kind,
        has_z_or_m: layer.has_z_or_m,
        fields: layer.fields.clone(),
        columns,
        geometries: rows.iter().map(|&i| layer.geometries[i].clone()).collect(),
        defects: layer
            .defects
            .iter()
            .filter_map(|(i, d)| new_index.get(i).map(|&n| (n, d.clone())))
            .collect(),
        crs: layer.crs.clone(),
        encoding: layer.encoding.clone(),
        notes: layer.notes.clone(),
    }
}

fn cut(l: &BoundLayer, keep: &[bool]) -> BoundLayer {
    BoundLayer {
        kind: l.kind,
        layer: subset(&l.layer, keep),
        fields: l.fields.clone(),
    }
}

/// Polygons to locate points in.
struct Area<'a> {
    geometries: &'a [Option<Geometry>],
    index: EnvelopeIndex,
}

impl<'a> Area<'a> {
    fn new(geometries: &'a [Option<Geometry>]) -> Area<'a> {
        Area {
            index: EnvelopeIndex::for_points(geometries),
            geometries,
        }
    }

    fn holds(&self, l: &BoundLayer, i: usize) -> bool {
        let c = l.geometry(i).and_then(crate::geom::single_point);
        c.is_some_and(|c| locate(c, &self.index, self.geometries) != Location::Outside)
    }
}

/// Whether feature `i` of `l` belongs to `streets`: its `street` field is one of them, else
/// its code starts with one.
fn by_street_or_code(l: &BoundLayer, i: usize, streets: Streets) -> bool {
    match value(l, i, "street") {
        Some(s) => streets.codes.contains(&s),
        None => prefixed(value(l, i, "code").as_deref(), &streets),
    }
}

/// Cases of `cases` that belong to `streets`, given the grids kept (`grids`): by their street,
/// else their grid's code, else their point in `grids`.
pub fn restrict_cases(
    cases: &BoundLayer,
    streets: &BTreeSet<String>,
    grids: Option<&BoundLayer>,
) -> BoundLayer {
    restrict_cases_located(cases, cases, streets, grids)
}

/// [`restrict_cases`] with each case's point taken from `located`: the same cases (in the same
/// order) in the grids' CRS, so that the cases cut keep their own coordinates.
pub fn restrict_cases_located(
    cases: &BoundLayer,
    located: &BoundLayer,
    streets: &BTreeSet<String>,
    grids: Option<&BoundLayer>,
) -> BoundLayer {
    let geoms: Vec<Option<Geometry>> = grids
        .map(|g| g.layer.geometries.clone())
        .unwrap_or_default();
    let area = Area::new(&geoms);
    let kept = Streets::new(streets);
    let keep: Vec<bool> = (0..cases.len())
        .map(|i| match value(cases, i, "street") {
            Some(s) => streets.contains(&s),
            None => match value(cases, i, "grid") {
                Some(g) => prefixed(Some(&g), &kept),
                None => area.holds(located, i),
            },
        })
        .collect();
    cut(cases, &keep)
}

/// `ds` cut to the features of `streets` (see the module's rules). The manifest and root stay.
pub fn restrict(ds: &Dataset, streets: &BTreeSet<String>) -> Dataset {
    let kept = Streets::new(streets);
    let mut layers = BTreeMap::new();
    if let Some(l) = ds.layer(LayerKind::Streets) {
        let keep: Vec<bool> = (0..l.len())
            .map(|i| value(l, i, "code").is_some_and(|c| streets.contains(&c)))
            .collect();
        layers.insert(LayerKind::Streets, cut(l, &keep));
    }
    if let Some(l) = ds.layer(LayerKind::Communities) {
        let keep: Vec<bool> = (0..l.len())
            .map(|i| by_street_or_code(l, i, kept))
            .collect();
        layers.insert(LayerKind::Communities, cut(l, &keep));
    }
    if let Some(l) = ds.layer(LayerKind::Grids) {
        let keep: Vec<bool> = (0..l.len())
            .map(|i| match value(l, i, "street") {
                Some(s) => streets.contains(&s),
                None => prefixed(
                    value(l, i, "community")
                        .or_else(|| value(l, i, "code"))
                        .as_deref(),
                    &kept,
                ),
            })
            .collect();
        layers.insert(LayerKind::Grids, cut(l, &keep));
    }
    let kept_grids = layers.get(&LayerKind::Grids);
    let grid_codes: BTreeSet<String> = kept_grids
        .map(|g| (0..g.len()).filter_map(|i| value(g, i, "code")).collect())
        .unwrap_or_default();
    let grid_geoms: Vec<Option<Geometry>> = kept_grids
        .map(|g| g.layer.geometries.clone())
        .unwrap_or_default();
    let grid_area = Area::new(&grid_geoms);
    if let Some(l) = ds.layer(LayerKind::Components) {
        let keep: Vec<bool> = (0..l.len())
            .map(|i| match value(l, i, "grid") {
                Some(g) => grid_codes.contains(&g),
                None => grid_area.holds(l, i),
            })
            .collect();
        layers.insert(LayerKind::Components, cut(l, &keep));
    }
    if let Some(l) = ds.layer(LayerKind::Pois) {
        let geoms: Vec<Option<Geometry>> = layers
            .get(&LayerKind::Streets)
            .map(|s| s.layer.geometries.clone())
            .unwrap_or_default();
        let area = Area::new(&geoms);
        let keep: Vec<bool> = (0..l.len()).map(|i| area.holds(l, i)).collect();
        layers.insert(LayerKind::Pois, cut(l, &keep));
    }
    if let Some(l) = ds.layer(LayerKind::Cases) {
        let cases = restrict_cases(l, streets, layers.get(&LayerKind::Grids));
        layers.insert(LayerKind::Cases, cases);
    }
    for (kind, l) in ds.layers.iter().filter(|(k, _)| k.duty().is_some()) {
        let keep: Vec<bool> = (0..l.len())
            .map(|i| by_street_or_code(l, i, kept))
            .collect();
        layers.insert(*kind, cut(l, &keep));
    }
    Dataset {
        root: ds.root.clone(),
        manifest: ds.manifest.clone(),
        layers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A code belongs to a street whose code begins it; prefixes are looked up, on
    /// character boundaries, no longer than the longest street code.
    #[test]
    fn codes_are_matched_by_their_prefixes() {
        let codes: BTreeSet<String> = ["350582001", "350582002"].map(String::from).into();
        let streets = Streets::new(&codes);
        assert!(prefixed(Some("350582001005"), &streets));
        assert!(prefixed(Some("350582002"), &streets));
        assert!(!prefixed(Some("3505820"), &streets));
        assert!(!prefixed(Some("350582003001"), &streets));
        assert!(!prefixed(Some("３５0582001005"), &streets));
        assert!(!prefixed(None, &streets));
        let long = format!("350582001{}", "9".repeat(1_000_000));
        assert!(prefixed(Some(&long), &streets));
        let none = BTreeSet::new();
        assert!(!prefixed(Some("350582001"), &Streets::new(&none)));
    }
}
