//! The change plan as a document (方案文档): its blocks — headings, paragraphs, tables and
//! the places of the figures — in order. `plan.md` and `plan.html` render the same blocks, so
//! the two say the same thing.

use std::collections::BTreeMap;

use crate::diff::{Change, ChangeSet, Relation};
use crate::i18n::plan::{method_name, review_name, PlanSay, PlanText as T};
use crate::i18n::Lang;
use crate::measure::Measure;
use crate::plan::{AreaRow, GroupChange, Load, LoadRow, Plan, Workload};
use crate::remap::{CaseMapping, Method, Remap, Review};
use crate::schema::Thresholds;

/// A number of m² with two decimals.
pub fn a(v: f64) -> String {
    format!("{v:.2}")
}

/// A change with its sign.
fn signed(v: f64) -> String {
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
fn named(code: &Option<String>, names: &BTreeMap<String, String>) -> String {
    match code {
        None => String::new(),
        Some(c) => match names.get(c) {
            Some(n) if !n.is_empty() => format!("{c} {n}"),
            _ => c.clone(),
        },
    }
}

fn area_row(r: &AreaRow) -> Vec<String> {
    vec![
        r.code.clone(),
        r.name.clone(),
        r.old_grids.to_string(),
        a(r.old_area),
        r.new_grids.to_string(),
        a(r.new_area),
        signed(r.new_area - r.old_area),
    ]
}

fn area_rows(rows: &[AreaRow]) -> Vec<Vec<String>> {
    rows.iter().map(area_row).collect()
}

fn total_row(total: &AreaRow, lang: Lang) -> Vec<String> {
    let mut row = area_row(total);
    row[0] = T::Total.get(lang).to_string();
    row[1] = String::new();
    row
}

fn codes_with_areas(v: &[(String, f64)]) -> String {
    v.iter()
        .map(|(c, area)| format!("{c}（{}）", a(*area)))
        .collect::<Vec<_>>()
        .join("，")
}

fn group_rows(groups: &[GroupChange], lang: Lang) -> Vec<Vec<String>> {
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

/// The case-table row of one case; `described` adds its description after the class.
pub fn case_row(
    c: &CaseMapping,
    names: &BTreeMap<String, String>,
    described: bool,
    lang: Lang,
) -> Vec<String> {
    let class = format!(
        "{} {}-{}",
        c.kind.as_deref().unwrap_or(""),
        c.major.as_deref().unwrap_or(""),
        c.minor.as_deref().unwrap_or("")
    );
    let review: Vec<&str> = c.review.iter().map(|r| review_name(r.id(), lang)).collect();
    let mut row = vec![
        c.id.clone(),
        c.date.map(|d| d.to_string()).unwrap_or_default(),
        class.trim().to_string(),
    ];
    if described {
        row.push(c.description.clone().unwrap_or_default());
    }
    row.extend([
        c.status.clone().unwrap_or_default(),
        named(&c.old[2], names),
        named(&c.old[1], names),
        c.old[0].clone().unwrap_or_default(),
        named(&c.new[2], names),
        named(&c.new[1], names),
        c.new[0].clone().unwrap_or_default(),
        method_name(c.method.id(), lang).to_string(),
        review.join("；"),
    ]);
    row
}

/// Whether any case has a description (and the case tables get that column).
pub fn described(remap: &Remap) -> bool {
    remap.cases.iter().any(|c| c.description.is_some())
}

/// The column heads of the case table; `described` as for [`case_row`].
pub fn case_head(described: bool, lang: Lang) -> Vec<&'static str> {
    let mut head = vec![T::CaseId, T::Time, T::Class];
    if described {
        head.push(T::Description);
    }
    head.extend([
        T::Status,
        T::OldStreet,
        T::OldCommunity,
        T::OldGrid,
        T::NewStreet,
        T::NewCommunity,
        T::NewGrid,
        T::Method,
        T::Review,
    ]);
    head.iter().map(|t| t.get(lang)).collect()
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

/// The reasons for review with their counts, joined (`坐标超出新网格范围 3；…`).
pub fn review_reasons(reviews: &BTreeMap<Review, usize>, lang: Lang) -> String {
    reviews
        .iter()
        .map(|(r, n)| format!("{} {n}", review_name(r.id(), lang)))
        .collect::<Vec<_>>()
        .join(lang.pick("；", "; "))
}

/// Section 4's rules, each with its count, only the ones applied.
pub fn disposal_rules(plan: &Plan, remap: &Remap, t: &Thresholds) -> Vec<PlanSay> {
    let d = &plan.disposal;
    let n = |m: Method| d.methods.get(&m).copied().unwrap_or(0);
    let mut rules = Vec::new();
    for (m, say) in [
        (
            Method::Unchanged,
            PlanSay::RuleUnchanged {
                n: n(Method::Unchanged),
            },
        ),
        (
            Method::Located,
            PlanSay::RuleLocated {
                n: n(Method::Located),
            },
        ),
        (
            Method::Boundary,
            PlanSay::RuleBoundary {
                n: n(Method::Boundary),
            },
        ),
        (
            Method::Nearest,
            PlanSay::RuleNearest {
                n: n(Method::Nearest),
                metres: t.case_nearest_m,
            },
        ),
        (
            Method::Lineage,
            PlanSay::RuleLineage {
                n: n(Method::Lineage),
                share: t.case_lineage_share,
            },
        ),
    ] {
        if n(m) > 0 {
            rules.push(say);
        }
    }
    let component_cases = remap
        .cases
        .iter()
        .filter(|c| {
            c.owner.is_some()
                || c.component
                    .as_ref()
                    .is_some_and(|(old, new)| new.as_deref() != Some(old.as_str()))
        })
        .count();
    if component_cases > 0 {
        rules.push(PlanSay::RuleComponents {
            n: component_cases,
            redispatch: d.reviews.get(&Review::Redispatch).copied().unwrap_or(0),
        });
    }
    if d.review_cases > 0 {
        rules.push(PlanSay::RuleReview {
            n: d.review_cases,
            reasons: String::new(),
        });
    }
    if d.bad_records > 0 {
        rules.push(PlanSay::RuleBadRecords { n: d.bad_records });
    }
    rules
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
struct Doc {
    blocks: Vec<Block>,
    section: usize,
    sub: usize,
    tables: usize,
}

impl Doc {
    fn section(&mut self, text: &str) {
        self.section += 1;
        self.sub = 0;
        self.blocks.push(Block::Heading {
            level: 2,
            id: format!("s{}", self.section),
            text: text.to_string(),
        });
    }

    fn sub(&mut self, text: &str) {
        self.sub += 1;
        self.blocks.push(Block::Heading {
            level: 3,
            id: format!("s{}-{}", self.section, self.sub),
            text: text.to_string(),
        });
    }

    fn para(&mut self, text: String) {
        self.blocks.push(Block::Paragraph(text));
    }

    fn table(&mut self, head: &[&str], rows: Vec<Vec<String>>) {
        self.table_with_foot(head, rows, Vec::new());
    }

    fn table_with_foot(&mut self, head: &[&str], rows: Vec<Vec<String>>, foot: Vec<Vec<String>>) {
        self.tables += 1;
        self.blocks.push(Block::Table(Table {
            id: format!("t{}", self.tables),
            head: head.iter().map(|h| h.to_string()).collect(),
            rows,
            foot,
        }));
    }

    fn figure(&mut self, f: Figure) {
        self.blocks.push(Block::Figure(f));
    }
}

/// The plan as blocks, in order.
pub fn plan(plan: &Plan, remap: &Remap, cs: &ChangeSet, t: &Thresholds, lang: Lang) -> Vec<Block> {
    let mut d = Doc {
        blocks: Vec::new(),
        section: 0,
        sub: 0,
        tables: 0,
    };
    let names = names(plan);
    let described = described(remap);
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

    // 1. Basic situation.
    d.section(T::S1.get(lang));
    let area_head = [
        T::StreetCode,
        T::Name,
        T::OldGrids,
        T::OldArea,
        T::NewGrids,
        T::NewArea,
        T::Delta,
    ]
    .map(|x| x.get(lang));
    d.sub(T::GridsByStreet.get(lang));
    d.table_with_foot(
        &area_head,
        area_rows(&plan.basics.streets),
        vec![total_row(&plan.basics.total, lang)],
    );
    d.figure(Figure::AreaChart);
    d.sub(T::GridsByCommunity.get(lang));
    let mut community_head = area_head;
    community_head[0] = T::CommunityCode.get(lang);
    d.table(&community_head, area_rows(&plan.basics.communities));
    d.sub(T::ComponentsByClass.get(lang));
    let (co, cn) = plan.basics.components;
    d.para(PlanSay::ComponentTotals { old: co, new: cn }.render(lang));
    let count_rows = |rows: &[crate::plan::CountRow], with_name: bool| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                let mut v = vec![r.key.clone()];
                if with_name {
                    v.push(r.name.clone());
                }
                v.extend([
                    r.old.to_string(),
                    r.new.to_string(),
                    format!("{:+}", r.new as i64 - r.old as i64),
                ]);
                v
            })
            .collect()
    };
    d.table(
        &[T::ClassCode, T::Name, T::Before, T::After, T::Delta].map(|x| x.get(lang)),
        count_rows(&plan.basics.classes, true),
    );
    d.sub(T::ComponentsByOwner.get(lang));
    d.table(
        &[T::Owner, T::Before, T::After, T::Delta].map(|x| x.get(lang)),
        count_rows(&plan.basics.owners, false),
    );

    // 2. Changes.
    d.section(T::S2.get(lang));
    d.sub(T::GridChanges.get(lang));
    let counts: Vec<String> = plan
        .changes
        .grid_counts
        .iter()
        .map(|(r, n)| format!("{} {n}", relation_name(*r, lang)))
        .collect();
    d.para(counts.join(" · "));
    let group_head = [T::Relation, T::OldCodes, T::NewCodes, T::Notes].map(|x| x.get(lang));
    if plan.changes.grids.is_empty() {
        d.para(T::None.get(lang).to_string());
    } else {
        d.table(&group_head, group_rows(&plan.changes.grids, lang));
        d.figure(Figure::StreetMaps);
    }
    d.sub(T::AdminChanges.get(lang));
    let admin: Vec<GroupChange> = plan
        .changes
        .streets
        .iter()
        .chain(&plan.changes.communities)
        .cloned()
        .collect();
    if admin.is_empty() {
        d.para(T::None.get(lang).to_string());
    } else {
        d.table(&group_head, group_rows(&admin, lang));
    }
    d.sub(T::ComponentChanges.get(lang));
    let counts: Vec<String> = plan
        .changes
        .component_counts
        .iter()
        .map(|(c, n)| format!("{} {n}", change_name(*c, lang)))
        .collect();
    if counts.is_empty() {
        d.para(T::None.get(lang).to_string());
    } else {
        d.para(counts.join(" · "));
        let rows: Vec<Vec<String>> = cs
            .components
            .iter()
            .map(|c| {
                vec![
                    change_name(c.change, lang).to_string(),
                    c.old_code.clone().unwrap_or_default(),
                    c.new_code.clone().unwrap_or_default(),
                    c.old_value.clone().unwrap_or_default(),
                    c.new_value.clone().unwrap_or_default(),
                    c.distance.map(|d| format!("{d:.2}")).unwrap_or_default(),
                ]
            })
            .collect();
        d.table(
            &[
                T::Change,
                T::OldCode,
                T::NewCode,
                T::OldValue,
                T::NewValue,
                T::Distance,
            ]
            .map(|x| x.get(lang)),
            rows,
        );
    }

    // 3. Impact.
    let i = &plan.impact;
    d.section(T::S3.get(lang));
    d.para(
        PlanSay::ImpactHeadline {
            total: i.total,
            involved: i.involved,
            open: i.open_involved,
            responsible: i.responsible_changed,
            redispatch: i.redispatch,
        }
        .render(lang),
    );
    d.sub(T::CasesByGrid.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_grid
        .iter()
        .map(|g| {
            vec![
                g.code.clone(),
                relation_name(g.relation, lang).to_string(),
                g.new_codes.join("，"),
                g.cases.to_string(),
                g.open.to_string(),
            ]
        })
        .collect();
    d.table(
        &[T::OldGrid, T::Relation, T::Successors, T::Cases, T::Open].map(|x| x.get(lang)),
        rows,
    );
    d.sub(T::CasesMoving.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_street
        .iter()
        .chain(&i.by_community)
        .map(|u| {
            vec![
                u.code.clone(),
                u.name.clone(),
                u.lost.to_string(),
                u.gained.to_string(),
                u.open_moving.to_string(),
            ]
        })
        .collect();
    d.table(
        &[T::StreetCode, T::Name, T::Lost, T::Gained, T::OpenMoving].map(|x| x.get(lang)),
        rows,
    );
    d.sub(T::CasesByTime.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_year
        .iter()
        .map(|(y, n)| vec![y.to_string(), n.to_string()])
        .collect();
    d.table(&[T::Year, T::Cases].map(|x| x.get(lang)), rows);
    let rows: Vec<Vec<String>> = i
        .by_month
        .iter()
        .map(|(m, n)| vec![m.clone(), n.to_string()])
        .collect();
    d.table(&[T::Month, T::Cases].map(|x| x.get(lang)), rows);
    d.figure(Figure::MonthChart);
    d.sub(T::CasesByClass.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_class
        .iter()
        .map(|(c, n)| vec![c.clone(), n.to_string()])
        .collect();
    d.table(&[T::CaseClass, T::Cases].map(|x| x.get(lang)), rows);
    d.sub(T::Towns.get(lang));
    if let Some((from, to)) = i.window {
        d.para(
            PlanSay::Window {
                from: from.to_string(),
                to: to.to_string(),
                total: i.window_total,
            }
            .render(lang),
        );
    }
    let with_pop = i.towns.iter().any(|t| t.quota_old.is_some());
    d.para(
        if with_pop {
            PlanSay::QuotaRule
        } else {
            PlanSay::NoPopulation
        }
        .render(lang),
    );
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.2}")).unwrap_or_default();
    let rows: Vec<Vec<String>> = i
        .towns
        .iter()
        .map(|t| {
            vec![
                t.code.clone(),
                t.name.clone(),
                t.cases_old.to_string(),
                t.cases_new.to_string(),
                t.window_old.to_string(),
                t.window_new.to_string(),
                format!("{:+}", t.window_new as i64 - t.window_old as i64),
                a(t.area_old),
                a(t.area_new),
                t.population.map(|p| format!("{p:.0}")).unwrap_or_default(),
                opt(t.quota_old),
                opt(t.quota_new),
            ]
        })
        .collect();
    d.table(
        &[
            T::StreetCode,
            T::Name,
            T::CasesBefore,
            T::CasesAfter,
            T::BaselineBefore,
            T::BaselineAfter,
            T::Delta,
            T::OldArea,
            T::NewArea,
            T::Population,
            T::QuotaBefore,
            T::QuotaAfter,
        ]
        .map(|x| x.get(lang)),
        rows,
    );
    d.figure(Figure::TownCasesChart);
    if with_pop {
        d.figure(Figure::QuotaChart);
    }

    // 4. Disposal.
    d.section(T::S4.get(lang));
    let rules: Vec<String> = disposal_rules(plan, remap, t)
        .into_iter()
        .map(|rule| match rule {
            PlanSay::RuleReview { n, .. } => PlanSay::RuleReview {
                n,
                reasons: review_reasons(&plan.disposal.reviews, lang),
            }
            .render(lang),
            other => other.render(lang),
        })
        .collect();
    d.blocks.push(Block::Numbered(rules));
    let review: Vec<Vec<String>> = remap
        .cases
        .iter()
        .filter(|c| !c.review.is_empty())
        .map(|c| case_row(c, &names, described, lang))
        .collect();
    if !review.is_empty() {
        d.sub(T::ReviewList.get(lang));
        d.table(&case_head(described, lang), review);
    }
    if !plan.findings.is_empty() {
        d.sub(T::BadRecords.get(lang));
        let rows: Vec<Vec<String>> = plan
            .findings
            .iter()
            .map(|f| vec![f.rule.id().to_string(), f.key.clone(), f.text(lang)])
            .collect();
        d.table(&[T::Rule, T::CaseId, T::Notes].map(|x| x.get(lang)), rows);
    }

    // 5. The cross-reference table.
    d.section(T::S5.get(lang));
    if plan.crosswalk.is_empty() {
        d.para(T::NoCasesInvolved.get(lang).to_string());
    } else {
        d.para(
            PlanSay::CrosswalkCount {
                n: plan.crosswalk.len(),
            }
            .render(lang),
        );
        let rows: Vec<Vec<String>> = plan
            .crosswalk
            .iter()
            .map(|&k| case_row(&remap.cases[k], &names, described, lang))
            .collect();
        d.table(&case_head(described, lang), rows);
    }

    // 6. The workload of the duty layers (责任网格), when both versions have them.
    if !plan.workload.is_empty() {
        d.section(T::S6.get(lang));
        for w in &plan.workload {
            let term = lang.pick(w.layer.chinese(), w.layer.english());
            d.sub(term);
            d.para(workload_say(w, lang).render(lang));
            let sub = |t: T| format!("{term}{}{}", lang.pick("", ": "), t.get(lang));
            d.sub(&sub(T::DutyChanges));
            if w.changes.is_empty() {
                d.para(T::None.get(lang).to_string());
            } else {
                let group_head =
                    [T::Relation, T::OldCodes, T::NewCodes, T::Notes].map(|x| x.get(lang));
                d.table(&group_head, group_rows(&w.changes, lang));
            }
            d.sub(&sub(T::PerTeam));
            d.table(&load_head(false, lang), load_rows(&w.teams, false, lang));
            d.sub(&sub(T::PerDutyGrid));
            d.table(&load_head(true, lang), load_rows(&w.grids, true, lang));
            if !w.moving.is_empty() {
                d.sub(&sub(T::CasesChangingDuty));
                let rows = w
                    .moving
                    .iter()
                    .map(|m| {
                        let c = &remap.cases[m.case];
                        vec![
                            c.id.clone(),
                            c.old[0].clone().unwrap_or_default(),
                            m.old.0.clone().unwrap_or_default(),
                            m.old.1.clone().unwrap_or_default(),
                            c.new[0].clone().unwrap_or_default(),
                            m.new.0.clone().unwrap_or_default(),
                            m.new.1.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                d.table(
                    &[
                        T::CaseId,
                        T::OldGrid,
                        T::OldDutyGrid,
                        T::OldTeam,
                        T::NewGrid,
                        T::NewDutyGrid,
                        T::NewTeam,
                    ]
                    .map(|x| x.get(lang)),
                    rows,
                );
            }
        }
    }
    d.blocks
}

/// Whether a row's load grows (1), shrinks (-1) or stays (0): by cases per year, then unit
/// grids, then area.
pub fn load_direction(r: &LoadRow) -> i32 {
    let d = r.delta();
    let sign = |v: f64| {
        if v > 1e-9 {
            1
        } else if v < -1e-9 {
            -1
        } else {
            0
        }
    };
    match (
        sign(d.per_year),
        r.grids_delta().signum() as i32,
        sign(d.area),
    ) {
        (0, 0, a) => a,
        (0, g, _) => g,
        (p, _, _) => p,
    }
}

/// The sentence of a duty layer's workload: teams that gain and lose most.
pub fn workload_say(w: &Workload, lang: Lang) -> PlanSay {
    let pick = |dir: i32| {
        w.teams
            .iter()
            .find(|r| load_direction(r) == dir)
            .map(|r| (team_name(&r.key, lang), r.grids_delta(), r.delta().per_year))
    };
    PlanSay::Workload {
        layer: lang.pick(w.layer.chinese(), w.layer.english()).to_string(),
        years: w.years,
        teams: w.teams.len(),
        gainer: pick(1),
        loser: pick(-1),
        moving: w.moving.len(),
    }
}

fn team_name(team: &str, lang: Lang) -> String {
    if team.is_empty() {
        T::NoTeam.get(lang).to_string()
    } else {
        team.to_string()
    }
}

/// The column heads of a workload table: per duty grid (`grids`) or per team.
pub fn load_head(grids: bool, lang: Lang) -> Vec<&'static str> {
    let mut head = if grids {
        vec![T::DutyGrid, T::Team]
    } else {
        vec![T::Team]
    };
    head.extend([
        T::OldArea,
        T::NewArea,
        T::GridsBefore,
        T::GridsAfter,
        T::ComponentsBefore,
        T::ComponentsAfter,
        T::PerYearBefore,
        T::PerYearAfter,
        T::PerYearDelta,
    ]);
    head.iter().map(|t| t.get(lang)).collect()
}

/// The rows of a workload table, as [`load_head`] heads them.
pub fn load_rows(rows: &[LoadRow], grids: bool, lang: Lang) -> Vec<Vec<String>> {
    let opt = |v: Option<Load>, f: &dyn Fn(Load) -> String| v.map(f).unwrap_or_else(|| "-".into());
    rows.iter()
        .map(|r| {
            let mut v = if grids {
                vec![r.key.clone(), team_name(&r.team, lang)]
            } else {
                vec![team_name(&r.key, lang)]
            };
            v.extend([
                opt(r.before, &|l| a(l.area)),
                opt(r.after, &|l| a(l.area)),
                opt(r.before, &|l| l.grids.to_string()),
                opt(r.after, &|l| l.grids.to_string()),
                opt(r.before, &|l| l.components.to_string()),
                opt(r.after, &|l| l.components.to_string()),
                opt(r.before, &|l| format!("{:.2}", l.per_year)),
                opt(r.after, &|l| format!("{:.2}", l.per_year)),
                signed(r.delta().per_year),
            ]);
            v
        })
        .collect()
}
