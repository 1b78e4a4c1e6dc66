//! Historical cases (历史案件) filed under last year's (2025) data: component cases (部件类)
//! at their component and event cases (事件类) clustered around markets, schools and other
//! POIs and along main roads, from 2023-01-01 to 2026-06-30, each with the grid, community
//! and street it was filed under.
//!
//! Every case's grid is found by construction: the point is drawn inside or near a known
//! lattice cell and located among the grids of that cell and its eight neighbours, never by
//! scanning all grids. A few cases (about 0.2 %) are deliberately filed under a neighbouring
//! grid (bad historical data, 历史数据错误); the truth lists them.

mod place;
mod when;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use geo::{Coord, Geometry, Point};
use rayon::prelude::*;

use self::place::{centimetres, cm, near, Places};
use self::when::Calendar;
use super::admin::Hierarchy;
use super::classes::Classes;
use super::components::Comp;
use super::pois::Poi;
use super::rng::{hash, Rng};
use super::truth::CaseFacts;
use super::versions::Version;
use crate::error::Result;
use crate::io::atomic;
use crate::io::crs::{Crs, CrsSource};
use crate::io::{FieldDef, FieldKind, GeometryKind, Layer, TextColumn};

/// The fields of the cases layer (`cases.csv`), in file order: canonical names, all text.
pub const CASE_FIELDS: [&str; 12] = [
    "id",
    "time",
    "kind",
    "major",
    "minor",
    "component",
    "x",
    "y",
    "grid",
    "community",
    "street",
    "status",
];

/// 案件状态: awaiting acceptance, filed and dispatched, in progress, verifying, closed, void,
/// parked, supervised.
pub const CASE_STATUSES: [&str; 8] = [
    "待受理",
    "立案派遣",
    "处理中",
    "核查结案",
    "结案",
    "作废",
    "挂账",
    "督查",
];

/// The first and last day of the cases (`YYYY-MM-DD`, both included).
pub const CASE_DAYS: (&str, &str) = ("2023-01-01", "2026-06-30");

/// 事件大类 with their 小类: `(major code, name, minor names)`; a minor class's code is its
/// 1-based position in the space-separated list, in two digits (`01`, `02`, …). 5 major and
/// 43 minor classes.
pub const EVENT_CLASSES: [(&str, &str, &str); 5] = [
    (
        "01",
        "市容环境",
        "私搭乱建 暴露垃圾 积存垃圾渣土 道路不洁 水域不洁 绿地脏乱 废弃家具设备 非装饰性树挂 焚烧垃圾树叶 油烟污染 动物尸体 乱涂写乱张贴",
    ),
    (
        "02",
        "宣传广告",
        "违章张贴小广告 街头散发小广告 非法悬挂宣传品 占道广告牌 广告招牌破损 过期广告",
    ),
    (
        "03",
        "施工管理",
        "施工扰民 工地扬尘 道路遗撒 无证掘路 施工占道 违规渣土运输 施工废弃料",
    ),
    (
        "04",
        "突发事件",
        "路面塌陷 自来水管破裂 燃气管道破裂 下水道堵塞或破损 道路积水 道路积雪结冰 架空线缆损坏 火灾",
    ),
    (
        "05",
        "街面秩序",
        "无照经营游商 流浪乞讨 占道废品收购 店外经营 机动车乱停放 非机动车乱停放 黑车拉客 露天烧烤 占道经营 街头散发物品",
    ),
];

/// Two-digit minor class codes.
const MINOR_CODES: [&str; 12] = [
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
];

/// Share of component cases (部件类案件).
const COMPONENT_SHARE: f64 = 0.35;
/// Share of cases filed without coordinates.
const NO_POINT: f64 = 0.10;
/// Event cases near a POI (within [`POI_RADIUS`]), along a main road, else anywhere.
const NEAR_POI: f64 = 0.5;
const ON_ROAD: f64 = 0.15;
/// Largest distance of a clustered case from its POI, metres (under 30 m after rounding).
const POI_RADIUS: f64 = 28.0;
/// Largest distance of a component case from its component, metres.
const COMPONENT_RADIUS: f64 = 1.5;
/// Share of component cases about a few "problem" components, and how many those are.
const HOT_SHARE: f64 = 0.4;
const HOT_PER: usize = 20;
/// Cumulative major-class weights of event cases by where they happen.
const MAJOR_ANYWHERE: [u32; 5] = [35, 50, 60, 66, 100];
const MAJOR_MARKET: [u32; 5] = [25, 35, 40, 45, 100];
const MAJOR_SCHOOL: [u32; 5] = [30, 55, 60, 65, 100];
const MAJOR_ROAD: [u32; 5] = [30, 40, 65, 75, 100];
/// Cases generated together with one random stream (chunks run in parallel; the output does
/// not depend on the number of threads).
const CHUNK: usize = 1 << 15;

/// How many cases are filed under a neighbouring grid: about 0.2 %, at least 3 from 1,000.
pub fn bad_count(n: usize) -> usize {
    if n >= 1_000 {
        (n / 500).max(3)
    } else {
        n / 500
    }
}

/// Where an event case happens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Anywhere,
    Market,
    School,
    NearPoi,
    Road,
}

/// What every case draws on.
struct Ctx<'a> {
    v: &'a Version,
    hy: &'a Hierarchy,
    classes: &'a Classes,
    comps: &'a [Comp],
    pois: &'a [Poi],
    region: &'a str,
    places: Places<'a>,
    cal: Calendar,
    poi_weights: Vec<u32>,
    hot: Vec<usize>,
}

/// The cases of one chunk: the values of every row, concatenated, and where each ends.
#[derive(Default)]
struct Part {
    text: String,
    ends: Vec<usize>,
    geometries: Vec<Option<Geometry>>,
    facts: CaseFacts,
}

impl Part {
    fn value(&mut self, v: &str) {
        self.text.push_str(v);
        self.ends.push(self.text.len());
    }
}

/// A case's place: its point and (grid, cell), if any; its class; its component code.
struct Site<'a> {
    located: Option<(Coord, (usize, usize))>,
    class: (&'static str, &'static str),
    component: Option<&'a Comp>,
}

impl<'a> Ctx<'a> {
    /// The codes a case is filed under: grid, community, street.
    fn filed(&self, grid: usize) -> [&str; 3] {
        let Some(g) = self.v.grids.get(grid) else {
            return ["", "", ""];
        };
        let Some(comm) = self.hy.communities.get(g.community as usize) else {
            return [g.code.as_str(), "", ""];
        };
        let street = self
            .hy
            .streets
            .get(comm.street)
            .map_or("", |s| s.code.as_str());
        [g.code.as_str(), comm.code.as_str(), street]
    }

    /// A component case: at (within [`COMPONENT_RADIUS`] of) a component, in its grid.
    fn at_component(&self, rng: &mut Rng) -> Site<'a> {
        let k = if !self.hot.is_empty() && rng.chance(HOT_SHARE) {
            self.hot[rng.below(self.hot.len())]
        } else {
            rng.below(self.comps.len())
        };
        let Some(c) = self.comps.get(k) else {
            return self.event(rng);
        };
        let own = |at: Coord| {
            let l = self.places.locate(at)?;
            (l.0 as u32 == c.grid).then_some((at, l))
        };
        let p = near(c.at, COMPONENT_RADIUS, rng);
        let exact = Coord {
            x: cm(c.at.x),
            y: cm(c.at.y),
        };
        let code = self
            .classes
            .list
            .get(c.class as usize)
            .map_or("0000", |k| k.code);
        Site {
            located: own(p).or_else(|| own(exact)),
            class: (code.get(..2).unwrap_or(""), code.get(2..4).unwrap_or("")),
            component: Some(c),
        }
    }

    /// An event case: near a POI (markets and schools most), along a main road, or anywhere.
    fn event(&self, rng: &mut Rng) -> Site<'a> {
        let u = rng.unit();
        let poi = if u < NEAR_POI {
            self.pois.get(rng.weighted(&self.poi_weights))
        } else {
            None
        };
        let place = match poi.map(|p| p.class) {
            Some("商业") => Place::Market,
            Some("学校") => Place::School,
            Some(_) => Place::NearPoi,
            None if u < NEAR_POI + ON_ROAD => Place::Road,
            None => Place::Anywhere,
        };
        let mut located = None;
        for attempt in 0..64 {
            let p = match (place, poi) {
                _ if attempt >= 32 => self.places.anywhere(rng),
                (Place::Road, _) => self.places.road(rng),
                (_, Some(poi)) => near(poi.at, POI_RADIUS, rng),
                _ => self.places.anywhere(rng),
            };
            if let Some(l) = self.places.locate(p) {
                located = Some((p, l));
                break;
            }
        }
        let majors = match place {
            Place::Market => &MAJOR_MARKET,
            Place::School => &MAJOR_SCHOOL,
            Place::Road => &MAJOR_ROAD,
            Place::Anywhere | Place::NearPoi => &MAJOR_ANYWHERE,
        };
        let (major, _, minors) = EVENT_CLASSES[rng.weighted(majors).min(4)];
        let count = minors.split(' ').count().min(MINOR_CODES.len());
        Site {
            located,
            class: (major, MINOR_CODES[rng.below(count)]),
            component: None,
        }
    }

    /// The cases `first..first + times.len()`.
    fn chunk(
        &self,
        first: usize,
        times: &[u32],
        bad: &[bool],
        starts: &[(i32, usize)],
        rng: &mut Rng,
    ) -> Part {
        let mut part = Part {
            text: String::with_capacity(times.len() * 128),
            ends: Vec::with_capacity(times.len() * CASE_FIELDS.len()),
            geometries: Vec::with_capacity(times.len()),
            facts: CaseFacts::default(),
        };
        let mut buf = String::new();
        for (k, &t) in times.iter().enumerate() {
            let i = first + k;
            let d = (t / 86_400) as usize;
            let year = self.cal.years.get(d).copied().unwrap_or_default();
            let first_of_year = starts.iter().find(|s| s.0 == year).map_or(0, |s| s.1);
            let serial = i.saturating_sub(first_of_year) + 1;
            let id_from = part.text.len();
            let _ = write!(part.text, "A{year}{serial:06}");
            let id = (id_from, part.text.len());
            part.ends.push(id.1);
            buf.clear();
            let secs = t % 86_400;
            let _ = write!(
                buf,
                "{} {:02}:{:02}:{:02}",
                self.cal.days.get(d).map_or("", String::as_str),
                secs / 3_600,
                secs / 60 % 60,
                secs % 60
            );
            part.value(&buf);

            let component = !self.comps.is_empty() && rng.chance(COMPONENT_SHARE);
            let site = if component {
                self.at_component(rng)
            } else {
                self.event(rng)
            };
            let misfile = bad.get(i).copied().unwrap_or(false);
            // As filed: the grid it lies in; a few under a neighbouring grid.
            let with_point = site.located.is_some() && (misfile || !rng.chance(NO_POINT));
            let mut grid = site.located.map(|(_, (g, _))| g);
            if grid.is_none() && !self.v.grids.is_empty() {
                // Nowhere to put a point (never in practice): filed without one, under the
                // component's grid or any.
                let own = site.component.map(|c| c.grid as usize);
                grid = Some(own.unwrap_or_else(|| rng.below(self.v.grids.len())));
            }
            if let (true, Some((_, (g, cell)))) = (misfile && with_point, site.located) {
                if let Some(other) = self.places.neighbour(g, cell, rng) {
                    grid = Some(other);
                    let id = part.text.get(id.0..id.1).unwrap_or_default().to_string();
                    part.facts.bad_grid.push(id);
                }
            }
            let status = when::status(&self.cal, t, rng);
            part.facts.total += 1;
            part.facts.open += usize::from(when::is_open(status));
            part.facts.component += usize::from(site.component.is_some());
            part.value(if site.component.is_some() {
                "部件"
            } else {
                "事件"
            });
            part.value(site.class.0);
            part.value(site.class.1);
            match site.component {
                // The component's code, as components::code writes it.
                Some(c) => {
                    let class = self.classes.list.get(c.class as usize);
                    let class = class.map_or("0000", |k| k.code);
                    let _ = write!(part.text, "{}{class}{:06}", self.region, c.serial);
                    part.ends.push(part.text.len());
                }
                None => part.value(""),
            }
            match site.located {
                Some((p, _)) if with_point => {
                    for v in [p.x, p.y] {
                        buf.clear();
                        centimetres(&mut buf, v);
                        part.value(&buf);
                    }
                    part.facts.with_point += 1;
                    part.geometries.push(Some(Geometry::Point(Point(p))));
                }
                _ => {
                    part.value("");
                    part.value("");
                    part.geometries.push(None);
                }
            }
            for code in grid.map_or(["", "", ""], |g| self.filed(g)) {
                part.value(code);
            }
            part.value(CASE_STATUSES[status]);
        }
        part
    }
}

/// Generates `n` cases filed under last year's grids `v`, in report-time order: the layer
/// and its facts for the truth.
#[allow(clippy::too_many_arguments)]
pub fn generate(
    v: &Version,
    hy: &Hierarchy,
    classes: &Classes,
    comps: &[Comp],
    pois: &[Poi],
    region: &str,
    n: usize,
    seed: u64,
) -> (Layer, CaseFacts) {
    let mut rng = Rng::stream(seed, 60);
    let poi_weights: Vec<u32> = pois
        .iter()
        .scan(0u32, |acc, p| {
            *acc += match p.class {
                "商业" => 5,
                "学校" => 4,
                "公园广场" => 3,
                "住宅小区" | "医疗卫生" => 2,
                _ => 1,
            };
            Some(*acc)
        })
        .collect();
    let hot: Vec<usize> = (0..comps.len() / HOT_PER)
        .map(|_| rng.below(comps.len()))
        .collect();
    let mut bad = vec![false; n];
    let mut left = bad_count(n);
    while left > 0 {
        let i = rng.below(n);
        if !bad[i] {
            bad[i] = true;
            left -= 1;
        }
    }
    let ctx = Ctx {
        v,
        hy,
        classes,
        comps,
        pois,
        region,
        places: Places::new(v),
        cal: Calendar::new(),
        poi_weights,
        hot,
    };
    let times = when::times(&ctx.cal, n, &mut rng);
    let starts = ctx.cal.year_starts(&times);
    let parts: Vec<Part> = times
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(k, ts)| {
            let mut rng = Rng::new(hash(seed, &[61, k as u64]));
            ctx.chunk(k * CHUNK, ts, &bad, &starts, &mut rng)
        })
        .collect();

    let mut columns: Vec<TextColumn> = CASE_FIELDS
        .iter()
        .map(|_| TextColumn::with_capacity(n))
        .collect();
    let mut geometries: Vec<Option<Geometry>> = Vec::with_capacity(n);
    let mut facts = CaseFacts::default();
    for part in parts {
        let mut start = 0;
        for (j, &end) in part.ends.iter().enumerate() {
            if let Some(col) = columns.get_mut(j % CASE_FIELDS.len()) {
                // Column text stays far below 2 GiB: generate() caps the case count.
                let _ = col.push(part.text.get(start..end));
            }
            start = end;
        }
        geometries.extend(part.geometries);
        facts.total += part.facts.total;
        facts.with_point += part.facts.with_point;
        facts.component += part.facts.component;
        facts.open += part.facts.open;
        facts.bad_grid.extend(part.facts.bad_grid);
    }
    let layer = Layer {
        source: PathBuf::from(format!("{}/cases.csv", super::OLD.0)),
        geometry_kind: GeometryKind::Point,
        has_z_or_m: false,
        fields: CASE_FIELDS
            .iter()
            .map(|f| FieldDef {
                name: f.to_string(),
                kind: FieldKind::Text,
            })
            .collect(),
        columns,
        geometries,
        defects: Vec::new(),
        crs: Some(Crs::parse(super::CRS, CrsSource::Manifest)),
        encoding: Some("UTF-8".to_string()),
        notes: Vec::new(),
    };
    (layer, facts)
}

/// Writes the cases as CSV: UTF-8 with a byte-order mark, a header row, every value as text
/// (empty for none), atomically.
pub fn write_csv(layer: &Layer, path: &Path) -> Result<()> {
    atomic::write_with(path, |w| {
        w.write_all(b"\xEF\xBB\xBF")?;
        let mut out = csv::WriterBuilder::new()
            .buffer_capacity(1 << 16)
            .from_writer(&mut *w);
        out.write_record(layer.fields.iter().map(|f| f.name.as_str()))?;
        let mut record = csv::ByteRecord::new();
        for row in 0..layer.len() {
            record.clear();
            for col in &layer.columns {
                record.push_field(col.get(row).unwrap_or("").as_bytes());
            }
            out.write_byte_record(&record)?;
        }
        out.flush()
    })
}
