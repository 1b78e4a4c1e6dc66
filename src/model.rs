//! The dataset model: layers bound to canonical fields, and typed views of their features.
//!
//! Attributes stay in the columnar [`Layer`] they were read into; the views ([`Grid`],
//! [`Component`], …) borrow from it, so a city's millions of components cost no copies.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;
use geo::Geometry;
use serde::Serialize;

use crate::io::Layer;

/// The name of a duty layer (责任网格: 执法网格, 环卫网格, 巡查网格, …) as its profile
/// declares it (`enforcement_grids`), with the words for it. Names are interned, so a
/// [`LayerKind`] stays `Copy`; two names are equal when they are spelled alike.
#[derive(Debug, Clone, Copy)]
pub struct DutyName(&'static DutyWords);

/// The words of a duty layer: its name, its Chinese and English terms.
#[derive(Debug, PartialEq, Eq)]
pub struct DutyWords {
    /// The manifest name (`enforcement_grids`).
    pub name: &'static str,
    /// The Chinese term (`执法网格`).
    pub zh: &'static str,
    /// The English term (`enforcement grids`).
    pub en: &'static str,
}

fn duty_registry() -> &'static std::sync::Mutex<BTreeMap<&'static str, &'static DutyWords>> {
    static REGISTRY: std::sync::OnceLock<
        std::sync::Mutex<BTreeMap<&'static str, &'static DutyWords>>,
    > = std::sync::OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

impl DutyName {
    /// The duty layer `name` with its Chinese and English terms (interned: a name with the
    /// same words is stored once; a profile that words it anew stores the new words).
    pub fn declare(name: &str, zh: &str, en: &str) -> DutyName {
        let mut map = duty_registry()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(w) = map.get(name) {
            if w.zh == zh && w.en == en {
                return DutyName(w);
            }
        }
        let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
        let words: &'static DutyWords = Box::leak(Box::new(DutyWords {
            name: leak(name),
            zh: leak(zh),
            en: leak(en),
        }));
        map.insert(words.name, words);
        DutyName(words)
    }

    /// A duty layer declared before (by a profile) by its name.
    pub fn known(name: &str) -> Option<DutyName> {
        duty_registry()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(name)
            .map(|w| DutyName(w))
    }

    /// The manifest name.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The words for it.
    pub fn words(self) -> &'static DutyWords {
        self.0
    }
}

impl PartialEq for DutyName {
    fn eq(&self, other: &DutyName) -> bool {
        self.0.name == other.0.name
    }
}
impl Eq for DutyName {}
impl PartialOrd for DutyName {
    fn partial_cmp(&self, other: &DutyName) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for DutyName {
    fn cmp(&self, other: &DutyName) -> std::cmp::Ordering {
        self.0.name.cmp(other.0.name)
    }
}
impl std::hash::Hash for DutyName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state)
    }
}

/// The term for the duty layer called `name` in Chinese (`zh`) or English, else the name.
pub fn duty_term(name: &str, zh: bool) -> String {
    match DutyName::known(name) {
        Some(d) if zh => d.words().zh.to_string(),
        Some(d) => d.words().en.to_string(),
        None => name.to_string(),
    }
}

/// The layers of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LayerKind {
    /// 街道/镇/乡 — streets (towns, townships), code of 9 digits.
    Streets,
    /// 社区/村 — communities (villages), code of 12 digits.
    Communities,
    /// 单元网格 — unit grids.
    Grids,
    /// 责任网格 — a duty layer the profile declares (执法网格, 环卫网格, …): polygons laid
    /// over the unit grids, each with its team.
    Duty(DutyName),
    /// 部件 — city-management components (manhole covers, lamps, …).
    Components,
    /// 地址/兴趣点 — addresses and points of interest.
    Pois,
    /// 历史案件 — historical cases.
    Cases,
}

impl Serialize for LayerKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl LayerKind {
    /// Every built-in kind, in dataset order (duty layers are the profile's).
    pub const ALL: [LayerKind; 6] = [
        LayerKind::Streets,
        LayerKind::Communities,
        LayerKind::Grids,
        LayerKind::Components,
        LayerKind::Pois,
        LayerKind::Cases,
    ];

    /// The manifest name (`grids`).
    pub fn name(self) -> &'static str {
        match self {
            LayerKind::Streets => "streets",
            LayerKind::Communities => "communities",
            LayerKind::Grids => "grids",
            LayerKind::Duty(d) => d.name(),
            LayerKind::Components => "components",
            LayerKind::Pois => "pois",
            LayerKind::Cases => "cases",
        }
    }

    /// The Chinese term.
    pub fn chinese(self) -> &'static str {
        match self {
            LayerKind::Streets => "街道",
            LayerKind::Communities => "社区",
            LayerKind::Grids => "单元网格",
            LayerKind::Duty(d) => d.words().zh,
            LayerKind::Components => "部件",
            LayerKind::Pois => "地址/兴趣点",
            LayerKind::Cases => "历史案件",
        }
    }

    /// The English term (`unit grids`).
    pub fn english(self) -> &'static str {
        match self {
            LayerKind::Streets => "streets",
            LayerKind::Communities => "communities",
            LayerKind::Grids => "unit grids",
            LayerKind::Duty(d) => d.words().en,
            LayerKind::Components => "components",
            LayerKind::Pois => "addresses",
            LayerKind::Cases => "cases",
        }
    }

    /// The duty layer's name, when it is one.
    pub fn duty(self) -> Option<DutyName> {
        match self {
            LayerKind::Duty(d) => Some(d),
            _ => None,
        }
    }

    /// The built-in kind named `name` (manifest spelling); duty layers are the profile's
    /// ([`crate::schema::Profile::kind`]).
    pub fn from_name(name: &str) -> Option<LayerKind> {
        LayerKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// File stems tried, in order, when a dataset has no manifest.
    pub fn conventional_stems(self) -> &'static [&'static str] {
        match self {
            LayerKind::Streets => &["streets", "street", "街道"],
            LayerKind::Communities => &["communities", "community", "社区"],
            LayerKind::Grids => &["grids", "grid", "单元网格", "网格"],
            LayerKind::Duty(_) => &[],
            LayerKind::Components => &["components", "component", "部件"],
            LayerKind::Pois => &["pois", "poi", "addresses", "地址", "兴趣点"],
            LayerKind::Cases => &["cases", "case", "案件", "历史案件"],
        }
    }
}

impl fmt::Display for LayerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which column of the file holds each canonical field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldMap {
    /// Canonical name → (column index, the file's own field name).
    pub columns: BTreeMap<String, (usize, String)>,
    /// Canonical fields the manifest maps onto a name the file does not have:
    /// canonical name → the local name asked for.
    pub unresolved: BTreeMap<String, String>,
}

impl FieldMap {
    /// The column holding canonical field `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.get(name).map(|c| c.0)
    }
}

/// A layer of a dataset with its canonical field binding.
#[derive(Debug, Clone)]
pub struct BoundLayer {
    /// Which layer it is.
    pub kind: LayerKind,
    /// The data as read.
    pub layer: Layer,
    /// Canonical field → column.
    pub fields: FieldMap,
}

/// One canonical field of a layer with its column looked up once, for loops over
/// features (a [`BoundLayer::get`] per value looks the column up every time).
#[derive(Debug, Clone, Copy)]
pub struct FieldReader<'a> {
    column: Option<&'a crate::io::TextColumn>,
}

impl<'a> FieldReader<'a> {
    /// The value for feature `i` (`None`: null, or the layer lacks the field).
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.column?.get(i)
    }

    /// The value for feature `i`, trimmed; `None` when null or blank.
    #[inline]
    pub fn text(&self, i: usize) -> Option<&'a str> {
        self.get(i).map(str::trim).filter(|v| !v.is_empty())
    }

    /// Whether the layer has the field.
    pub fn exists(&self) -> bool {
        self.column.is_some()
    }
}

impl BoundLayer {
    /// Canonical field `field`, its column resolved once.
    pub fn field(&self, field: &str) -> FieldReader<'_> {
        FieldReader {
            column: self
                .fields
                .column(field)
                .and_then(|c| self.layer.columns.get(c)),
        }
    }

    /// Every feature's [`key`](Self::key), resolving the key field once.
    pub fn keys(&self) -> Vec<String> {
        let field = self.field(if self.kind == LayerKind::Cases {
            "id"
        } else {
            "code"
        });
        (0..self.len())
            .map(|i| match field.get(i) {
                Some(code) if !code.trim().is_empty() => code.to_string(),
                _ => format!("#{i}"),
            })
            .collect()
    }

    /// The value of canonical field `field` for feature `i`.
    pub fn get(&self, i: usize, field: &str) -> Option<&str> {
        self.layer.value(i, self.fields.column(field)?)
    }

    /// The feature's key for reports: its code (or case id), else `#i`.
    pub fn key(&self, i: usize) -> String {
        let field = if self.kind == LayerKind::Cases {
            "id"
        } else {
            "code"
        };
        match self.get(i, field) {
            Some(code) if !code.trim().is_empty() => code.to_string(),
            _ => format!("#{i}"),
        }
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.layer.len()
    }

    /// True when the layer is empty.
    pub fn is_empty(&self) -> bool {
        self.layer.is_empty()
    }

    /// The geometry of feature `i`.
    pub fn geometry(&self, i: usize) -> Option<&Geometry> {
        self.layer.geometries.get(i)?.as_ref()
    }
}

/// The dataset manifest (`dataset.toml`), or what stands in for it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Manifest {
    /// The file it was read from; `None` when the folder has no manifest.
    pub path: Option<PathBuf>,
    /// 6-digit county-level region code (区县代码).
    pub region: Option<String>,
    /// The data year.
    pub year: Option<i32>,
    /// When this version takes effect.
    pub effective: Option<NaiveDate>,
    /// The profile name or folder.
    pub profile: Option<String>,
    /// The expected CRS of every layer (`EPSG:4549`).
    pub crs: Option<String>,
    /// The city's seven parameters from Xi'an 1980 / Beijing 1954 to CGCS2000
    /// (`towgs84 = [dx, dy, dz, rx, ry, rz, ds]`), for layers (and a `crs`) on such a datum.
    pub towgs84: Option<crate::io::reproject::Towgs84>,
    /// Transform layers in another CRS to `crs` before checking (`reproject = true`).
    pub reproject: bool,
    /// The layers: name → entry.
    pub layers: BTreeMap<String, LayerEntry>,
}

/// A layer entry of the manifest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LayerEntry {
    /// The file, relative to the dataset folder.
    pub path: PathBuf,
    /// Canonical name → the file's own field name.
    pub fields: BTreeMap<String, String>,
    /// The layer's text encoding, overriding its `.cpg`.
    pub encoding: Option<String>,
    /// The layer's CRS (`EPSG:4490`, or WKT), overriding what its file states (or says
    /// nothing of).
    pub crs: Option<String>,
    /// The layer's own datum parameters, overriding the manifest's `towgs84`.
    pub towgs84: Option<crate::io::reproject::Towgs84>,
}

/// A dataset: one version of a district's grid-management data.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The folder (or the single file) it was read from.
    pub root: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// The layers present.
    pub layers: BTreeMap<LayerKind, BoundLayer>,
}

impl Dataset {
    /// The layer of this kind, if present.
    pub fn layer(&self, kind: LayerKind) -> Option<&BoundLayer> {
        self.layers.get(&kind)
    }

    /// The grids as typed views.
    pub fn grids(&self) -> impl Iterator<Item = Grid<'_>> {
        views(self.layer(LayerKind::Grids)).map(|(layer, index)| Grid { layer, index })
    }

    /// The components as typed views.
    pub fn components(&self) -> impl Iterator<Item = Component<'_>> {
        views(self.layer(LayerKind::Components)).map(|(layer, index)| Component { layer, index })
    }
}

fn views(layer: Option<&BoundLayer>) -> impl Iterator<Item = (&BoundLayer, usize)> {
    layer
        .into_iter()
        .flat_map(|l| (0..l.len()).map(move |i| (l, i)))
}

/// 单元网格 — a unit grid, about 10,000 m², inside one community.
#[derive(Debug, Clone, Copy)]
pub struct Grid<'a> {
    layer: &'a BoundLayer,
    /// Zero-based index in its file.
    pub index: usize,
}

impl<'a> Grid<'a> {
    /// 网格编码 — the grid code.
    pub fn code(&self) -> Option<&'a str> {
        self.layer.get(self.index, "code")
    }
    /// 所属社区代码 — the community code.
    pub fn community(&self) -> Option<&'a str> {
        self.layer.get(self.index, "community")
    }
    /// 所属街道代码 — the street code.
    pub fn street(&self) -> Option<&'a str> {
        self.layer.get(self.index, "street")
    }
    /// The polygon.
    pub fn geometry(&self) -> Option<&'a Geometry> {
        self.layer.geometry(self.index)
    }
}

/// 部件 — a city-management component: a coded point with a class and an owner.
#[derive(Debug, Clone, Copy)]
pub struct Component<'a> {
    layer: &'a BoundLayer,
    /// Zero-based index in its file.
    pub index: usize,
}

impl<'a> Component<'a> {
    /// 部件标识码 — the component code.
    pub fn code(&self) -> Option<&'a str> {
        self.layer.get(self.index, "code")
    }
    /// 部件类型 — the class (major + minor).
    pub fn class(&self) -> Option<&'a str> {
        self.layer.get(self.index, "class")
    }
    /// 权属单位 — the owner.
    pub fn owner(&self) -> Option<&'a str> {
        self.layer.get(self.index, "owner")
    }
    /// 所在单元网格 — the grid code recorded for it.
    pub fn grid(&self) -> Option<&'a str> {
        self.layer.get(self.index, "grid")
    }
    /// The point.
    pub fn geometry(&self) -> Option<&'a Geometry> {
        self.layer.geometry(self.index)
    }
}
