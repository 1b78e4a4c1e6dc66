//! The truth of a demo district (`truth.json`): every difference applied between last
//! year's version and this year's, and every data defect seeded into this year's.
//!
//! It is what `diff`, `remap` and `validate` should find in the generated data, and what
//! the tests compare them with.

use serde::{Deserialize, Serialize};

use crate::diff::Change;

/// How a group of grids (单元网格) changed between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GridRelation {
    /// 拆分 — one old grid became 2–3 new ones (1:N); a piece may keep the old code.
    Split,
    /// 合并 — two old grids became one new one (N:1); one half may have had the new code.
    Merged,
    /// 边界调整 — a boundary vertex between two grids that keep their codes moved: both reshaped.
    Reshaped,
    /// 重新编码 — same geometry, another code (another sequence number).
    Recoded,
    /// 调整所属社区 — the grid belonged to the neighbouring community last year.
    #[serde(rename = "re-parented")]
    Reparented,
    /// 新增 — a grid at the district edge that did not exist last year.
    Added,
    /// 撤销 — a grid at the district edge that no longer exists.
    Removed,
}

impl GridRelation {
    /// Every relation, in report order.
    pub const ALL: [GridRelation; 7] = [
        GridRelation::Split,
        GridRelation::Merged,
        GridRelation::Reshaped,
        GridRelation::Recoded,
        GridRelation::Reparented,
        GridRelation::Added,
        GridRelation::Removed,
    ];

    /// The id used in `truth.json` (`split`, `re-parented`, …).
    pub fn id(self) -> &'static str {
        match self {
            GridRelation::Split => "split",
            GridRelation::Merged => "merged",
            GridRelation::Reshaped => "reshaped",
            GridRelation::Recoded => "recoded",
            GridRelation::Reparented => "re-parented",
            GridRelation::Added => "added",
            GridRelation::Removed => "removed",
        }
    }

    /// The Chinese term.
    pub fn chinese(self) -> &'static str {
        match self {
            GridRelation::Split => "拆分",
            GridRelation::Merged => "合并",
            GridRelation::Reshaped => "边界调整",
            GridRelation::Recoded => "重新编码",
            GridRelation::Reparented => "调整所属社区",
            GridRelation::Added => "新增",
            GridRelation::Removed => "撤销",
        }
    }
}

/// One grid difference: the old codes and the new codes of the grids involved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridDiff {
    /// What happened.
    pub relation: GridRelation,
    /// Codes in last year's version (empty for `added`).
    pub old: Vec<String>,
    /// Codes in this year's version (empty for `removed`).
    pub new: Vec<String>,
}

/// One component difference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentDiff {
    /// What happened.
    pub change: Change,
    /// Its code last year (`None` when added).
    pub old_code: Option<String>,
    /// Its code this year (`None` when removed).
    pub new_code: Option<String>,
    /// The grid it lay in last year, when that matters (moved, grid-changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_grid: Option<String>,
    /// The grid it lies in this year, when that matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_grid: Option<String>,
    /// The value last year (class, owner, department, maintainer or status).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_value: Option<String>,
    /// The value this year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_value: Option<String>,
    /// How far it moved, metres (moved only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<f64>,
    /// Why it was added or removed: `grid-added` / `grid-removed` when its whole grid was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ComponentDiff {
    /// A difference with no details.
    pub fn new(change: Change, old_code: Option<String>, new_code: Option<String>) -> Self {
        ComponentDiff {
            change,
            old_code,
            new_code,
            old_grid: None,
            new_grid: None,
            old_value: None,
            new_value: None,
            distance: None,
            reason: None,
        }
    }
}

/// A data defect seeded into this year's version, as `validate` should report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defect {
    /// The rule id (`KEY-DUPLICATE`, …).
    pub rule: String,
    /// The layer (`grids`, `components`).
    pub layer: String,
    /// What `BoundLayer::key` returns for the feature: its code, or `#index`.
    pub key: String,
    /// Zero-based index of the feature in its file.
    pub feature: usize,
    /// The canonical field concerned.
    pub field: String,
    /// What was done, in words.
    pub what: String,
}

/// Feature counts of one version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// 街道/镇
    pub streets: usize,
    /// 社区/村
    pub communities: usize,
    /// 单元网格
    pub grids: usize,
    /// 部件
    pub components: usize,
    /// 地址/兴趣点
    pub pois: usize,
}

/// The facts of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionFacts {
    /// The data year.
    pub year: i32,
    /// When it takes effect (`YYYY-MM-DD`).
    pub effective: String,
    /// Its feature counts.
    pub counts: Counts,
}

/// The historical cases (历史案件) filed under last year's data: their counts and the
/// deliberately bad records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    /// Cases in all.
    pub total: usize,
    /// Cases with coordinates.
    pub with_point: usize,
    /// Component cases (部件类案件).
    pub component: usize,
    /// Open cases: any status but 结案 (closed) and 作废 (void).
    pub open: usize,
    /// Ids of the cases filed under a neighbouring grid, not the one their point lies in
    /// (bad historical data), in id order.
    pub bad_grid: Vec<String>,
}

/// Unit grids handed from one duty grid, and so one team, to its neighbour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyMove {
    /// The unit grids moved (their codes, the same in both versions).
    pub grids: Vec<String>,
    /// The duty grid they left.
    pub from: String,
    /// The duty grid they joined.
    pub to: String,
    /// The team they left.
    pub from_team: String,
    /// The team they joined.
    pub to_team: String,
}

/// A team whose count of unit grids differs between the versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamGrids {
    /// The team (责任单位/班组).
    pub team: String,
    /// Unit grids in its duty grids last year.
    pub old: usize,
    /// Unit grids in its duty grids this year.
    pub new: usize,
}

/// One duty layer (责任网格) of the demo: what each version holds and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyFacts {
    /// The layer's name (`enforcement_grids`).
    pub layer: String,
    /// Duty grids last year.
    pub old: usize,
    /// Duty grids this year.
    pub new: usize,
    /// Teams (the same in both versions).
    pub teams: usize,
    /// The differences `diff` should find, by relation then code: the designed ones (the
    /// move, a split, a merge) and the duty grids reshaped by unit grids added or removed.
    pub changes: Vec<GridDiff>,
    /// The unit grids moved from one team to another (`None` when no pair of neighbours
    /// qualified).
    pub moved: Option<DutyMove>,
    /// The teams whose count of unit grids changes, by team.
    pub teams_changed: Vec<TeamGrids>,
}

impl DutyFacts {
    /// How many differences of `relation` there are.
    pub fn count(&self, relation: GridRelation) -> usize {
        self.changes
            .iter()
            .filter(|d| d.relation == relation)
            .count()
    }
}

/// Everything the generator did, for `truth.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// The generator (`gridkeeper demo`) and its version.
    pub generator: String,
    /// The seed.
    pub seed: u64,
    /// Grids asked for.
    pub grids_requested: usize,
    /// Components asked for.
    pub components_requested: usize,
    /// 区县代码
    pub region: String,
    /// The CRS of every layer.
    pub crs: String,
    /// The profile the data follows.
    pub profile: String,
    /// Last year's version.
    pub old: VersionFacts,
    /// This year's version.
    pub new: VersionFacts,
    /// Grid differences, by relation then code.
    pub grids: Vec<GridDiff>,
    /// Component differences, by change then code.
    pub components: Vec<ComponentDiff>,
    /// Defects seeded into this year's version, by layer then feature.
    pub defects: Vec<Defect>,
    /// The historical cases filed under last year's version.
    #[serde(default)]
    pub cases: CaseFacts,
    /// The duty layers (责任网格): their counts and differences, by layer name.
    #[serde(default)]
    pub duty: Vec<DutyFacts>,
}

impl Truth {
    /// How many grid differences of `relation` there are.
    pub fn grid_count(&self, relation: GridRelation) -> usize {
        self.grids.iter().filter(|d| d.relation == relation).count()
    }

    /// How many component differences of `change` there are.
    pub fn component_count(&self, change: Change) -> usize {
        self.components
            .iter()
            .filter(|d| d.change == change)
            .count()
    }
}
