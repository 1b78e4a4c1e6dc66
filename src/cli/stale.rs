//! The outputs an earlier run left in an `--out` folder that this run does not write.

use std::path::Path;

use gridkeeper::{io, Result};

/// The largest run record read for its list of outputs: far above any real one.
const MAX_RECORD_BYTES: u64 = 16 << 20;

/// Whether `name` is an output that a run writes only sometimes: a crosswalk (of a layer
/// or a duty layer the data or the profile may drop) or `changes.gpkg` (`--gpkg`).
fn sometimes_written(name: &str) -> bool {
    name.ends_with("_crosswalk.csv") || name == "changes.gpkg"
}

/// Removes from `out`, once the run has succeeded, the files the last run of this command
/// listed in its record `out/RECORD` (`"outputs"`: `run.json` of `plan`, `diff.json` of
/// `diff`) that this run does not write (`written`: file names), so that the folder holds one
/// run's outputs. Only names of outputs written sometimes (`*_crosswalk.csv`,
/// `changes.gpkg`) and only in `out` itself are removed: never a file the record names
/// elsewhere, never one of another kind. A record that is missing, too large or not JSON
/// removes nothing.
pub fn remove_stale_outputs(out: &Path, record: &str, written: &[&str]) -> Result<()> {
    let path = out.join(record);
    let fits = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_RECORD_BYTES);
    if !fits {
        return Ok(());
    }
    let Ok(text) = std::fs::read(&path) else {
        return Ok(());
    };
    let Ok(last) = serde_json::from_slice::<serde_json::Value>(&text) else {
        return Ok(());
    };
    let Some(outputs) = last.get("outputs").and_then(|o| o.as_array()) else {
        return Ok(());
    };
    // The folder as the record's paths name it: a name alone, or a path into `out` however
    // spelled then (relative, absolute).
    let here = out.canonicalize().ok();
    let in_out = |p: &Path| match p.parent() {
        None => true,
        Some(parent) if parent.as_os_str().is_empty() => true,
        Some(parent) => here.is_some() && parent.canonicalize().ok() == here,
    };
    let mut names: Vec<&str> = outputs
        .iter()
        .filter_map(|o| {
            let p = Path::new(o.as_str()?);
            in_out(p).then_some(p.file_name()?.to_str()?)
        })
        .filter(|n| sometimes_written(n) && !written.contains(n))
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        io::atomic::remove_output(&out.join(name))?;
    }
    Ok(())
}
