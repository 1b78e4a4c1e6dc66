//! `plan.md`: the change plan's [document](super::document) as Markdown.

use std::fmt::Write as _;

use super::document::{self, Block};
use crate::diff::ChangeSet;
use crate::i18n::Lang;
use crate::plan::Plan;
use crate::remap::Remap;
use crate::schema::Thresholds;

fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders blocks as Markdown (figures are left out).
pub fn render(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => {
                let _ = writeln!(s, "# {t}\n");
            }
            Block::Facts(facts) => {
                for (k, v) in facts {
                    let _ = writeln!(s, "- {k}：{v}");
                }
                let _ = writeln!(s);
            }
            Block::Heading { level, text, .. } => {
                let _ = writeln!(s, "{} {text}\n", "#".repeat(usize::from(*level)));
            }
            Block::Paragraph(p) => {
                let _ = writeln!(s, "{p}\n");
            }
            Block::Numbered(items) => {
                for (k, item) in items.iter().enumerate() {
                    let _ = writeln!(s, "{}. {item}", k + 1);
                }
                let _ = writeln!(s);
            }
            Block::Table(t) => {
                let _ = writeln!(s, "| {} |", t.head.join(" | "));
                let _ = writeln!(s, "|{}", "---|".repeat(t.head.len()));
                for r in t.rows.iter().chain(&t.foot) {
                    let cells: Vec<String> = r.iter().map(|c| esc(c)).collect();
                    let _ = writeln!(s, "| {} |", cells.join(" | "));
                }
                let _ = writeln!(s);
            }
            Block::Figure(_) => {}
        }
    }
    s
}

/// Renders the plan.
pub fn plan(plan: &Plan, remap: &Remap, cs: &ChangeSet, t: &Thresholds, lang: Lang) -> String {
    render(&document::plan(plan, remap, cs, t, lang))
}
