//! `gridkeeper schema list|show|export`.

use std::fmt::Write as _;

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
                let _ = writeln!(
                    s,
                    "{:<15} {}: {} {}, {} {}",
                    p.name,
                    p.title,
                    ctx.lang.pick("网格编码", "grid code"),
                    len(LayerKind::Grids),
                    ctx.lang.pick("部件编码", "component code"),
                    len(LayerKind::Components),
                );
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
                eprintln!(
                    "{} {} → {}",
                    ctx.lang.pick("已导出配置", "exported profile"),
                    p.name,
                    dir.display()
                );
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
    let _ = writeln!(
        s,
        "{}: {}",
        lang.pick("必需图层", "required layers"),
        req.join(", ")
    );
    for (kind, l) in &p.layers {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "[{}] {} · {} {}",
            kind.name(),
            kind.chinese(),
            lang.pick("几何", "geometry"),
            l.geometry.name()
        );
        for f in &l.table.fields {
            let mut flags = Vec::new();
            if f.constraints.required {
                flags.push(lang.pick("必填", "required").to_string());
            }
            if f.constraints.unique || l.primary_key == [f.name.clone()] {
                flags.push(lang.pick("唯一", "unique").to_string());
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
            let _ = writeln!(
                s,
                "  {}: {} = {} {}",
                lang.pick("编码", "code"),
                segs.join(" + "),
                c.length,
                lang.pick("位", "characters")
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{} (--set name=value):", lang.pick("阈值", "thresholds"));
    if let Ok(table) = toml::Table::try_from(&p.thresholds) {
        for (k, v) in table {
            let _ = writeln!(s, "  {k} = {v}");
        }
    }
    for (name, t) in &p.tables {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{} {name}: {} {}",
            lang.pick("表", "table"),
            t.rows.len(),
            lang.pick("行", "rows")
        );
    }
    s
}
