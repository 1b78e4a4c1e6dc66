//! Sections 4 and 5 of the plan, 历史案件处置办法说明 and 历史案件对照表: the rules that
//! remapped the cases, each with its count, the cases left for review, and the table of
//! every involved case.

use std::collections::BTreeMap;

use super::{named, Block, Ctx, Doc};
use crate::i18n::plan::{method_name, review_name, PlanSay, PlanText as T};
use crate::i18n::Lang;
use crate::plan::Plan;
use crate::remap::{CaseMapping, Method, Remap, Review};
use crate::schema::Thresholds;

/// The case-table row of one case; `described` adds its description after the class.
pub fn case_row(
    c: &CaseMapping,
    names: &BTreeMap<String, String>,
    described: bool,
    lang: Lang,
) -> Vec<String> {
    let class = format!(
        "{} {}-{}",
        c.kind.unwrap_or(""),
        c.major.unwrap_or(""),
        c.minor.unwrap_or("")
    );
    let review: Vec<&str> = c.review.iter().map(|r| review_name(r.id(), lang)).collect();
    let mut row = vec![
        c.id.to_string(),
        c.date.map(|d| d.to_string()).unwrap_or_default(),
        class.trim().to_string(),
    ];
    if described {
        row.push(c.description.unwrap_or_default().to_string());
    }
    row.extend([
        c.status.unwrap_or_default().to_string(),
        named(c.old[2], names),
        named(c.old[1], names),
        c.old[0].unwrap_or_default().to_string(),
        named(c.new[2], names),
        named(c.new[1], names),
        c.new[0].unwrap_or_default().to_string(),
        method_name(c.method.id(), lang).to_string(),
        review.join("；"),
    ]);
    row
}

/// Whether any case has a description (and the case tables get that column).
pub fn described(remap: &Remap) -> bool {
    remap.has_descriptions()
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

/// The reasons for review with their counts, joined (`坐标超出新网格范围 3；…`).
pub fn review_reasons(reviews: &BTreeMap<Review, usize>, lang: Lang) -> String {
    reviews
        .iter()
        .map(|(r, n)| format!("{} {n}", review_name(r.id(), lang)))
        .collect::<Vec<_>>()
        .join(lang.pick("；", "; "))
}

/// Section 4's rules, each with its count, only the ones applied.
pub fn disposal_rules(plan: &Plan, t: &Thresholds) -> Vec<PlanSay> {
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
    if d.component_cases > 0 {
        rules.push(PlanSay::RuleComponents {
            n: d.component_cases,
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

/// Section 4, 历史案件处置办法说明: the rules applied, with their counts, and what is left for review.
pub(super) fn disposal_section(d: &mut Doc, c: &Ctx) {
    let (plan, remap, t, lang) = (c.plan, c.remap, c.t, c.lang);
    let (names, described) = (&c.names, c.described);
    d.section(T::S4.get(lang));
    let rules: Vec<String> = disposal_rules(plan, t)
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
    if rules.is_empty() {
        // No case at all (none given, or none in the town): the section still says so.
        d.para(T::NoCasesToHandle.get(lang).to_string());
    } else {
        d.blocks.push(Block::Numbered(rules));
    }
    let review: Vec<Vec<String>> = remap
        .select(|s| !s.review.is_empty())
        .map(|c| case_row(&c, names, described, lang))
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
}

/// Section 5, 历史案件对照表: every case that involves a changed street, community or grid.
pub(super) fn crosswalk_section(d: &mut Doc, c: &Ctx) {
    let (plan, remap, lang) = (c.plan, c.remap, c.lang);
    let (names, described) = (&c.names, c.described);
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
            .filter_map(|&k| Some(case_row(&remap.get(k)?, names, described, lang)))
            .collect();
        d.table(&case_head(described, lang), rows);
    }
}
