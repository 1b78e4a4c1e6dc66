//! `gridkeeper score`: check every submission, score the towns, rank them.

use std::path::Path;

use gridkeeper::report::{csv, score as score_report, xlsx};
use gridkeeper::score::{self, Ranked, ScoringRules};
use gridkeeper::{io, Lang, Result};
use rayon::prelude::*;

use super::args::{ReportFormat, ScoreArgs};
use super::check_cmd::{write_json, Center};
use super::Context;

/// Checks and scores `packages` in the order given; the ranking and whether any had errors.
/// When packages cannot be checked, the error is the first of them in that order.
pub fn score_all(
    center: &Center,
    packages: &[&Path],
    rules: &ScoringRules,
) -> Result<(Vec<Ranked>, bool)> {
    // Every package's result first, then the first error: the same whatever finishes first.
    let reports: Vec<Result<_>> = packages.par_iter().map(|p| center.check(p)).collect();
    let reports = reports.into_iter().collect::<Result<Vec<_>>>()?;
    let errors = reports.iter().any(|r| r.has_errors());
    let sheets = reports.iter().map(|r| score::score(r, rules)).collect();
    Ok((score::rank(sheets), errors))
}

/// Writes ranking.csv, ranking.xlsx and score.json into `out`; the files written.
pub fn write_ranking(
    out: &Path,
    ranked: &[Ranked],
    rules: &ScoringRules,
    lang: Lang,
) -> Result<Vec<String>> {
    io::atomic::create_dir(out)?;
    let csv_path = out.join("ranking.csv");
    csv::write(&csv_path, &score_report::csv_rows(ranked, rules, lang))?;
    let xlsx_path = out.join("ranking.xlsx");
    let date = ranked
        .iter()
        .map(|r| r.sheet.received)
        .max()
        .unwrap_or_default();
    xlsx::write(&xlsx_path, &score_report::sheets(ranked, rules, lang), date)?;
    let json_path = out.join("score.json");
    write_json(&json_path, &score_report::json(ranked, rules, lang))?;
    Ok([csv_path, xlsx_path, json_path]
        .iter()
        .map(|p| p.display().to_string())
        .collect())
}

/// `gridkeeper score`: checks and scores every package, prints the ranking (and writes it
/// with `--out`); exit code 1 when a package has findings of severity error.
pub fn run(ctx: &Context, a: ScoreArgs) -> Result<i32> {
    let rules = match &a.rules {
        Some(p) => ScoringRules::load(p)?,
        None => ScoringRules::builtin()?,
    };
    let mut rules = rules;
    if let Some(d) = a.center.lead_days {
        rules.lead_days = i64::from(d);
    }
    let center = Center::load(&a.center, rules.lead_days)?;
    let packages: Vec<&Path> = a.submissions.iter().map(|p| p.as_path()).collect();
    let (ranked, errors) = score_all(&center, &packages, &rules)?;
    let mut body = match a.format {
        ReportFormat::Text => score_report::text(&ranked, &rules, ctx.lang),
        ReportFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&score_report::json(&ranked, &rules, ctx.lang))
                    .unwrap_or_default();
            s.push('\n');
            s
        }
    };
    if let Some(out) = &a.out {
        let written = write_ranking(out, &ranked, &rules, ctx.lang)?;
        if a.format == ReportFormat::Text {
            body.push_str(gridkeeper::i18n::Text::Files.get(ctx.lang));
            body.push('\n');
            for w in written {
                body.push_str(&format!("  {w}\n"));
            }
        }
    }
    super::print(&body);
    Ok(if errors { 1 } else { 0 })
}
