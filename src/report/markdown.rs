//! `plan.md`: the change plan's [document](super::document) as Markdown.

use std::fmt::Write as _;

use super::document::{self, Block};
use crate::diff::ChangeSet;
use crate::i18n::Lang;
use crate::plan::Plan;
use crate::remap::Remap;
use crate::schema::Thresholds;

/// A table cell's text: `|` escaped, and every line break (`\r\n`, `\r`, `\n`, and the
/// Unicode line and paragraph separators) a space, so that a case description written on
/// several lines stays in its row.
fn esc(s: &str) -> String {
    s.replace('|', "\\|")
        .replace("\r\n", " ")
        .replace(['\r', '\n', '\u{2028}', '\u{2029}'], " ")
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

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn cells_keep_to_their_row() {
        assert_eq!(esc("路面破损\r\n位于XX路"), "路面破损 位于XX路");
        assert_eq!(esc("a\rb\nc|d"), "a b c\\|d");
        assert_eq!(esc("x\u{2028}y"), "x y");
    }
}
