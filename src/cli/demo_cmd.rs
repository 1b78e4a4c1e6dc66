//! `gridkeeper demo`: generate the demo district, write it, validate this year's version,
//! and say what was made and what the check found.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::demo::{self, ComponentChange, Counts, DemoOptions, GridRelation, Truth};
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

fn seconds(t: std::time::Duration) -> String {
    format!("{:.1} s", t.as_secs_f64())
}

fn counts_table(lang: Lang, truth: &Truth) -> String {
    let head = [
        lang.pick("版本", "version"),
        lang.pick("街道", "streets"),
        lang.pick("社区", "communities"),
        lang.pick("单元网格", "grids"),
        lang.pick("部件", "components"),
        lang.pick("地址/兴趣点", "POIs"),
    ];
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
        let label = format!("{}{}", facts.year, lang.pick(" 年版", ""));
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
        let _ = writeln!(
            s,
            "   {} {}",
            lang.pick("生效", "effective"),
            facts.effective
        );
    }
    s
}

fn changes(lang: Lang, truth: &Truth) -> String {
    let mut s = String::new();
    let grids: Vec<String> = GridRelation::ALL
        .iter()
        .map(|&r| format!("{} {}", lang.pick(r.chinese(), r.id()), truth.grid_count(r)))
        .collect();
    let _ = writeln!(
        s,
        "{} ({} {}): {}",
        lang.pick("网格变更", "grid differences"),
        truth.grids.len(),
        lang.pick("处", "in all"),
        grids.join(" · ")
    );
    let comps: Vec<String> = ComponentChange::ALL
        .iter()
        .map(|&c| {
            format!(
                "{} {}",
                lang.pick(c.chinese(), c.id()),
                truth.component_count(c)
            )
        })
        .collect();
    let _ = writeln!(
        s,
        "{} ({} {}): {}",
        lang.pick("部件变更", "component differences"),
        truth.components.len(),
        lang.pick("处", "in all"),
        comps.join(" · ")
    );
    let whole = truth
        .components
        .iter()
        .filter(|d| d.reason.is_some())
        .count();
    if whole > 0 {
        let _ = writeln!(
            s,
            "  {}",
            lang.pick(
                &format!("其中 {whole} 处新增/删除随整个网格的新增/撤销而来"),
                &format!("of which {whole} added/removed with their whole grid"),
            )
        );
    }
    s
}

fn findings(lang: Lang, truth: &Truth, found: &[Finding], dir: &Path) -> String {
    let mut s = String::new();
    let count = |sev| found.iter().filter(|f| f.severity == sev).count();
    let _ = writeln!(
        s,
        "{} {}: {} {}, {} {}, {} {}",
        lang.pick("检查", "validate"),
        dir.display(),
        count(Severity::Error),
        lang.pick("个错误", "errors"),
        count(Severity::Warning),
        lang.pick("个警告", "warnings"),
        count(Severity::Info),
        lang.pick("个提示", "notes"),
    );
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
        let _ = writeln!(
            s,
            "  {}",
            if want.is_empty() {
                lang.pick(
                    "没有预置缺陷，也没有发现错误 ✓",
                    "no defects seeded, no errors found ✓",
                )
            } else {
                lang.pick(
                    "发现的错误与预置缺陷（truth.json）完全一致 ✓",
                    "the errors found are exactly the seeded defects (truth.json) ✓",
                )
            }
        );
    } else {
        let extra = got.iter().filter(|g| !want.contains(g)).count();
        let missing = want.iter().filter(|w| !got.contains(w)).count();
        let _ = writeln!(
            s,
            "  {}",
            lang.pick(
                &format!("与预置缺陷不一致：多出 {extra} 个错误，缺少 {missing} 个"),
                &format!(
                    "differs from the seeded defects: {extra} unexpected errors, {missing} missing"
                ),
            )
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
    };
    let progress = |zh: &str, en: &str| {
        if !ctx.quiet {
            super::print(&format!("{}\n", lang.pick(zh, en)));
        }
    };
    progress("正在生成演示数据…", "generating the demo district…");
    let t0 = Instant::now();
    let generated = demo::generate(&options);
    let t_gen = t0.elapsed();
    progress(
        &format!("正在写入 {} …", a.out.display()),
        &format!("writing {} …", a.out.display()),
    );
    let t1 = Instant::now();
    let paths = demo::write(&generated, &a.out)?;
    let t_write = t1.elapsed();
    let truth = generated.truth.clone();
    drop(generated);
    progress(
        &format!("正在检查 {} …", paths.new.display()),
        &format!("validating {} …", paths.new.display()),
    );
    let t2 = Instant::now();
    let (ds, profile) = dataset::load(&paths.new, &LoadOptions::default())?;
    let found = validate::run(&ds, &profile, &validate::Options::default());
    drop(ds);
    let t_check = t2.elapsed();

    let mut s = String::new();
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{} ({} {}, {} {}, {} {}, {} {})",
        lang.pick("演示数据已生成", "demo district generated"),
        lang.pick("种子", "seed"),
        truth.seed,
        lang.pick("生成", "generate"),
        seconds(t_gen),
        lang.pick("写入", "write"),
        seconds(t_write),
        lang.pick("检查", "validate"),
        seconds(t_check),
    );
    let _ = writeln!(
        s,
        "{} {} · {} · {}",
        lang.pick("区县代码", "region"),
        truth.region,
        truth.crs,
        truth.profile
    );
    let _ = writeln!(s);
    s += &counts_table(lang, &truth);
    let _ = writeln!(s);
    s += &changes(lang, &truth);
    let _ = writeln!(s);
    s += &findings(lang, &truth, &found, &paths.new);
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", lang.pick("文件：", "files:"));
    let rows = [
        (
            &paths.old,
            lang.pick(
                "2025 年版，Shapefile（GBK）",
                "2025 version, shapefiles (GBK)",
            ),
        ),
        (
            &paths.new,
            if truth.defects.is_empty() {
                lang.pick(
                    "2026 年版，Shapefile（GBK）",
                    "2026 version, shapefiles (GBK)",
                )
            } else {
                lang.pick(
                    "2026 年版，Shapefile（GBK），含预置缺陷",
                    "2026 version, shapefiles (GBK), with the seeded defects",
                )
            },
        ),
        (
            &paths.geojson_old,
            lang.pick("2025 年版，GeoJSON", "2025 version, GeoJSON"),
        ),
        (
            &paths.geojson_new,
            lang.pick("2026 年版，GeoJSON", "2026 version, GeoJSON"),
        ),
        (
            &paths.truth,
            lang.pick(
                "全部变更与预置缺陷（标准答案）",
                "every difference and seeded defect (the answer key)",
            ),
        ),
    ];
    let w = rows
        .iter()
        .map(|(p, _)| width(&p.display().to_string()))
        .max()
        .unwrap_or(0);
    for (p, what) in rows {
        let _ = writeln!(s, "  {}  {what}", pad(&p.display().to_string(), w));
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", lang.pick("下一步可以试试：", "try next:"));
    let en = if lang == Lang::En { " --lang en" } else { "" };
    let _ = writeln!(s, "  gridkeeper validate {}{en}", paths.new.display());
    let _ = writeln!(s, "  gridkeeper validate {}{en}", paths.old.display());
    let _ = writeln!(
        s,
        "  gridkeeper validate {} --format json -o findings.json",
        paths.geojson_new.display()
    );
    let _ = writeln!(s, "  gridkeeper schema show {}{en}", truth.profile);
    super::print(&s);
    Ok(0)
}
