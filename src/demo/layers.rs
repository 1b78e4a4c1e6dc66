//! The generated records as [`Layer`]s with the local field names real systems use
//! (`BGID`, `OBJCODE`, `DEPTNAME2`, …), ready for the writers.

use std::path::PathBuf;

use chrono::{Days, NaiveDate};
use geo::{Geometry, LineString, MultiPolygon, Point, Polygon};

use super::admin::Hierarchy;
use super::classes::Classes;
use super::components::{code, Comp, EPOCH, SOURCES, STATUSES};
use super::defects::Overrides;
use super::duty::DutyVersion;
use super::pois::Poi;
use super::tiling::Lattice;
use super::versions::{Version, NONE};
use crate::io::crs::{Crs, CrsSource};
use crate::io::{FieldDef, FieldKind, GeometryKind, Layer, TextColumn};
use crate::model::LayerKind;

/// One field: canonical name, local (DBF) name, type.
type Spec = (&'static str, &'static str, FieldKind);

const STREETS: &[Spec] = &[
    ("code", "JDDM", FieldKind::Text),
    ("name", "JDMC", FieldKind::Text),
];
const COMMUNITIES: &[Spec] = &[
    ("code", "SQDM", FieldKind::Text),
    ("name", "SQMC", FieldKind::Text),
    ("street", "JDDM", FieldKind::Text),
];
const GRIDS: &[Spec] = &[
    ("code", "BGID", FieldKind::Text),
    ("community", "SQDM", FieldKind::Text),
    ("street", "JDDM", FieldKind::Text),
    ("area", "AREA", FieldKind::Number),
    ("start", "ORDATE", FieldKind::Date),
    ("end", "CHDATE", FieldKind::Date),
    ("note", "NOTE", FieldKind::Text),
];
const COMPONENTS: &[Spec] = &[
    ("code", "OBJCODE", FieldKind::Text),
    ("name", "OBJNAME", FieldKind::Text),
    ("class", "OBJTYPE", FieldKind::Text),
    ("grid", "BGID", FieldKind::Text),
    ("department", "DEPTNAME1", FieldKind::Text),
    ("owner", "DEPTNAME2", FieldKind::Text),
    ("maintainer", "DEPTNAME3", FieldKind::Text),
    ("status", "OBJSTATE", FieldKind::Text),
    ("currency", "OBJUPTODAT", FieldKind::Text),
    ("start", "ORDATE", FieldKind::Date),
    ("end", "CHDATE", FieldKind::Date),
    ("source", "DATASOURCE", FieldKind::Text),
    ("note", "NOTE", FieldKind::Text),
];
const DUTY: &[Spec] = &[
    ("code", "ZRWGBM", FieldKind::Text),
    ("name", "ZRWGMC", FieldKind::Text),
    ("street", "JDDM", FieldKind::Text),
    ("team", "ZRDW", FieldKind::Text),
    ("staff", "ZRR", FieldKind::Text),
    ("contact", "LXDH", FieldKind::Text),
    ("start", "ORDATE", FieldKind::Date),
    ("end", "CHDATE", FieldKind::Date),
];
const POIS: &[Spec] = &[
    ("code", "DZBM", FieldKind::Text),
    ("name", "MC", FieldKind::Text),
    ("address", "DZ", FieldKind::Text),
    ("class", "LX", FieldKind::Text),
];

/// The fields of a layer: `(canonical, local, type)`.
pub fn specs(kind: LayerKind) -> &'static [Spec] {
    match kind {
        LayerKind::Streets => STREETS,
        LayerKind::Communities => COMMUNITIES,
        LayerKind::Grids => GRIDS,
        LayerKind::Duty(_) => DUTY,
        LayerKind::Components => COMPONENTS,
        LayerKind::Pois => POIS,
        LayerKind::Cases => &[],
    }
}

struct Builder {
    layer: Layer,
    specs: &'static [Spec],
}

/// An empty layer of `kind` for year `year`.
fn builder(kind: LayerKind, year: i32, geometry: GeometryKind, rows: usize) -> Layer {
    let specs = specs(kind);
    Layer {
        source: PathBuf::from(format!("{year}/{}.shp", kind.name())),
        geometry_kind: geometry,
        has_z_or_m: false,
        fields: specs
            .iter()
            .map(|s| FieldDef {
                name: s.1.to_string(),
                kind: s.2,
            })
            .collect(),
        columns: specs
            .iter()
            .map(|_| TextColumn::with_capacity(rows))
            .collect(),
        geometries: Vec::with_capacity(rows),
        defects: Vec::new(),
        crs: Some(Crs::parse(super::CRS, CrsSource::Manifest)),
        encoding: Some("GBK".to_string()),
        notes: Vec::new(),
    }
}

impl Builder {
    fn new(kind: LayerKind, year: i32, geometry: GeometryKind, rows: usize) -> Builder {
        Builder {
            layer: builder(kind, year, geometry, rows),
            specs: specs(kind),
        }
    }

    /// Appends a feature; `values` in spec order, replaced by any override.
    fn push(&mut self, over: Option<&Overrides>, values: &[Option<&str>], geometry: Geometry) {
        let row = self.layer.geometries.len();
        for (i, spec) in self.specs.iter().enumerate() {
            let own = values.get(i).copied().flatten();
            let v = over
                .and_then(|o| o.get(&(row, spec.0)))
                .map(String::as_str)
                .or(own);
            // Column text stays far below 2 GiB: generate() caps the feature counts.
            let _ = self.layer.columns[i].push(v);
        }
        self.layer.geometries.push(Some(geometry));
    }
}

fn polygon(mp: MultiPolygon) -> Geometry {
    if mp.0.len() == 1 {
        mp.0.into_iter().next().map_or(
            Geometry::MultiPolygon(MultiPolygon(vec![])),
            Geometry::Polygon,
        )
    } else {
        Geometry::MultiPolygon(mp)
    }
}

/// The cells of each community (by index) in a version.
fn cells_by_community(v: &Version, communities: usize) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); communities];
    for (cell, &c) in v.cell_comm.iter().enumerate() {
        if c != NONE {
            out[c as usize].push(cell);
        }
    }
    out
}

/// Streets, communities and the district of one version.
pub fn admin_layers(v: &Version, hy: &Hierarchy, year: i32) -> (Layer, Layer, MultiPolygon) {
    let lat = &v.lattice;
    let by_comm = cells_by_community(v, hy.communities.len());
    let mut comm = Builder::new(
        LayerKind::Communities,
        year,
        GeometryKind::Polygon,
        by_comm.len(),
    );
    let mut street_cells: Vec<Vec<usize>> = vec![Vec::new(); hy.streets.len()];
    for (k, cells) in by_comm.iter().enumerate() {
        let def = &hy.communities[k];
        street_cells[def.street].extend_from_slice(cells);
        if cells.is_empty() {
            continue;
        }
        let mp = lat.union_polygon(cells, |c| v.cell_comm[c] == k as u32);
        let street = &hy.streets[def.street].code;
        comm.push(
            None,
            &[Some(&def.code), Some(&def.name), Some(street)],
            polygon(mp),
        );
    }
    let mut streets = Builder::new(
        LayerKind::Streets,
        year,
        GeometryKind::Polygon,
        hy.streets.len(),
    );
    let street_of = |c: usize| {
        let k = v.cell_comm[c];
        (k != NONE).then(|| hy.communities[k as usize].street)
    };
    for (s, cells) in street_cells.iter_mut().enumerate() {
        cells.sort_unstable();
        let mp = lat.union_polygon(cells, |c| street_of(c) == Some(s));
        let def = &hy.streets[s];
        streets.push(None, &[Some(&def.code), Some(&def.name)], polygon(mp));
    }
    let all: Vec<usize> = (0..lat.cells())
        .filter(|&c| v.cell_comm[c] != NONE)
        .collect();
    let district = lat.union_polygon(&all, |c| v.cell_comm[c] != NONE);
    (streets.layer, comm.layer, district)
}

/// The grids of one version.
pub fn grid_layer(v: &Version, hy: &Hierarchy, year: i32, over: Option<&Overrides>) -> Layer {
    let mut b = Builder::new(LayerKind::Grids, year, GeometryKind::Polygon, v.grids.len());
    for g in &v.grids {
        let comm = &hy.communities[g.community as usize];
        let street = &hy.streets[comm.street].code;
        let area = format!("{:.2}", g.area());
        let values = [
            Some(g.code.as_str()),
            Some(comm.code.as_str()),
            Some(street.as_str()),
            Some(area.as_str()),
            Some(g.start),
            None,
            None,
        ];
        let ring = LineString(g.ring.clone());
        b.push(over, &values, Geometry::Polygon(Polygon::new(ring, vec![])));
    }
    b.layer
}

/// A duty layer (责任网格) of one version: each duty grid the exact union of its cells.
pub fn duty_layer(
    kind: LayerKind,
    v: &DutyVersion,
    lattice: &Lattice,
    hy: &Hierarchy,
    year: i32,
) -> Layer {
    let mut b = Builder::new(kind, year, GeometryKind::Polygon, v.grids.len());
    for (k, d) in v.grids.iter().enumerate() {
        let street = hy.streets.get(d.street).map(|s| s.code.as_str());
        let values = [
            Some(d.code.as_str()),
            Some(d.name.as_str()),
            street,
            Some(d.team.as_str()),
            Some(d.staff.as_str()),
            Some(d.contact.as_str()),
            Some(d.start),
            None,
        ];
        b.push(None, &values, polygon(v.polygon(k, lattice)));
    }
    b.layer
}

/// `ORDATE` texts for every start day.
fn start_dates() -> Vec<String> {
    let epoch = NaiveDate::from_ymd_opt(EPOCH.0, EPOCH.1, EPOCH.2).unwrap_or_default();
    (0..u16::MAX as u64 / 8)
        .map(|d| {
            epoch
                .checked_add_days(Days::new(d))
                .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
        })
        .collect()
}

/// The components of one version.
pub fn component_layer(
    comps: &[Comp],
    v: &Version,
    classes: &Classes,
    region: &str,
    year: i32,
    over: Option<&Overrides>,
) -> Layer {
    let dates = start_dates();
    let mut b = Builder::new(
        LayerKind::Components,
        year,
        GeometryKind::Point,
        comps.len(),
    );
    for c in comps {
        let code = code(region, classes, c.class, c.serial);
        let class = classes.list.get(c.class as usize);
        let grid = v.grids.get(c.grid as usize).map(|g| g.code.as_str());
        let values = [
            Some(code.as_str()),
            class.map(|k| k.name),
            class.map(|k| k.code),
            grid,
            Some(c.department),
            Some(c.owner),
            Some(c.maintainer),
            STATUSES.get(c.status as usize).copied(),
            Some("在用"),
            dates.get(c.start as usize).map(String::as_str),
            None,
            SOURCES.get(c.source as usize).copied(),
            None,
        ];
        b.push(over, &values, Geometry::Point(Point(c.at)));
    }
    b.layer
}

/// The address points (the same in both versions).
pub fn poi_layer(pois: &[Poi], year: i32) -> Layer {
    let mut b = Builder::new(LayerKind::Pois, year, GeometryKind::Point, pois.len());
    for p in pois {
        let values = [
            Some(p.code.as_str()),
            Some(p.name.as_str()),
            Some(p.address.as_str()),
            Some(p.class),
        ];
        b.push(None, &values, Geometry::Point(Point(p.at)));
    }
    b.layer
}
