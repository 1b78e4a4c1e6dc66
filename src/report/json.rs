//! JSON: everything, for machines (stable key order, findings in report order).

use serde_json::{json, Map, Value};

use super::Subject;
use crate::diff::ChangeSet;
use crate::finding::Finding;
use crate::i18n::Lang;

/// One finding as JSON.
pub fn finding(f: &Finding, lang: Lang) -> Value {
    let detail = serde_json::to_value(&f.message).unwrap_or(Value::Null);
    json!({
        "rule": f.rule.id(),
        "severity": f.severity.as_str(),
        "layer": f.layer,
        "key": f.key,
        "feature": f.feature,
        "field": f.field,
        "message": f.text(lang),
        "location": f.location,
        "measure": f.measure,
        "detail": detail,
    })
}

/// The validation report as JSON.
pub fn validation(subject: &Subject, findings: &[Finding], lang: Lang) -> Value {
    let (e, w, i) = super::text::counts(findings);
    let mut by_rule: Map<String, Value> = Map::new();
    let mut ids: Vec<&str> = findings.iter().map(|f| f.rule.id()).collect();
    ids.sort_unstable();
    for id in ids {
        let n = by_rule.get(id).and_then(Value::as_u64).unwrap_or(0);
        by_rule.insert(id.to_string(), json!(n + 1));
    }
    let layers: Vec<Value> = subject
        .layers
        .iter()
        .map(|l| {
            let fields: Map<String, Value> = l
                .fields
                .iter()
                .map(|(c, local)| (c.clone(), json!(local)))
                .collect();
            json!({
                "layer": l.name,
                "file": l.file,
                "features": l.features,
                "geometry": l.geometry,
                "crs": l.crs,
                "encoding": l.encoding,
                "measure": l.measure,
                "fields": fields,
            })
        })
        .collect();
    json!({
        "tool": "gridkeeper",
        "version": crate::VERSION,
        "command": "validate",
        "dataset": subject.source,
        "region": subject.region,
        "year": subject.year,
        "effective": subject.effective,
        "profile": subject.profile,
        "crs": subject.crs,
        "lang": lang,
        "summary": {"errors": e, "warnings": w, "infos": i, "by_rule": by_rule},
        "layers": layers,
        "findings": findings.iter().map(|f| finding(f, lang)).collect::<Vec<_>>(),
    })
}

/// The change set of `diff` as JSON: per polygon layer its groups and crosswalk, the
/// component changes, and what the comparison found.
pub fn diff(cs: &ChangeSet, old: &str, new: &str, profile: &str, lang: Lang) -> Value {
    let layers: Vec<Value> = cs
        .layers
        .iter()
        .map(|d| {
            let codes = |v: &[usize], c: &[String]| -> Vec<String> {
                v.iter().map(|&i| c[i].clone()).collect()
            };
            let groups: Vec<Value> = d
                .lineage
                .groups
                .iter()
                .map(|g| {
                    json!({
                        "relation": g.relation.id(),
                        "old": codes(&g.old, &d.old_codes),
                        "new": codes(&g.new, &d.new_codes),
                        "reshaped": g.reshaped,
                        "recoded": g.recoded,
                        "reparented": g.reparented,
                        "area_change": g.area_change.map(round3),
                        "hausdorff": g.hausdorff.map(round3),
                    })
                })
                .collect();
            let mut rows = super::csv::crosswalk(d).into_iter();
            let header = rows.next().unwrap_or_default();
            let crosswalk: Vec<Value> = rows
                .map(|r| {
                    let m: Map<String, Value> = header
                        .iter()
                        .zip(r)
                        .map(|(k, v)| (k.clone(), Value::String(v)))
                        .collect();
                    Value::Object(m)
                })
                .collect();
            let counts: Map<String, Value> = d
                .counts()
                .into_iter()
                .map(|(r, n)| (r.id().to_string(), json!(n)))
                .collect();
            // Built by moving the parts in (`json!` would copy each of them whole).
            object([
                ("layer", json!(d.layer.name())),
                ("counts", Value::Object(counts)),
                ("groups", Value::Array(groups)),
                ("crosswalk", Value::Array(crosswalk)),
            ])
        })
        .collect();
    let components: Vec<Value> = cs
        .components
        .iter()
        .map(|c| {
            json!({
                "change": c.change.id(),
                "old_code": c.old_code,
                "new_code": c.new_code,
                "old_value": c.old_value,
                "new_value": c.new_value,
                "distance": c.distance,
            })
        })
        .collect();
    let mut component_counts: Map<String, Value> = Map::new();
    for change in crate::diff::Change::ALL {
        let n = cs.components.iter().filter(|c| c.change == change).count();
        component_counts.insert(change.id().to_string(), json!(n));
    }
    let mut report = json!({
        "tool": "gridkeeper",
        "version": crate::VERSION,
        "command": "diff",
        "old": old,
        "new": new,
        "profile": profile,
        "crs": cs.crs,
        "measure": cs.measure.name(),
        "old_effective": cs.old_effective.map(|d| d.to_string()),
        "new_effective": cs.new_effective.map(|d| d.to_string()),
    });
    if let Value::Object(m) = &mut report {
        m.extend([
            ("layers".to_string(), Value::Array(layers)),
            (
                "component_counts".to_string(),
                Value::Object(component_counts),
            ),
            ("components".to_string(), Value::Array(components)),
            (
                "findings".to_string(),
                Value::Array(cs.findings.iter().map(|f| finding(f, lang)).collect()),
            ),
        ]);
    }
    report
}

/// A JSON object of these members, in this order, moved in.
fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// One input file of a run, with its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// The path as given.
    pub path: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// `run.json`: what a run read (with SHA-256s), with which profile, thresholds and version,
/// and what it counted and wrote. No clock time, so the same inputs give the same bytes.
pub fn run_record(
    command: &str,
    inputs: &[Input],
    profile: &str,
    thresholds: &crate::schema::Thresholds,
    lang: Lang,
    counts: Value,
    outputs: &[String],
) -> Value {
    let mut inputs = inputs.to_vec();
    inputs.sort();
    inputs.dedup();
    json!({
        "tool": "gridkeeper",
        "version": crate::VERSION,
        "command": command,
        "profile": profile,
        "lang": lang,
        "thresholds": serde_json::to_value(thresholds).unwrap_or(Value::Null),
        "inputs": inputs
            .iter()
            .map(|i| json!({"path": i.path, "sha256": i.sha256, "bytes": i.bytes}))
            .collect::<Vec<_>>(),
        "counts": counts,
        "outputs": outputs,
    })
}
