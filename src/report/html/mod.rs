//! `plan.html`: the change plan as one self-contained page (方案网页) — the same
//! [document](super::document) as `plan.md`, with the headline numbers, inline SVG maps and
//! charts, and sortable, searchable, paged tables; and `check.html`, the center's check of a
//! submission (检查报告) the same way.
//!
//! The page loads nothing from outside (no fonts, scripts or tiles: the center's machines are
//! often offline) and reads without script: tooltips are SVG `<title>`s, every table row is
//! in the markup. The few lines of inline script only add sorting, searching, paging and a
//! hover panel under each map.

mod charts;
mod check;
mod maps;
mod page;
mod svg;

pub use self::check::check;
pub use self::maps::MAX_DOTS;
pub use self::page::{render, MAX_ROWS};

use self::maps::Scene;
use crate::diff::ChangeSet;
use crate::i18n::Lang;
use crate::model::{BoundLayer, Dataset};
use crate::plan::Plan;
use crate::remap::Remap;
use crate::report::document::Figure;
use crate::schema::Thresholds;

/// Escapes text for HTML content and attribute values (`& < > " '`).
///
/// ```
/// use gridkeeper::report::html::esc;
/// assert_eq!(esc("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
/// ```
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders the plan page. `old` and `new` must be in one CRS (as `diff` compares them:
/// [`crate::reprojection::align`]); `cases` are the historical cases that were remapped.
#[allow(clippy::too_many_arguments)]
pub fn plan(
    plan: &Plan,
    remap: &Remap,
    cs: &ChangeSet,
    t: &Thresholds,
    old: &Dataset,
    new: &Dataset,
    cases: Option<&BoundLayer>,
    lang: Lang,
) -> String {
    let blocks = super::document::plan(plan, remap, cs, t, lang);
    let scene = Scene::build(old, new, cases, cs, remap, lang);
    render(
        &blocks,
        |figure| match figure {
            Figure::Headline => charts::headline(plan, cs, lang),
            Figure::AreaChart => charts::area(plan, lang),
            Figure::DistrictMap => scene.district(lang),
            Figure::StreetMaps => scene.streets(lang),
            Figure::TownCasesChart => charts::town_cases(plan, lang),
            Figure::MonthChart => charts::months(plan, lang),
            Figure::QuotaChart => charts::quota(plan, lang),
            Figure::CheckHeadline | Figure::FindingsChart => String::new(),
        },
        lang,
    )
}
