//! `plan.md`: the change plan as a Markdown document (the five sections and their tables).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diff::{Change, ChangeSet, Relation};
use crate::i18n::plan::{method_name, review_name, PlanSay, PlanText as T};
use crate::i18n::Lang;
use crate::measure::Measure;
use crate::plan::{AreaRow, GroupChange, Plan};
use crate::remap::{CaseMapping, Method, Remap, Review};
use crate::schema::Thresholds;

/// A number of m² with two decimals.
fn a(v: f64) -> String {
    format!("{v:.2}")
}

/// A change with its sign.
fn signed(v: f64) -> String {
    format!("{v:+.2}")
}

fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn table(s: &mut String, head: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(s, "| {} |", head.join(" | "));
    let _ = writeln!(s, "|{}", "---|".repeat(head.len()));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| esc(c)).collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    let _ = writeln!(s);
}

fn relation_name(r: Relation, lang: Lang) -> &'static str {
    lang.pick(r.chinese(), r.id())
}

fn change_name(c: Change, lang: Lang) -> &'static str {
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

fn area_rows(rows: &[AreaRow], total: Option<&AreaRow>, lang: Lang) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.code.clone(),
                r.name.clone(),
                r.old_grids.to_string(),
                a(r.old_area),
                r.new_grids.to_string(),
                a(r.new_area),
                signed(r.new_area - r.old_area),
            ]
        })
        .collect();
    if let Some(t) = total {
        out.push(vec![
            T::Total.get(lang).to_string(),
            String::new(),
            t.old_grids.to_string(),
            a(t.old_area),
            t.new_grids.to_string(),
            a(t.new_area),
            signed(t.new_area - t.old_area),
        ]);
    }
    out
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

/// The case-table row of one case.
pub fn case_row(c: &CaseMapping, names: &BTreeMap<String, String>, lang: Lang) -> Vec<String> {
    let class = format!(
        "{} {}-{}",
        c.kind.as_deref().unwrap_or(""),
        c.major.as_deref().unwrap_or(""),
        c.minor.as_deref().unwrap_or("")
    );
    let review: Vec<&str> = c.review.iter().map(|r| review_name(r.id(), lang)).collect();
    vec![
        c.id.clone(),
        c.date.map(|d| d.to_string()).unwrap_or_default(),
        class.trim().to_string(),
        c.status.clone().unwrap_or_default(),
        named(&c.old[2], names),
        named(&c.old[1], names),
        c.old[0].clone().unwrap_or_default(),
        named(&c.new[2], names),
        named(&c.new[1], names),
        c.new[0].clone().unwrap_or_default(),
        method_name(c.method.id(), lang).to_string(),
        review.join("；"),
    ]
}

/// The column heads of the case table.
pub fn case_head(lang: Lang) -> Vec<&'static str> {
    [
        T::CaseId,
        T::Time,
        T::Class,
        T::Status,
        T::OldStreet,
        T::OldCommunity,
        T::OldGrid,
        T::NewStreet,
        T::NewCommunity,
        T::NewGrid,
        T::Method,
        T::Review,
    ]
    .iter()
    .map(|t| t.get(lang))
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

/// Renders the plan.
pub fn plan(plan: &Plan, remap: &Remap, cs: &ChangeSet, t: &Thresholds, lang: Lang) -> String {
    let mut s = String::new();
    let names = names(plan);
    let version = |v: &(Option<i32>, Option<chrono::NaiveDate>)| {
        PlanSay::Version {
            year: v.0.map(|y| y.to_string()).unwrap_or_default(),
            effective: v.1.map(|d| d.to_string()).unwrap_or_default(),
        }
        .render(lang)
    };
    let _ = writeln!(
        s,
        "# {}（{}）",
        T::Title.get(lang),
        version(&plan.new_version)
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "- {}：{}",
        T::Region.get(lang),
        plan.region.as_deref().unwrap_or("-")
    );
    let _ = writeln!(
        s,
        "- {}：{}",
        T::OldVersion.get(lang),
        version(&plan.old_version)
    );
    let _ = writeln!(
        s,
        "- {}：{}",
        T::NewVersion.get(lang),
        version(&plan.new_version)
    );
    let _ = writeln!(s, "- {}：{}", T::Profile.get(lang), plan.profile);
    let measure = match plan.measure {
        Measure::Planar => T::Planar,
        Measure::Geodesic => T::Geodesic,
    };
    let _ = writeln!(s, "- {}：{}", T::Measure.get(lang), measure.get(lang));
    let _ = writeln!(
        s,
        "- {}：gridkeeper {}",
        T::GeneratedBy.get(lang),
        crate::VERSION
    );
    let _ = writeln!(s);

    // 1. Basic situation.
    let _ = writeln!(s, "## {}\n", T::S1.get(lang));
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
    let _ = writeln!(s, "### {}\n", T::GridsByStreet.get(lang));
    table(
        &mut s,
        &area_head,
        &area_rows(&plan.basics.streets, Some(&plan.basics.total), lang),
    );
    let _ = writeln!(s, "### {}\n", T::GridsByCommunity.get(lang));
    let mut community_head = area_head;
    community_head[0] = T::CommunityCode.get(lang);
    table(
        &mut s,
        &community_head,
        &area_rows(&plan.basics.communities, None, lang),
    );
    let _ = writeln!(s, "### {}\n", T::ComponentsByClass.get(lang));
    let (co, cn) = plan.basics.components;
    let _ = writeln!(
        s,
        "{}\n",
        PlanSay::ComponentTotals { old: co, new: cn }.render(lang)
    );
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
    table(
        &mut s,
        &[T::ClassCode, T::Name, T::Before, T::After, T::Delta].map(|x| x.get(lang)),
        &count_rows(&plan.basics.classes, true),
    );
    let _ = writeln!(s, "### {}\n", T::ComponentsByOwner.get(lang));
    table(
        &mut s,
        &[T::Owner, T::Before, T::After, T::Delta].map(|x| x.get(lang)),
        &count_rows(&plan.basics.owners, false),
    );

    // 2. Changes.
    let _ = writeln!(s, "## {}\n", T::S2.get(lang));
    let _ = writeln!(s, "### {}\n", T::GridChanges.get(lang));
    let counts: Vec<String> = plan
        .changes
        .grid_counts
        .iter()
        .map(|(r, n)| format!("{} {n}", relation_name(*r, lang)))
        .collect();
    let _ = writeln!(s, "{}\n", counts.join(" · "));
    let group_head = [T::Relation, T::OldCodes, T::NewCodes, T::Notes].map(|x| x.get(lang));
    if plan.changes.grids.is_empty() {
        let _ = writeln!(s, "{}\n", T::None.get(lang));
    } else {
        table(&mut s, &group_head, &group_rows(&plan.changes.grids, lang));
    }
    let _ = writeln!(s, "### {}\n", T::AdminChanges.get(lang));
    let admin: Vec<GroupChange> = plan
        .changes
        .streets
        .iter()
        .chain(&plan.changes.communities)
        .cloned()
        .collect();
    if admin.is_empty() {
        let _ = writeln!(s, "{}\n", T::None.get(lang));
    } else {
        table(&mut s, &group_head, &group_rows(&admin, lang));
    }
    let _ = writeln!(s, "### {}\n", T::ComponentChanges.get(lang));
    let counts: Vec<String> = plan
        .changes
        .component_counts
        .iter()
        .map(|(c, n)| format!("{} {n}", change_name(*c, lang)))
        .collect();
    if counts.is_empty() {
        let _ = writeln!(s, "{}\n", T::None.get(lang));
    } else {
        let _ = writeln!(s, "{}\n", counts.join(" · "));
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
        table(
            &mut s,
            &[
                T::Change,
                T::OldCode,
                T::NewCode,
                T::OldValue,
                T::NewValue,
                T::Distance,
            ]
            .map(|x| x.get(lang)),
            &rows,
        );
    }

    // 3. Impact.
    let i = &plan.impact;
    let _ = writeln!(s, "## {}\n", T::S3.get(lang));
    let _ = writeln!(
        s,
        "{}\n",
        PlanSay::ImpactHeadline {
            total: i.total,
            involved: i.involved,
            open: i.open_involved,
            responsible: i.responsible_changed,
            redispatch: i.redispatch,
        }
        .render(lang)
    );
    let _ = writeln!(s, "### {}\n", T::CasesByGrid.get(lang));
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
    table(
        &mut s,
        &[T::OldGrid, T::Relation, T::Successors, T::Cases, T::Open].map(|x| x.get(lang)),
        &rows,
    );
    let _ = writeln!(s, "### {}\n", T::CasesMoving.get(lang));
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
    table(
        &mut s,
        &[T::StreetCode, T::Name, T::Lost, T::Gained, T::OpenMoving].map(|x| x.get(lang)),
        &rows,
    );
    let _ = writeln!(s, "### {}\n", T::CasesByTime.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_year
        .iter()
        .map(|(y, n)| vec![y.to_string(), n.to_string()])
        .collect();
    table(&mut s, &[T::Year, T::Cases].map(|x| x.get(lang)), &rows);
    let rows: Vec<Vec<String>> = i
        .by_month
        .iter()
        .map(|(m, n)| vec![m.clone(), n.to_string()])
        .collect();
    table(&mut s, &[T::Month, T::Cases].map(|x| x.get(lang)), &rows);
    let _ = writeln!(s, "### {}\n", T::CasesByClass.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_class
        .iter()
        .map(|(c, n)| vec![c.clone(), n.to_string()])
        .collect();
    table(
        &mut s,
        &[T::CaseClass, T::Cases].map(|x| x.get(lang)),
        &rows,
    );
    let _ = writeln!(s, "### {}\n", T::Towns.get(lang));
    if let Some((from, to)) = i.window {
        let _ = writeln!(
            s,
            "{}\n",
            PlanSay::Window {
                from: from.to_string(),
                to: to.to_string(),
                total: i.window_total,
            }
            .render(lang)
        );
    }
    let with_pop = i.towns.iter().any(|t| t.quota_old.is_some());
    let _ = writeln!(
        s,
        "{}\n",
        if with_pop {
            PlanSay::QuotaRule
        } else {
            PlanSay::NoPopulation
        }
        .render(lang)
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
    table(
        &mut s,
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
        &rows,
    );

    // 4. Disposal.
    let _ = writeln!(s, "## {}\n", T::S4.get(lang));
    for (k, rule) in disposal_rules(plan, remap, t).into_iter().enumerate() {
        let text = match rule {
            PlanSay::RuleReview { n, .. } => PlanSay::RuleReview {
                n,
                reasons: review_reasons(&plan.disposal.reviews, lang),
            }
            .render(lang),
            other => other.render(lang),
        };
        let _ = writeln!(s, "{}. {text}", k + 1);
    }
    let _ = writeln!(s);
    let review: Vec<Vec<String>> = remap
        .cases
        .iter()
        .filter(|c| !c.review.is_empty())
        .map(|c| case_row(c, &names, lang))
        .collect();
    if !review.is_empty() {
        let _ = writeln!(s, "### {}\n", T::ReviewList.get(lang));
        table(&mut s, &case_head(lang), &review);
    }
    if !plan.findings.is_empty() {
        let _ = writeln!(s, "### {}\n", T::BadRecords.get(lang));
        let rows: Vec<Vec<String>> = plan
            .findings
            .iter()
            .map(|f| vec![f.rule.id().to_string(), f.key.clone(), f.text(lang)])
            .collect();
        table(
            &mut s,
            &[T::Rule, T::CaseId, T::Notes].map(|x| x.get(lang)),
            &rows,
        );
    }

    // 5. The cross-reference table.
    let _ = writeln!(s, "## {}\n", T::S5.get(lang));
    if plan.crosswalk.is_empty() {
        let _ = writeln!(s, "{}", T::NoCasesInvolved.get(lang));
    } else {
        let _ = writeln!(
            s,
            "{}\n",
            PlanSay::CrosswalkCount {
                n: plan.crosswalk.len()
            }
            .render(lang)
        );
        let rows: Vec<Vec<String>> = plan
            .crosswalk
            .iter()
            .map(|&k| case_row(&remap.cases[k], &names, lang))
            .collect();
        table(&mut s, &case_head(lang), &rows);
    }
    s
}
