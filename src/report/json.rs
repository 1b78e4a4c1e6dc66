//! JSON: everything, for machines (stable key order, findings in report order).

use serde_json::{json, Map, Value};

use super::Subject;
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
        "lang": lang,
        "summary": {"errors": e, "warnings": w, "infos": i, "by_rule": by_rule},
        "layers": layers,
        "findings": findings.iter().map(|f| finding(f, lang)).collect::<Vec<_>>(),
    })
}
