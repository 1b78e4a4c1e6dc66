//! The demo's town submissions (镇街报送): four towns of the demo district each submit their
//! part of this year's data (without the seeded defects) with the plan `gridkeeper plan` makes
//! against their part of last year's, each with its own flaw; the center checks and scores
//! them (`gridkeeper score`) and the demo prints the ranking.
//!
//! The four towns are those with the most grid changes (ties: the smaller code), in that order:
//! 1. on time (33 days ahead) and clean — full marks;
//! 2. its case crosswalk edited by hand: a row deleted, a case moved to another grid;
//! 3. two data errors — a grid's area that is not a number, a component whose class differs
//!    from its code's — submitted as a `.zip`;
//! 4. received 20 days ahead: one day late.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Days, NaiveDate};
use gridkeeper::check;
use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::demo::{self, Demo, DemoOptions};
use gridkeeper::i18n::center::{CheckSay, CheckText};
use gridkeeper::io::{self, TextColumn};
use gridkeeper::report::{csv, score as score_report};
use gridkeeper::schema::Profile;
use gridkeeper::score::{Ranked, ScoringRules};
use gridkeeper::submission::{scope, Limits};
use gridkeeper::{BoundLayer, Dataset, Error, LayerKind, Result};

use rayon::prelude::*;

use super::check_cmd::Center;

/// What the demo's submissions came to.
pub struct Scored {
    /// The packages, in the order they were scored.
    pub packages: Vec<PathBuf>,
    /// The ranking.
    pub ranked: Vec<Ranked>,
    /// The rules used.
    pub rules: ScoringRules,
    /// Where the ranking was written.
    pub out: PathBuf,
    /// Seconds the checks and scores took.
    pub seconds: f64,
}

/// Up to four towns, those with the most grid changes first (ties: the smaller code).
fn towns(d: &Demo, clean: &Dataset) -> Vec<String> {
    let mut count: BTreeMap<String, usize> = scope::streets_of(clean)
        .into_iter()
        .map(|s| (s, 0))
        .collect();
    for g in &d.truth.grids {
        let codes: BTreeSet<&str> = g
            .old
            .iter()
            .chain(&g.new)
            .filter_map(|c| c.get(..9))
            .collect();
        for c in codes {
            if let Some(n) = count.get_mut(c) {
                *n += 1;
            }
        }
    }
    let mut by: Vec<(String, usize)> = count.into_iter().collect();
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by.into_iter().take(4).map(|x| x.0).collect()
}

/// Sets feature `row`'s value of canonical field `field`.
fn set(l: &mut BoundLayer, row: usize, field: &str, value: &str) {
    let Some(col) = l.fields.column(field) else {
        return;
    };
    let old = &l.layer.columns[col];
    let mut new = TextColumn::with_capacity(old.len());
    for i in 0..old.len() {
        // A column rebuilt with one short value changed stays within its bounds.
        let _ = new.push(if i == row { Some(value) } else { old.get(i) });
    }
    l.layer.columns[col] = new;
}

/// Writes a town's dataset as GeoJSON with its manifest.
fn write_dataset(ds: &Dataset, d: &Demo, dir: &Path) -> Result<()> {
    io::atomic::create_dir(dir)?;
    let mut toml = format!(
        "# gridkeeper demo: a town's submission\nregion = \"{}\"\nyear = {}\neffective = \"{}\"\nprofile = \"{}\"\ncrs = \"{}\"\n",
        d.region, d.new.year, d.new.effective, d.profile, d.crs
    );
    for (kind, l) in &ds.layers {
        let name = kind.name();
        io::write::write_geojson(&l.layer, &dir.join(format!("{name}.geojson")), Some(&d.crs))?;
        let map: Vec<String> = demo::fields(*kind)
            .iter()
            .map(|(c, l)| format!("{c} = \"{l}\""))
            .collect();
        toml.push_str(&format!(
            "\n[layers.{name}]\npath = \"{name}.geojson\"\nfields = {{ {} }}\n",
            map.join(", ")
        ));
    }
    io::atomic::write_bytes(&dir.join(dataset::MANIFEST), toml.as_bytes())
}

/// The case crosswalk edited by hand: its first row deleted, the next case moved to the
/// new grid of another row.
fn tamper(path: &Path) -> Result<()> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut rows: Vec<Vec<String>> = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .flatten()
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    let col = rows
        .first()
        .and_then(|h| h.iter().position(|c| c == "new_grid"));
    if let (Some(col), true) = (col, rows.len() > 3) {
        rows.remove(1);
        let other =
            (2..rows.len()).find(|&k| rows[k][col] != rows[1][col] && !rows[k][col].is_empty());
        if let Some(k) = other {
            rows[1][col] = rows[k][col].clone();
        }
    }
    csv::write(path, &rows)
}

/// Zips the folder `dir` into `dir.zip` (entries under its name) and removes the folder.
fn zip_folder(dir: &Path) -> Result<PathBuf> {
    let zip_path = dir.with_extension("zip");
    let top = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)
            .map_err(|e| Error::io(&d, e))?
            .flatten()
        {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    let zerr = |e: zip::result::ZipError| Error::io(&zip_path, std::io::Error::other(e));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for f in files {
        let rel: Vec<String> = f
            .strip_prefix(dir)
            .unwrap_or(&f)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        w.start_file(format!("{top}/{}", rel.join("/")), opts)
            .map_err(zerr)?;
        let bytes = std::fs::read(&f).map_err(|e| Error::io(&f, e))?;
        w.write_all(&bytes).map_err(|e| Error::io(&zip_path, e))?;
    }
    let bytes = w.finish().map_err(zerr)?.into_inner();
    io::atomic::write_bytes(&zip_path, &bytes)?;
    std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    Ok(zip_path)
}

fn days_before(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

/// Makes the four towns' packages under `root/submissions`, checks and scores them against
/// last year's data (`old`, with its cases), and writes the ranking into `root/score`.
pub fn run(
    options: &DemoOptions,
    old: &Path,
    root: &Path,
    lang: gridkeeper::Lang,
) -> Result<Scored> {
    let d = demo::generate(&DemoOptions {
        defects: false,
        ..options.clone()
    });
    let profile = Profile::builtin(&d.profile)?;
    let clean = d.dataset(&d.new, &profile)?;
    let (prior, prior_profile) = dataset::load(old, &LoadOptions::default())?;
    let dir = root.join("submissions");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    let effective = d.new.effective;
    let towns = towns(&d, &clean);
    let build = |k: usize, town: &String| -> Result<PathBuf> {
        let streets: BTreeSet<String> = [town.clone()].into();
        let mut mine = scope::restrict(&clean, &streets);
        if k == 2 {
            if let Some(g) = mine.layers.get_mut(&LayerKind::Grids) {
                set(g, 0, "area", "约一万");
            }
            if let Some(c) = mine.layers.get_mut(&LayerKind::Components) {
                let class = c.get(0, "class").unwrap_or("").to_string();
                let other = if class == "0101" { "0103" } else { "0101" };
                set(c, 0, "class", other);
            }
        }
        let pkg = dir.join(town);
        write_dataset(&mine, &d, &pkg.join("data"))?;
        let (new, _) = dataset::load(&pkg.join("data"), &LoadOptions::default())?;
        let name = new
            .layer(LayerKind::Streets)
            .and_then(|s| s.get(0, "name"))
            .unwrap_or("")
            .to_string();
        let prior_cut = scope::restrict(&prior, &streets);
        let mut inputs = super::inputs::dataset_inputs(&prior)?;
        inputs.extend(super::inputs::dataset_inputs(&new)?);
        super::plan_cmd::write_plan(
            &prior_cut,
            &new,
            &profile,
            prior_cut.layer(LayerKind::Cases),
            None,
            &profile.thresholds,
            &pkg.join("plan"),
            lang,
            &inputs,
        )?;
        if k == 1 {
            tamper(&pkg.join("plan").join("case_crosswalk.csv"))?;
        }
        let received = days_before(effective, if k == 3 { 20 } else { 33 - 2 * k as u64 });
        let toml = format!(
            "town = \"{town}\"\nname = \"{name}\"\nreceived = {received}\ndataset = \"data\"\nplan = \"plan\"\n"
        );
        io::atomic::write_bytes(&pkg.join(gridkeeper::submission::MANIFEST), toml.as_bytes())?;
        if k == 2 {
            zip_folder(&pkg)
        } else {
            Ok(pkg)
        }
    };
    // The towns are independent: build their packages side by side.
    let packages: Vec<PathBuf> = towns
        .par_iter()
        .enumerate()
        .map(|(k, town)| build(k, town))
        .collect::<Result<Vec<_>>>()?;
    drop(d);
    let t0 = Instant::now();
    let rules = ScoringRules::builtin()?;
    let mut options = check::Options {
        lead_days: rules.lead_days,
        ..Default::default()
    };
    options.judge_by(&prior_profile);
    let center = Center {
        prior,
        cases: None,
        options,
        limits: Limits::default(),
    };
    let list: Vec<&Path> = packages.iter().map(PathBuf::as_path).collect();
    let (ranked, _) = super::score_cmd::score_all(&center, &list, &rules)?;
    let out = root.join("score");
    super::score_cmd::write_ranking(&out, &ranked, &rules, lang)?;
    Ok(Scored {
        packages,
        ranked,
        rules,
        out,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// The demo's lines about the submissions: a headline and the ranking.
pub fn summary(s: &Scored, lang: gridkeeper::Lang) -> String {
    let mut out = format!(
        "{}: {}\n",
        CheckText::DemoSubmissions.get(lang),
        CheckSay::DemoScored {
            towns: s.packages.len(),
            seconds: s.seconds,
        }
        .render(lang)
    );
    out.push_str(&score_report::text(&s.ranked, &s.rules, lang));
    out
}

/// The folders to list among the demo's files.
pub fn files(s: &Scored, lang: gridkeeper::Lang) -> Vec<(PathBuf, &'static str)> {
    let dir = s
        .packages
        .first()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    vec![
        (dir, CheckText::DemoSubmissionsFolder.get(lang)),
        (s.out.clone(), CheckText::DemoScoreFolder.get(lang)),
    ]
}
