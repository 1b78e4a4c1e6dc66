//! `gridkeeper demo`: generate the demo district, write it, validate this year's version,
//! and say what was made and what the check found.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::demo::{self, Counts, DemoOptions, GridRelation, Truth};
use gridkeeper::diff::Change;
use gridkeeper::i18n::{Say, Text};
use gridkeeper::{validate, Error, Finding, Lang, Problem, Result, Severity};

use super::args::DemoArgs;
use super::Context;

/// An output folder may be written when it is absent, empty, or an earlier demo.
fn check_out(out: &Path) -> Result<()> {
    if !out.exists() || out.join("truth.json").is_file() {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(out).map_err(|e| Error::io(out, e))?;
    if entries.next().is_some() {
        return Err(Error::Usage {
            problem: Problem::OutputNotEmpty,
        });
    }
    Ok(())
}

/// Terminal columns a text takes (CJK characters take two).
fn width(s: &str) -> usize {
    s.chars().map(|c| if c >= '\u{1100}' { 2 } else { 1 }).sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn lpad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

fn counts_table(lang: Lang, truth: &Truth) -> String {
    let head = [
        Text::Version,
        Text::Streets,
        Text::Communities,
        Text::Grids,
        Text::Components,
        Text::Pois,
    ]
    .map(|t| t.get(lang));
    let widths: Vec<usize> = head.iter().map(|h| width(h).max(8)).collect();
    let mut s = String::from("  ");
    for (i, h) in head.iter().enumerate() {
        s += &if i == 0 {
            pad(h, widths[i] + 2)
        } else {
            lpad(h, widths[i] + 2)
        };
    }
    s.push('\n');
    for facts in [&truth.old, &truth.new] {
        let c: Counts = facts.counts;
        let label = Say::VersionOf { year: facts.year }.render(lang);
        let cells = [
            label,
            c.streets.to_string(),
            c.communities.to_string(),
            c.grids.to_string(),
            c.components.to_string(),
            c.pois.to_string(),
        ];
        s.push_str("  ");
        for (i, v) in cells.iter().enumerate() {
            s += &if i == 0 {
                pad(v, widths[i] + 2)
            } else {
                lpad(v, widths[i] + 2)
            };
        }
        let _ = writeln!(s, "   {} {}", Text::Effective.get(lang), facts.effective);
    }
    s
}

fn changes(lang: Lang, truth: &Truth) -> String {
    let mut s = String::new();
    let grids: Vec<String> = GridRelation::ALL
        .iter()
        .map(|&r| format!("{} {}", lang.pick(r.chinese(), r.id()), truth.grid_count(r)))
        .collect();
    let grids = Say::GridDifferences {
        total: truth.grids.len(),
        list: grids.join(" · "),
    };
    let _ = writeln!(s, "{}", grids.render(lang));
    let comps: Vec<String> = Change::ALL
        .iter()
        .map(|&c| {
            format!(
                "{} {}",
                lang.pick(c.chinese(), c.id()),
                truth.component_count(c)
            )
        })
        .collect();
    let comps = Say::ComponentDifferences {
        total: truth.components.len(),
        list: comps.join(" · "),
    };
    let _ = writeln!(s, "{}", comps.render(lang));
    let whole = truth
        .components
        .iter()
        .filter(|d| d.reason.is_some())
        .count();
    if whole > 0 {
        let _ = writeln!(s, "  {}", Say::WithWholeGrid { count: whole }.render(lang));
    }
    s
}

/// One line per duty layer (责任网格): its counts, teams and differences.
fn duty(lang: Lang, truth: &Truth) -> String {
    let mut s = String::new();
    for (d, kind) in truth.duty.iter().zip(demo::duty_kinds()) {
        let say = Say::DemoDuty {
            layer: lang.pick(kind.chinese(), kind.english()).to_string(),
            old: d.old,
            new: d.new,
            teams: d.teams,
            moved: d
                .moved
                .as_ref()
                .map(|m| (m.grids.len(), m.from_team.clone(), m.to_team.clone())),
            split: d.count(GridRelation::Split),
            merged: d.count(GridRelation::Merged),
            reshaped: d.count(GridRelation::Reshaped),
        };
        let _ = writeln!(s, "{}", say.render(lang));
    }
    s
}

fn findings(lang: Lang, truth: &Truth, found: &[Finding], dir: &Path) -> String {
    let mut s = String::new();
    let count = |sev| found.iter().filter(|f| f.severity == sev).count();
    let summary = Say::DemoValidated {
        dir: dir.display().to_string(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        notes: count(Severity::Info),
    };
    let _ = writeln!(s, "{}", summary.render(lang));
    let mut by_rule: BTreeMap<(Severity, &str), Vec<&Finding>> = BTreeMap::new();
    for f in found {
        by_rule
            .entry((f.severity, f.rule.id()))
            .or_default()
            .push(f);
    }
    for ((sev, rule), list) in &by_rule {
        let keys: Vec<String> = list
            .iter()
            .take(3)
            .map(|f| format!("{} {}", f.layer, f.key))
            .collect();
        let more = if list.len() > 3 { " …" } else { "" };
        let _ = writeln!(
            s,
            "  {} {:>3}  {:<7}  {}{more}",
            pad(rule, 18),
            list.len(),
            sev.as_str(),
            keys.join(", ")
        );
    }
    let mut want: Vec<(&str, &str)> = truth
        .defects
        .iter()
        .map(|d| (d.rule.as_str(), d.key.as_str()))
        .collect();
    let mut got: Vec<(&str, &str)> = found
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.rule.id(), f.key.as_str()))
        .collect();
    want.sort_unstable();
    got.sort_unstable();
    if want == got {
        let verdict = if want.is_empty() {
            Text::NoDefectsNoErrors
        } else {
            Text::DefectsFound
        };
        let _ = writeln!(s, "  {}", verdict.get(lang));
    } else {
        let extra = got.iter().filter(|g| !want.contains(g)).count();
        let missing = want.iter().filter(|w| !got.contains(w)).count();
        let _ = writeln!(
            s,
            "  {}",
            Say::DefectsDiffer { extra, missing }.render(lang)
        );
    }
    s
}

pub fn run(ctx: &Context, a: DemoArgs) -> Result<i32> {
    let lang = ctx.lang;
    check_out(&a.out)?;
    let options = DemoOptions {
        seed: a.seed,
        grids: a.grids as usize,
        components: a.components as usize,
        defects: !a.no_defects,
        cases: a.cases as usize,
    };
    let progress = |text: String| {
        if !ctx.quiet {
            super::print(&format!("{text}\n"));
        }
    };
    progress(Text::Generating.get(lang).to_string());
    let t0 = Instant::now();
    let generated = demo::generate(&options);
    let t_gen = t0.elapsed();
    progress(
        Say::Writing {
            dir: a.out.display().to_string(),
        }
        .render(lang),
    );
    let t1 = Instant::now();
    let paths = demo::write(&generated, &a.out)?;
    let t_write = t1.elapsed();
    let truth = generated.truth.clone();
    drop(generated);
    if a.no_check {
        let made = Say::DemoMade {
            seed: truth.seed,
            generate: t_gen,
            write: t_write,
            validate: std::time::Duration::ZERO,
        };
        progress(made.render(lang));
        return Ok(0);
    }
    progress(
        Say::Validating {
            dir: paths.new.display().to_string(),
        }
        .render(lang),
    );
    let t2 = Instant::now();
    let (ds, profile) = dataset::load(&paths.new, &LoadOptions::default())?;
    let found = validate::run(&ds, &profile, &validate::Options::default());
    let t_check = t2.elapsed();
    // The demo's change plan: last year's data with its cases against this year's.
    let (old, _) = dataset::load(&paths.old, &LoadOptions::default())?;
    let mut inputs = super::inputs::dataset_inputs(&old)?;
    inputs.extend(super::inputs::dataset_inputs(&ds)?);
    let plan_dir = a.out.join("plan");
    let planned = super::plan_cmd::write_plan(
        &old,
        &ds,
        &profile,
        old.layer(gridkeeper::LayerKind::Cases),
        None,
        &profile.thresholds,
        &plan_dir,
        lang,
        &inputs,
    )?;
    drop((ds, old));
    // The towns' submissions of this year's data, checked and scored by the center.
    let scored = super::demo_submissions::run(&options, &paths.old, &a.out, lang)?;

    let mut s = String::new();
    let _ = writeln!(s);
    let made = Say::DemoMade {
        seed: truth.seed,
        generate: t_gen,
        write: t_write,
        validate: t_check,
    };
    let _ = writeln!(s, "{}", made.render(lang));
    let _ = writeln!(
        s,
        "{} {} · {} · {}",
        Text::Region.get(lang),
        truth.region,
        truth.crs,
        truth.profile
    );
    let _ = writeln!(s);
    s += &counts_table(lang, &truth);
    let cases = Say::DemoCases {
        year: truth.old.year,
        total: truth.cases.total,
        with_point: truth.cases.with_point,
        component: truth.cases.component,
        open: truth.cases.open,
        bad_grid: truth.cases.bad_grid.len(),
    };
    let _ = writeln!(s, "{}", cases.render(lang));
    let _ = writeln!(s);
    s += &changes(lang, &truth);
    s += &duty(lang, &truth);
    let _ = writeln!(s);
    s += &findings(lang, &truth, &found, &paths.new);
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", planned.summary.render(lang));
    let _ = writeln!(s);
    s += &super::demo_submissions::summary(&scored, lang);
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", Text::Files.get(lang));
    let rows = [
        (&paths.old, Text::OldShapefiles),
        (
            &paths.new,
            if truth.defects.is_empty() {
                Text::NewShapefiles
            } else {
                Text::NewShapefilesDefects
            },
        ),
        (&paths.geojson_old, Text::OldGeojson),
        (&paths.geojson_new, Text::NewGeojson),
        (&paths.truth, Text::TruthFile),
        (&plan_dir, Text::DemoPlan),
    ];
    let w = rows
        .iter()
        .map(|(p, _)| width(&p.display().to_string()))
        .max()
        .unwrap_or(0);
    for (p, what) in rows {
        let _ = writeln!(
            s,
            "  {}  {}",
            pad(&p.display().to_string(), w),
            what.get(lang)
        );
    }
    for (p, what) in super::demo_submissions::files(&scored, lang) {
        let _ = writeln!(s, "  {}  {what}", pad(&p.display().to_string(), w));
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", Text::TryNext.get(lang));
    let en = if lang == Lang::En { " --lang en" } else { "" };
    let _ = writeln!(s, "  gridkeeper validate {}{en}", paths.new.display());
    let _ = writeln!(s, "  gridkeeper validate {}{en}", paths.old.display());
    let _ = writeln!(
        s,
        "  gridkeeper validate {} --format json -o findings.json",
        paths.geojson_new.display()
    );
    let _ = writeln!(
        s,
        "  gridkeeper plan {} {} --out my-plan{en}",
        paths.old.display(),
        paths.new.display()
    );
    if let Some(first) = scored.packages.first() {
        let _ = writeln!(
            s,
            "  gridkeeper check {} --prior {}{en}",
            first.display(),
            paths.old.display()
        );
    }
    let _ = writeln!(
        s,
        "  gridkeeper score {}/* --prior {} --out my-score{en}",
        a.out.join("submissions").display(),
        paths.old.display()
    );
    let _ = writeln!(s, "  gridkeeper schema show {}{en}", truth.profile);
    super::print(&s);
    Ok(0)
}
