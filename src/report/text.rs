//! Readable text: counts first, then findings grouped by rule; colour only on a terminal.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::Subject;
use crate::diff::{Change, ChangeSet, Relation};
use crate::finding::{Finding, Severity};
use crate::i18n::{Lang, Say, Text};
use crate::model::{Dataset, LayerKind};

/// How to render text.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// The language.
    pub lang: Lang,
    /// Use ANSI colours.
    pub color: bool,
    /// At most this many findings listed per rule (0: all).
    pub max_per_rule: usize,
}

fn paint(s: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "33",
        Severity::Info => "36",
    }
}

/// Counts of findings by severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    findings
        .iter()
        .fold((0, 0, 0), |(e, w, i), f| match f.severity {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Info => (e, w, i + 1),
        })
}

/// One line naming a finding's place: `grids 350582001001001 (#12) [code]`.
pub fn place(f: &Finding) -> String {
    let mut s = f.layer.clone();
    if !f.key.is_empty() {
        let _ = write!(s, " {}", f.key);
        if let Some(i) = f.feature {
            if f.key != format!("#{i}") {
                let _ = write!(s, " (#{i})");
            }
        }
    }
    if let Some(field) = &f.field {
        let _ = write!(s, " [{field}]");
    }
    s
}

/// The validation report as text.
pub fn validation(subject: &Subject, findings: &[Finding], o: &TextOptions) -> String {
    let lang = o.lang;
    let mut s = String::new();
    let layers: Vec<String> = subject
        .layers
        .iter()
        .map(|l| format!("{} {}", l.name, l.features))
        .collect();
    let _ = writeln!(
        s,
        "{} {} · {} {} · {} {}",
        Text::Dataset.get(lang),
        subject.source,
        Text::Profile.get(lang),
        subject.profile.as_deref().unwrap_or("-"),
        Text::Layers.get(lang),
        if layers.is_empty() {
            "-".to_string()
        } else {
            layers.join(", ")
        }
    );
    let mut measures: Vec<&str> = subject.layers.iter().map(|l| l.measure).collect();
    measures.sort_unstable();
    measures.dedup();
    let _ = writeln!(
        s,
        "{}",
        Say::CrsLine {
            crs: subject.crs.clone().unwrap_or_else(|| "-".to_string()),
            measure: if measures.is_empty() {
                "-".to_string()
            } else {
                measures.join("/")
            },
        }
        .render(lang)
    );
    let (e, w, i) = counts(findings);
    if findings.is_empty() {
        let _ = writeln!(s, "{}", paint(Text::NoFindings.get(lang), "32", o.color));
        return s;
    }
    let _ = writeln!(
        s,
        "{}: {} {e}, {} {w}, {} {i}",
        Text::Findings.get(lang),
        paint(
            Text::Errors.get(lang),
            severity_color(Severity::Error),
            o.color && e > 0
        ),
        Text::Warnings.get(lang),
        Text::Infos.get(lang),
    );
    // Group by rule, most severe first, then by id.
    let mut groups: BTreeMap<(Severity, &'static str), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry((f.severity, f.rule.id())).or_default().push(f);
    }
    let _ = writeln!(s);
    let width = groups.keys().map(|(_, id)| id.len()).max().unwrap_or(4);
    for ((sev, id), list) in &groups {
        let _ = writeln!(
            s,
            "  {:width$}  {:>7}  {}",
            id,
            list.len(),
            paint(
                Text::severity(*sev).get(lang),
                severity_color(*sev),
                o.color
            ),
        );
    }
    for ((sev, id), list) in &groups {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{} ({}, {})",
            paint(id, severity_color(*sev), o.color),
            Text::severity(*sev).get(lang),
            list.len()
        );
        let shown = if o.max_per_rule == 0 {
            list.len()
        } else {
            o.max_per_rule.min(list.len())
        };
        for f in &list[..shown] {
            let _ = writeln!(s, "  {}: {}", place(f), f.text(lang));
        }
        if shown < list.len() {
            let more = list.len() - shown;
            let _ = writeln!(s, "  {}", Say::MoreFindings { more }.render(lang));
        }
    }
    s
}

/// The change set of `diff` as text: counts per relation and layer, the communities and
/// streets the changed grids lie in, component changes, what the comparison found, and the
/// files written.
pub fn diff(
    cs: &ChangeSet,
    old: &Dataset,
    new: &Dataset,
    written: &[String],
    lang: Lang,
) -> String {
    let mut s = String::new();
    let profile = new.manifest.profile.clone().unwrap_or_default();
    let _ = writeln!(
        s,
        "{}",
        Say::DiffHeader {
            old: old.root.display().to_string(),
            new: new.root.display().to_string(),
            profile,
            crs: cs.crs.clone().unwrap_or_else(|| "-".to_string()),
            measure: cs.measure.name().to_string(),
        }
        .render(lang)
    );
    let name = |r: Relation| lang.pick(r.chinese(), r.id()).to_string();
    let mut any = false;
    for d in &cs.layers {
        let counts = d.counts();
        let changed: Vec<String> = counts
            .iter()
            .filter(|(r, _)| **r != Relation::Unchanged)
            .map(|(r, n)| format!("{} {n}", name(*r)))
            .collect();
        any |= !changed.is_empty();
        let unchanged = counts.get(&Relation::Unchanged).copied().unwrap_or(0);
        let label = match d.layer {
            LayerKind::Streets => Text::Streets.get(lang),
            LayerKind::Communities => Text::Communities.get(lang),
            LayerKind::Duty(_) => lang.pick(d.layer.chinese(), d.layer.english()),
            _ => Text::Grids.get(lang),
        };
        let mut line = changed.join(" · ");
        if !line.is_empty() {
            line.push(' ');
        }
        let _ = writeln!(
            s,
            "  {:<6} {line}({} {unchanged})",
            label,
            Text::Unchanged.get(lang)
        );
    }
    if let Some(d) = cs.layer(LayerKind::Grids) {
        // Changed grids by the community and street their codes name (old and new).
        let mut by_community: BTreeMap<String, usize> = BTreeMap::new();
        for g in d.changed() {
            let codes = g
                .old
                .iter()
                .map(|&i| &d.old_codes[i])
                .chain(g.new.iter().map(|&i| &d.new_codes[i]));
            let communities: BTreeSet<String> = codes
                .filter_map(|c| c.get(..12))
                .map(str::to_string)
                .collect();
            for c in communities {
                *by_community.entry(c).or_insert(0) += 1;
            }
        }
        if !by_community.is_empty() {
            let mut by_street: BTreeMap<String, usize> = BTreeMap::new();
            for (c, n) in &by_community {
                *by_street
                    .entry(c.get(..9).unwrap_or(c).to_string())
                    .or_insert(0) += n;
            }
            let list = |m: &BTreeMap<String, usize>| {
                m.iter()
                    .map(|(c, n)| format!("{c} {n}"))
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            let _ = writeln!(s, "  {}: {}", Text::ByStreet.get(lang), list(&by_street));
            let _ = writeln!(
                s,
                "  {}: {}",
                Text::ByCommunity.get(lang),
                list(&by_community)
            );
        }
    }
    if !cs.components.is_empty() {
        any = true;
        let list: Vec<String> = Change::ALL
            .iter()
            .map(|&c| (c, cs.components.iter().filter(|r| r.change == c).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| format!("{} {n}", lang.pick(c.chinese(), c.id())))
            .collect();
        let _ = writeln!(
            s,
            "  {:<6} {}",
            Text::Components.get(lang),
            list.join(" · ")
        );
    }
    if !any {
        let _ = writeln!(s, "{}", Text::NothingChanged.get(lang));
    }
    if !cs.findings.is_empty() {
        let _ = writeln!(s, "{}:", Text::DiffFindings.get(lang));
        for f in &cs.findings {
            let _ = writeln!(s, "  {} {}: {}", f.rule.id(), place(f), f.text(lang));
        }
    }
    if !written.is_empty() {
        let _ = writeln!(s, "{}", Text::Files.get(lang));
        for w in written {
            let _ = writeln!(s, "  {w}");
        }
    }
    s
}
