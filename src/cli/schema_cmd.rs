//! `gridkeeper schema list|show|export`.

use std::fmt::Write as _;

use gridkeeper::i18n::{Say, Text};
use gridkeeper::schema::{Profile, BUILTIN_NAMES};
use gridkeeper::{LayerKind, Result};

use super::args::SchemaAction;
use super::Context;

pub fn run(ctx: &Context, action: SchemaAction) -> Result<i32> {
    match action {
        SchemaAction::List => {
            let mut s = String::new();
            for name in BUILTIN_NAMES {
                let p = Profile::builtin(name)?;
                let len = |k| {
                    p.layer(k)
                        .and_then(|l| l.code.as_ref())
                        .map_or("-".to_string(), |c| c.length.to_string())
                };
                let codes = Say::CodeLengths {
                    grid: len(LayerKind::Grids),
                    component: len(LayerKind::Components),
                };
                let _ = writeln!(s, "{:<15} {}: {}", p.name, p.title, codes.render(ctx.lang));
            }
            super::print(&s);
        }
        SchemaAction::Show { name } => {
            let p = Profile::resolve(&name, None)?;
            super::print(&describe(&p, ctx));
        }
        SchemaAction::Export { name, dir } => {
            let p = Profile::resolve(&name, None)?;
            p.export(&dir)?;
            if !ctx.quiet {
                let done = Say::Exported {
                    profile: p.name.clone(),
                    dir: dir.display().to_string(),
                };
                eprintln!("{}", done.render(ctx.lang));
            }
        }
    }
    Ok(0)
}

fn describe(p: &Profile, ctx: &Context) -> String {
    let lang = ctx.lang;
    let mut s = String::new();
    let _ = writeln!(s, "{} — {}", p.name, p.title);
    for line in p.description.lines().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(s, "  {line}");
    }
    let req: Vec<&str> = p.required_layers.iter().map(|k| k.name()).collect();
    let _ = writeln!(s, "{}: {}", Text::RequiredLayers.get(lang), req.join(", "));
    for (kind, l) in &p.layers {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "[{}] {} · {} {}",
            kind.name(),
            kind.chinese(),
            Text::Geometry.get(lang),
            l.geometry.name()
        );
        for f in &l.table.fields {
            let mut flags = Vec::new();
            if f.constraints.required {
                flags.push(Text::Required.get(lang).to_string());
            }
            if f.constraints.unique || l.primary_key == [f.name.clone()] {
                flags.push(Text::Unique.get(lang).to_string());
            }
            if let Some(e) = &f.constraints.allowed {
                let vals: Vec<String> =
                    e.iter().map(gridkeeper::schema::value::json_text).collect();
                flags.push(vals.join("|"));
            }
            let _ = writeln!(
                s,
                "  {:<11} {:<7} {:<16} {:<14} {}",
                f.name,
                f.kind.name(),
                f.title.as_deref().unwrap_or(""),
                flags.join(" "),
                f.aliases.join(" ")
            );
        }
        if let Some(c) = &l.code {
            let segs: Vec<String> = c
                .segments
                .iter()
                .map(|s| format!("{}({})", s.name, s.range.len()))
                .collect();
            let layout = Say::CodeLayout {
                segments: segs.join(" + "),
                length: c.length,
            };
            let _ = writeln!(s, "  {}", layout.render(lang));
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{} (--set name=value):", Text::Thresholds.get(lang));
    if let Ok(table) = toml::Table::try_from(&p.thresholds) {
        for (k, v) in table {
            let _ = writeln!(s, "  {k} = {v}");
        }
    }
    for (name, t) in &p.tables {
        let _ = writeln!(s);
        let rows = Say::TableRows {
            name: name.clone(),
            rows: t.rows.len(),
        };
        let _ = writeln!(s, "{}", rows.render(lang));
    }
    s
}
