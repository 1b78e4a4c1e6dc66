//! The change plan as a document (方案文档): its blocks — headings, paragraphs, tables and
//! the places of the figures — in order. `plan.md` and `plan.html` render the same blocks, so
//! the two say the same thing.

use std::collections::BTreeMap;

use crate::diff::{Change, ChangeSet, Relation};
use crate::i18n::plan::{PlanSay, PlanText as T};
use crate::i18n::Lang;
use crate::measure::Measure;
use crate::plan::{GroupChange, Plan};
use crate::remap::Remap;
use crate::schema::Thresholds;

mod basics;
mod cases;
mod changes;
mod impact;
mod workload;

pub use cases::{case_head, case_row, described, disposal_rules, review_reasons};
pub use changes::component_head;
pub use workload::{load_direction, load_head, load_rows, workload_say};

/// A number of m² with two decimals.
pub fn a(v: f64) -> String {
    format!("{v:.2}")
}

/// A change with its sign.
pub(crate) fn signed(v: f64) -> String {
    format!("{v:+.2}")
}

/// A relation's name in `lang`.
pub fn relation_name(r: Relation, lang: Lang) -> &'static str {
    lang.pick(r.chinese(), r.id())
}

/// A component change's name in `lang`.
pub fn change_name(c: Change, lang: Lang) -> &'static str {
    lang.pick(c.chinese(), c.id())
}

/// `code name` for a street or community.
pub(crate) fn named(code: Option<&str>, names: &BTreeMap<String, String>) -> String {
    match code {
        None => String::new(),
        Some(c) => match names.get(c) {
            Some(n) if !n.is_empty() => format!("{c} {n}"),
            _ => c.to_string(),
        },
    }
}

fn codes_with_areas(v: &[(String, f64)]) -> String {
    v.iter()
        .map(|(c, area)| format!("{c}（{}）", a(*area)))
        .collect::<Vec<_>>()
        .join("，")
}

pub(crate) fn group_rows(groups: &[GroupChange], lang: Lang) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| {
            let mut notes = Vec::new();
            if g.reparented {
                notes.push(lang.pick("所属社区/街道变化", "parent changed"));
            }
            if g.recoded && !matches!(g.relation, Relation::Recoded | Relation::Reparented) {
                notes.push(lang.pick("编码变化", "recoded"));
            }
            if g.reshaped && !matches!(g.relation, Relation::Reshaped) {
                notes.push(lang.pick("边界变化", "reshaped"));
            }
            vec![
                relation_name(g.relation, lang).to_string(),
                codes_with_areas(&g.old),
                codes_with_areas(&g.new),
                notes.join("；"),
            ]
        })
        .collect()
}

/// Street and community names by code, from the plan's basic tables.
pub fn names(plan: &Plan) -> BTreeMap<String, String> {
    plan.basics
        .streets
        .iter()
        .chain(&plan.basics.communities)
        .filter(|r| !r.name.is_empty())
        .map(|r| (r.code.clone(), r.name.clone()))
        .chain(
            plan.impact
                .towns
                .iter()
                .filter(|t| !t.name.is_empty())
                .map(|t| (t.code.clone(), t.name.clone())),
        )
        .collect()
}

/// A figure of an HTML page; the Markdown leaves figures out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// The headline numbers (要点).
    Headline,
    /// Grid area before and after, per town.
    AreaChart,
    /// The district map of the changes.
    DistrictMap,
    /// One zoomed map per changed street.
    StreetMaps,
    /// Historical cases per town, before and after.
    TownCasesChart,
    /// Involved cases per month.
    MonthChart,
    /// The case quota base before and after, per town.
    QuotaChart,
    /// The check's headline numbers (check.html).
    CheckHeadline,
    /// Findings per rule (check.html).
    FindingsChart,
}

/// A table: its anchor, column heads and rows of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Anchor (`t-cases`), unique in the document.
    pub id: String,
    /// Column heads.
    pub head: Vec<String>,
    /// Rows, each as long as `head`.
    pub rows: Vec<Vec<String>>,
    /// Closing rows (totals), kept last when the page sorts the table.
    pub foot: Vec<Vec<String>>,
}

/// One block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The document's title.
    Title(String),
    /// Key–value facts under the title (region, versions, profile, …).
    Facts(Vec<(String, String)>),
    /// A section (level 2) or subsection (level 3) heading with its anchor.
    Heading {
        /// 2 or 3.
        level: u8,
        /// Anchor (`s1`, `s1-2`).
        id: String,
        /// The heading.
        text: String,
    },
    /// A paragraph.
    Paragraph(String),
    /// A numbered list.
    Numbered(Vec<String>),
    /// A table.
    Table(Table),
    /// A figure (HTML only).
    Figure(Figure),
}

/// Builds blocks with section numbering and unique table anchors.
pub(crate) struct Doc {
    /// The blocks so far.
    pub(crate) blocks: Vec<Block>,
    section: usize,
    sub: usize,
    tables: usize,
}

impl Doc {
    pub(crate) fn section(&mut self, text: &str) {
        self.section += 1;
        self.sub = 0;
        self.blocks.push(Block::Heading {
            level: 2,
            id: format!("s{}", self.section),
            text: text.to_string(),
        });
    }

    pub(crate) fn sub(&mut self, text: &str) {
        self.sub += 1;
        self.blocks.push(Block::Heading {
            level: 3,
            id: format!("s{}-{}", self.section, self.sub),
            text: text.to_string(),
        });
    }

    pub(crate) fn para(&mut self, text: String) {
        self.blocks.push(Block::Paragraph(text));
    }

    pub(crate) fn table(&mut self, head: &[&str], rows: Vec<Vec<String>>) {
        self.table_with_foot(head, rows, Vec::new());
    }

    pub(crate) fn table_with_foot(
        &mut self,
        head: &[&str],
        rows: Vec<Vec<String>>,
        foot: Vec<Vec<String>>,
    ) {
        self.tables += 1;
        self.blocks.push(Block::Table(Table {
            id: format!("t{}", self.tables),
            head: head.iter().map(|h| h.to_string()).collect(),
            rows,
            foot,
        }));
    }

    pub(crate) fn figure(&mut self, f: Figure) {
        self.blocks.push(Block::Figure(f));
    }
}

/// What every section reads.
pub(crate) struct Ctx<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) remap: &'a Remap<'a>,
    pub(crate) cs: &'a ChangeSet,
    pub(crate) t: &'a Thresholds,
    pub(crate) lang: Lang,
    /// Street and community names by code.
    pub(crate) names: BTreeMap<String, String>,
    /// Whether the case tables carry a description column.
    pub(crate) described: bool,
}

/// The plan as blocks, in order.
pub fn plan(plan: &Plan, remap: &Remap, cs: &ChangeSet, t: &Thresholds, lang: Lang) -> Vec<Block> {
    let mut d = Doc {
        blocks: Vec::new(),
        section: 0,
        sub: 0,
        tables: 0,
    };
    let version = |v: &(Option<i32>, Option<chrono::NaiveDate>)| {
        PlanSay::Version {
            year: v.0.map(|y| y.to_string()).unwrap_or_default(),
            effective: v.1.map(|d| d.to_string()).unwrap_or_default(),
        }
        .render(lang)
    };
    d.blocks.push(Block::Title(format!(
        "{}（{}）",
        T::Title.get(lang),
        version(&plan.new_version)
    )));
    let measure = match plan.measure {
        Measure::Planar => T::Planar,
        Measure::Geodesic => T::Geodesic,
    };
    d.blocks.push(Block::Facts(vec![
        (
            T::Region.get(lang).to_string(),
            plan.region.clone().unwrap_or_else(|| "-".to_string()),
        ),
        (
            T::OldVersion.get(lang).to_string(),
            version(&plan.old_version),
        ),
        (
            T::NewVersion.get(lang).to_string(),
            version(&plan.new_version),
        ),
        (T::Profile.get(lang).to_string(), plan.profile.clone()),
        (
            T::Measure.get(lang).to_string(),
            measure.get(lang).to_string(),
        ),
        (
            T::GeneratedBy.get(lang).to_string(),
            format!("gridkeeper {}", crate::VERSION),
        ),
    ]));
    d.figure(Figure::Headline);
    d.figure(Figure::DistrictMap);

    let c = Ctx {
        plan,
        remap,
        cs,
        t,
        lang,
        names: names(plan),
        described: described(remap),
    };
    basics::section(&mut d, &c);
    changes::section(&mut d, &c);
    impact::section(&mut d, &c);
    cases::disposal_section(&mut d, &c);
    cases::crosswalk_section(&mut d, &c);
    workload::section(&mut d, &c);
    d.blocks
}
