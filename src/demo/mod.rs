//! The demo district (演示数据): a deterministic synthetic district in two versions — last
//! year's (2025) and this year's (2026) — with every difference between them and every
//! seeded data defect recorded in its truth (`truth.json`).
//!
//! It is what `gridkeeper demo` writes, what the tests and benchmarks run on, and a way to
//! see the tool at work without real data. The district lies in EPSG:4549 (CGCS2000 3°
//! Gauss-Krüger, CM 120°E) around x ≈ 350 000, y ≈ 2 745 000, region 350582:
//!
//! - unit grids (单元网格): cells of about 100 m × 100 m cut from a jittered lattice, with
//!   shared boundaries vertex-to-vertex identical — no gaps, no overlaps;
//! - streets/towns (街道/镇) and communities/villages (社区/村): rectangular blocks of
//!   cells whose polygons are exactly the union of their grids;
//! - components (部件): points strictly inside their grid, in weighted classes of the
//!   GB/T 30428 table, with department (主管部门), owner (权属单位), maintainer (养护单位);
//! - addresses/POIs (地址/兴趣点);
//! - duty layers (责任网格): law-enforcement grids (执法网格) and sanitation grids (环卫网格),
//!   unions of whole unit grids within each street, each with its team, staff and contact,
//!   changed between the versions by a hand-over of unit grids, a split and a merge;
//! - historical cases (历史案件) filed under last year's grids, from 2023 to mid-2026
//!   ([`Demo::cases`]).
//!
//! ```
//! use gridkeeper::demo::{generate, DemoOptions, GridRelation};
//! let demo = generate(&DemoOptions { grids: 100, components: 1_000, ..Default::default() });
//! assert!(demo.truth.grid_count(GridRelation::Split) >= 2);
//! assert_eq!(demo.new.components.len(), 1_000);
//! ```

mod admin;
mod cases;
mod classes;
mod components;
mod defects;
mod duty;
mod layers;
mod plan;
mod pois;
mod rng;
mod staff;
mod tiling;
pub mod truth;
mod versions;
mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use geo::MultiPolygon;

use crate::error::Result;
use crate::io::Layer;
use crate::model::DutyName;
use crate::model::{BoundLayer, Dataset, LayerKind, Manifest};
use crate::schema::{self, Profile};

pub use self::cases::{CASE_DAYS, CASE_FIELDS, CASE_STATUSES, EVENT_CLASSES};
pub use self::truth::{
    CaseFacts, ComponentDiff, Counts, Defect, DutyFacts, DutyMove, GridDiff, GridRelation,
    TeamGrids, Truth, VersionFacts,
};
pub use self::write::{write, DemoPaths};

/// 区县代码 of the demo district (晋江市).
pub const REGION: &str = "350582";
/// The CRS of every layer.
pub const CRS: &str = "EPSG:4549";
/// The profile the data follows.
pub const PROFILE: &str = "gbt30428-2013";
/// ESRI WKT of EPSG:4549 for the `.prj` files.
pub const PRJ: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
/// Last year's data year and effective date.
pub const OLD: (i32, &str) = (2025, "2025-07-01");
/// This year's data year and effective date.
pub const NEW: (i32, &str) = (2026, "2026-07-01");
/// Centre of the district (easting, northing).
pub const CENTRE: (f64, f64) = (350_000.0, 2_745_000.0);

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// The seed: the same seed (and sizes) gives the same district, byte for byte.
    pub seed: u64,
    /// About how many unit grids (单元网格) this year's version has
    /// (kept within [`DemoOptions::GRIDS`]).
    pub grids: usize,
    /// How many components (部件) this year's version has (kept within
    /// [`DemoOptions::COMPONENTS`] and to at most [`DemoOptions::PER_GRID`] per grid).
    pub components: usize,
    /// Whether to seed data defects (数据缺陷) into this year's version.
    pub defects: bool,
    /// How many historical cases (历史案件) to file under last year's version (kept within
    /// [`DemoOptions::CASES`]).
    pub cases: usize,
}

impl DemoOptions {
    /// The range of grid counts the generator accepts.
    pub const GRIDS: std::ops::RangeInclusive<usize> = 60..=200_000;
    /// The range of component counts the generator accepts.
    pub const COMPONENTS: std::ops::RangeInclusive<usize> = 100..=5_000_000;
    /// The most components per grid on average (they keep 1 m apart).
    pub const PER_GRID: usize = 500;
    /// The range of case counts the generator accepts.
    pub const CASES: std::ops::RangeInclusive<usize> = 100..=5_000_000;
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 2026,
            grids: 900,
            components: 20_000,
            defects: true,
            cases: 5_000,
        }
    }
}

/// One version of the district: a layer per kind and the manifest facts.
#[derive(Debug, Clone)]
pub struct DemoVersion {
    /// The data year.
    pub year: i32,
    /// When it takes effect.
    pub effective: NaiveDate,
    /// 街道/镇
    pub streets: Layer,
    /// 社区/村
    pub communities: Layer,
    /// 单元网格
    pub grids: Layer,
    /// 部件
    pub components: Layer,
    /// 地址/兴趣点
    pub pois: Layer,
    /// 执法网格 — the law-enforcement grids (`enforcement_grids`).
    pub enforcement: Layer,
    /// 环卫网格 — the sanitation grids (`sanitation_grids`).
    pub sanitation: Layer,
    /// 辖区 — the district: the union of the grids.
    pub district: MultiPolygon,
}

impl DemoVersion {
    /// The layers with their kinds, in dataset order (the duty layers after the grids).
    pub fn layers(&self) -> [(LayerKind, &Layer); 7] {
        let [enforcement, sanitation] = duty_kinds();
        [
            (LayerKind::Streets, &self.streets),
            (LayerKind::Communities, &self.communities),
            (LayerKind::Grids, &self.grids),
            (enforcement, &self.enforcement),
            (sanitation, &self.sanitation),
            (LayerKind::Components, &self.components),
            (LayerKind::Pois, &self.pois),
        ]
    }

    /// The layer of a kind (`None` for cases: they are [`Demo::cases`], filed under last
    /// year's version).
    pub fn layer(&self, kind: LayerKind) -> Option<&Layer> {
        self.layers()
            .into_iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, l)| l)
    }

    /// Feature counts.
    pub fn counts(&self) -> Counts {
        Counts {
            streets: self.streets.len(),
            communities: self.communities.len(),
            grids: self.grids.len(),
            components: self.components.len(),
            pois: self.pois.len(),
        }
    }
}

/// A generated district: both versions and the truth about them.
#[derive(Debug, Clone)]
pub struct Demo {
    /// The options it was generated with (after clamping).
    pub options: DemoOptions,
    /// 区县代码
    pub region: String,
    /// The CRS of every layer (`EPSG:4549`).
    pub crs: String,
    /// The profile name.
    pub profile: String,
    /// Last year's version (2025).
    pub old: DemoVersion,
    /// This year's version (2026), with the seeded defects.
    pub new: DemoVersion,
    /// 历史案件 — the historical cases filed under last year's version (a point layer; cases
    /// filed without coordinates have no geometry), in report-time order.
    pub cases: Layer,
    /// Every difference and defect.
    pub truth: Truth,
}

impl Demo {
    /// One version bound to `profile` in memory, as `dataset::load` would read it from the
    /// files `demo` writes (without them: for benchmarks and tests that need no files).
    pub fn dataset(&self, version: &DemoVersion, profile: &Profile) -> Result<Dataset> {
        let mut layers = BTreeMap::new();
        for (kind, layer) in version.layers() {
            let Some(s) = profile.layer(kind) else {
                continue;
            };
            let map: BTreeMap<String, String> = fields(kind)
                .into_iter()
                .map(|(c, l)| (c.to_string(), l.to_string()))
                .collect();
            layers.insert(kind, schema::bind(layer.clone(), kind, s, &map)?);
        }
        Ok(Dataset {
            root: PathBuf::new(),
            manifest: Manifest {
                region: Some(self.region.clone()),
                year: Some(version.year),
                effective: Some(version.effective),
                profile: Some(self.profile.clone()),
                crs: Some(self.crs.clone()),
                ..Manifest::default()
            },
            layers,
        })
    }

    /// The historical cases bound to `profile`'s cases schema (`None` when it has none).
    pub fn bound_cases(&self, profile: &Profile) -> Option<Result<BoundLayer>> {
        let s = profile.layer(LayerKind::Cases)?;
        Some(schema::bind(
            self.cases.clone(),
            LayerKind::Cases,
            s,
            &BTreeMap::new(),
        ))
    }
}

/// The demo's duty layers (责任网格): `enforcement_grids` (执法网格) and `sanitation_grids`
/// (环卫网格), worded as the built-in profiles declare them.
pub fn duty_kinds() -> [LayerKind; 2] {
    [duty::ENFORCEMENT, duty::SANITATION]
        .map(|s| LayerKind::Duty(DutyName::declare(s.name, s.zh, s.en)))
}

/// The fields of a demo layer as `(canonical, local)` pairs: what `dataset.toml` maps.
pub fn fields(kind: LayerKind) -> Vec<(&'static str, &'static str)> {
    layers::specs(kind).iter().map(|s| (s.0, s.1)).collect()
}

/// How many grid differences of each relation a district of `grids` grids gets
/// (splits get one more: one split keeps no code, the others keep one).
pub fn grid_changes(grids: usize) -> usize {
    versions::change_count(grids.clamp(*DemoOptions::GRIDS.start(), *DemoOptions::GRIDS.end()))
}

/// How many component differences of each change `components` components get
/// (besides those of whole grids added or removed, and the grid-changed ones).
pub fn component_changes(components: usize) -> usize {
    components::change_count(components)
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// Generates the district in memory. Pure: the same options give the same district.
pub fn generate(options: &DemoOptions) -> Demo {
    let mut o = options.clone();
    o.grids = o
        .grids
        .clamp(*DemoOptions::GRIDS.start(), *DemoOptions::GRIDS.end());
    o.components = o
        .components
        .clamp(
            *DemoOptions::COMPONENTS.start(),
            *DemoOptions::COMPONENTS.end(),
        )
        .min(o.grids * DemoOptions::PER_GRID);
    o.cases = o
        .cases
        .clamp(*DemoOptions::CASES.start(), *DemoOptions::CASES.end());
    let k = versions::change_count(o.grids);
    let w = ((o.grids as f64 * 1.25).sqrt().round() as usize).max(8);
    let h = (((o.grids + k) as f64 / w as f64).round() as usize).max(8);
    let x0 = (CENTRE.0 - w as f64 * tiling::CELL / 2.0).round();
    let y0 = (CENTRE.1 + h as f64 * tiling::CELL / 2.0).round();
    let lattice = tiling::Lattice::new(o.seed, w, h, x0, y0);
    let hy = admin::build(REGION, w, h, &mut rng::Rng::stream(o.seed, 10));
    let g = versions::build(o.seed, lattice, &hy, k, NEW.1);
    let classes = classes::Classes::load();
    let comps = components::generate(&g, &classes, REGION, o.components, o.seed);
    let pois = pois::generate(&g, &hy, REGION, pois::count(o.grids), o.seed);
    let seeded = if o.defects {
        defects::seed(&g, &comps, &hy, &classes, REGION, o.seed)
    } else {
        defects::Seeded::default()
    };

    let (cases, case_facts) = cases::generate(
        &g.old, &hy, &classes, &comps.old, &pois, REGION, o.cases, o.seed,
    );
    let per_grid = duty::cases_per_grid(&cases);
    let duties = crate::timing::stage("demo.duty", || {
        [duty::ENFORCEMENT, duty::SANITATION]
            .map(|spec| duty::build(spec, &g, &hy, &per_grid, o.seed))
    });
    drop(per_grid);
    let [enforcement, sanitation] = duty_kinds();

    let version = |old: bool| {
        let (v, list, (year, eff)) = if old {
            (&g.old, &comps.old, OLD)
        } else {
            (&g.new, &comps.new, NEW)
        };
        let (grid_over, comp_over) = if old {
            (None, None)
        } else {
            (Some(&seeded.grids), Some(&seeded.components))
        };
        let (streets, communities, district) = layers::admin_layers(v, &hy, year);
        // Each duty grid is the lattice's exact union of its cells (a coverage union).
        let duty = |d: &duty::Duty, kind: LayerKind| {
            let dv = if old { &d.old } else { &d.new };
            crate::timing::stage("demo.duty.union", || {
                layers::duty_layer(kind, dv, &v.lattice, &hy, year)
            })
        };
        DemoVersion {
            year,
            effective: date(eff),
            streets,
            communities,
            grids: layers::grid_layer(v, &hy, year, grid_over),
            components: layers::component_layer(list, v, &classes, REGION, year, comp_over),
            pois: layers::poi_layer(&pois, year),
            enforcement: duty(&duties[0], enforcement),
            sanitation: duty(&duties[1], sanitation),
            district,
        }
    };
    let old = version(true);
    let new = version(false);
    let truth = Truth {
        generator: format!("gridkeeper demo {}", crate::VERSION),
        seed: o.seed,
        grids_requested: o.grids,
        components_requested: o.components,
        region: REGION.into(),
        crs: CRS.into(),
        profile: PROFILE.into(),
        old: VersionFacts {
            year: OLD.0,
            effective: OLD.1.into(),
            counts: old.counts(),
        },
        new: VersionFacts {
            year: NEW.0,
            effective: NEW.1.into(),
            counts: new.counts(),
        },
        grids: g.diffs.clone(),
        components: comps.diffs.clone(),
        defects: seeded.defects,
        cases: case_facts,
        duty: duties.map(|d| d.facts).into(),
    };
    Demo {
        options: o,
        region: REGION.into(),
        crs: CRS.into(),
        profile: PROFILE.into(),
        old,
        new,
        cases,
        truth,
    }
}
