//! `gridkeeper plan`.

use std::path::Path;

use gridkeeper::dataset;
use gridkeeper::i18n::plan::PlanSay;
use gridkeeper::io::hash::layer_files;
use gridkeeper::plan::{self, Populations};
use gridkeeper::report::json::Input;
use gridkeeper::report::{csv, geojson, html, json, markdown, xlsx};
use gridkeeper::schema::{Profile, Thresholds};
use gridkeeper::{
    diff, io, remap, reprojection, BoundLayer, Dataset, Error, Lang, LayerKind, Result,
};
use serde_json::json;

use super::args::PlanArgs;
use super::check_cmd::read_cases;
use super::inputs;
use super::validate_cmd::{load_options, thresholds_with};
use super::Context;
use gridkeeper::timing::stage;

/// What `write_plan` wrote and counted.
pub struct Written {
    /// The files, in order.
    pub files: Vec<String>,
    /// The plan's headline numbers.
    pub summary: PlanSay,
}

/// Compares, remaps, builds the plan and writes its files into `out`.
#[allow(clippy::too_many_arguments)]
pub fn write_plan(
    old: &Dataset,
    new: &Dataset,
    profile: &Profile,
    cases: Option<&BoundLayer>,
    populations: Option<&Populations>,
    t: &Thresholds,
    out: &Path,
    lang: Lang,
    inputs: &[Input],
) -> Result<Written> {
    // One CRS for everything drawn and located (diff aligns on its own too).
    let (old, new, cases) = reprojection::align_with_cases(old, new, cases)?;
    let (old, new, cases) = (old.as_ref(), new.as_ref(), cases.as_deref());
    let cs = stage("diff", || diff::run(old, new, profile, t))?;
    let closed = profile.closed_case_statuses();
    let remapped = stage("remap", || match cases {
        Some(c) => remap::run(old, new, &cs, c, &closed, t),
        None => remap::Remap::default(),
    });
    let plan = stage("plan", || {
        plan::build(old, new, &profile.name, &cs, &remapped, populations)
    });
    let write = std::time::Instant::now();
    io::atomic::create_dir(out)?;
    let mut written = Vec::new();
    // plan.md, plan.html, plan.xlsx, the crosswalks, changes.geojson, run.json.
    let files = 6 + usize::from(cs.layer(LayerKind::Grids).is_some()) + cs.duty_layers().count();
    let mut bar = super::Writing::new(files);
    let mut put = |name: &str| {
        let p = out.join(name);
        bar.next(&p);
        written.push(p.display().to_string());
        p
    };
    io::atomic::write_bytes(
        &put("plan.md"),
        markdown::plan(&plan, &remapped, &cs, t, lang).as_bytes(),
    )?;
    io::atomic::write_bytes(
        &put("plan.html"),
        html::plan(&plan, &remapped, &cs, t, old, new, cases, lang).as_bytes(),
    )?;
    let date = new.manifest.effective.unwrap_or_default();
    xlsx::write(
        &put("plan.xlsx"),
        &xlsx::sheets(&plan, &remapped, &cs, lang),
        date,
    )?;
    if let Some(d) = cs.layer(LayerKind::Grids) {
        csv::write_crosswalk(&put("grid_crosswalk.csv"), d)?;
    }
    for d in cs.duty_layers() {
        let file = super::diff_cmd::duty_crosswalk_file(d.layer);
        csv::write_crosswalk(&put(&file), d)?;
    }
    csv::write(
        &put("case_crosswalk.csv"),
        &csv::case_crosswalk(&plan, &remapped),
    )?;
    geojson::changes(
        &put("changes.geojson"),
        &cs,
        old,
        new,
        new.manifest.crs.as_deref(),
    )?;
    let run_path = out.join("run.json");
    let counts = json!({
        "grid_changes": plan.changes.grids.len(),
        "component_changes": cs.components.len(),
        "cases": plan.impact.total,
        "cases_involved": plan.impact.involved,
        "cases_for_review": plan.disposal.review_cases,
        "bad_historical_records": plan.disposal.bad_records,
    });
    let mut outputs = written.clone();
    outputs.push(run_path.display().to_string());
    let files: Vec<&str> = outputs
        .iter()
        .filter_map(|p| Path::new(p).file_name()?.to_str())
        .collect();
    super::stale::remove_stale_outputs(out, "run.json", &files)?;
    bar.next(&run_path);
    write_json(
        &run_path,
        &json::run_record("plan", inputs, &profile.name, t, lang, counts, &outputs),
    )?;
    written.push(run_path.display().to_string());
    gridkeeper::timing::record("write", write.elapsed());
    Ok(Written {
        files: written,
        summary: PlanSay::Summary {
            grids: plan.changes.grids.len(),
            components: cs.components.len(),
            cases: plan.impact.total,
            involved: plan.impact.involved,
            review: plan.disposal.review_cases,
            bad: plan.disposal.bad_records,
        },
    })
}

fn write_json(path: &Path, v: &serde_json::Value) -> Result<()> {
    let mut s =
        serde_json::to_string_pretty(v).map_err(|e| Error::io(path, std::io::Error::other(e)))?;
    s.push('\n');
    io::atomic::write_bytes(path, s.as_bytes())
}

pub fn run(ctx: &Context, a: PlanArgs) -> Result<i32> {
    let clock = std::time::Instant::now();
    let lang = ctx.lang;
    let options = load_options(&a.profile)?;
    // The files the manifests name are hashed on whichever core the reading leaves idle.
    let mut named = inputs::named_files(&a.old);
    named.extend(inputs::named_files(&a.new));
    if let Some(path) = &a.cases {
        named.extend(layer_files(path));
    }
    let read = std::time::Instant::now();
    let ((loaded, mut read_time), early) = rayon::join(
        || {
            let loaded = rayon::join(
                || dataset::load(&a.old, &options),
                || dataset::load(&a.new, &options),
            );
            (loaded, read.elapsed())
        },
        || inputs::Hashed::files(&named),
    );
    // What hashing took beyond the reading, then the rest of it.
    let mut hash_time = read.elapsed().saturating_sub(read_time);
    let (old, new) = loaded;
    let ((old, _), (new, profile)) = (old?, new?);
    let t = thresholds_with(&profile.thresholds, &a.profile.set)?;
    let hash = std::time::Instant::now();
    let mut inputs = early.inputs(&inputs::dataset_files(&old))?;
    inputs.extend(early.inputs(&inputs::dataset_files(&new))?);
    hash_time += hash.elapsed();
    // The cases: --cases FILE, else the old dataset's cases layer.
    let from_file;
    let cases = match &a.cases {
        Some(path) => {
            let read = std::time::Instant::now();
            from_file = read_cases(path, a.cases_fields.as_deref(), &profile, &options)?;
            read_time += read.elapsed();
            let hash = std::time::Instant::now();
            inputs.extend(early.inputs(&layer_files(path))?);
            hash_time += hash.elapsed();
            Some(&from_file)
        }
        None => old.layer(LayerKind::Cases),
    };
    let populations = match &a.population {
        Some(p) => {
            inputs.extend(early.inputs(std::slice::from_ref(p))?);
            Some(Populations::load(p)?)
        }
        None => None,
    };
    gridkeeper::timing::record("read", read_time);
    gridkeeper::timing::record("hash", hash_time);
    let written = write_plan(
        &old,
        &new,
        &profile,
        cases,
        populations.as_ref(),
        &t,
        &a.out,
        lang,
        &inputs,
    )?;
    let mut s = String::new();
    s.push_str(&written.summary.render(lang));
    s.push('\n');
    s.push_str(
        &PlanSay::WrittenTo {
            dir: a.out.display().to_string(),
        }
        .render(lang),
    );
    s.push('\n');
    for w in &written.files {
        s.push_str("  ");
        s.push_str(w);
        s.push('\n');
    }
    super::print(&s);
    super::stage_summary(ctx, clock.elapsed());
    Ok(0)
}
