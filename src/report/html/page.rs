//! The page shell: head, style, table of contents, blocks, tables and the inline script.

use std::fmt::Write as _;

use super::esc;
use crate::i18n::html::{rows_cut, HtmlText as H};
use crate::i18n::Lang;
use crate::report::document::{Block, Figure, Table};

/// Rows a table shows on the page at most; the workbook and the CSV files hold every row.
pub const MAX_ROWS: usize = 2000;

const STYLE: &str = r#"
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 system-ui,-apple-system,"Segoe UI","Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;color:var(--ink)}
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:1.7em;margin:.4em 0}
h2{font-size:1.35em;border-bottom:1px solid var(--line);padding-bottom:.2em;margin-top:2em}
h3{font-size:1.1em;margin-top:1.5em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;color:var(--muted)}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
nav.toc{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:16px 0}
nav.toc ol{margin:0;padding-left:1.4em}nav.toc>ol{columns:2;column-gap:32px}nav.toc>ol>li{break-inside:avoid}nav.toc a{color:var(--accent);text-decoration:none}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 16px;min-width:150px;background:#fff}
.card b{display:block;font-size:1.8em;line-height:1.2}.card span{color:var(--muted);font-size:.9em}
.wrap{overflow-x:auto}
table.data{border-collapse:collapse;font-size:.9em;margin:8px 0 16px}
table.data th,table.data td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
table.data th{background:var(--bg);position:sticky;top:0;cursor:pointer;white-space:nowrap}
table.data th[aria-sort=ascending]::after{content:" ▲"}table.data th[aria-sort=descending]::after{content:" ▼"}
table.data td.n{text-align:right;font-variant-numeric:tabular-nums}
table.data tfoot td{font-weight:600;background:var(--bg)}
.tools{display:flex;gap:8px;align-items:center;margin-top:8px;font-size:.9em}
.tools input{padding:3px 6px;border:1px solid var(--line);border-radius:4px;min-width:14em}
p.cut,p.note{color:var(--muted);font-size:.9em}
figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}
figure.map svg{max-width:100%;height:auto;border:1px solid var(--line);background:#fff}
.street-maps{display:flex;flex-wrap:wrap;gap:16px}.street-maps figure{margin:0}
.street-maps svg{max-width:560px}
p.info:empty{display:none}p.info{font-size:.9em;background:var(--bg);padding:2px 8px;white-space:pre-line}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.9em}
ul.legend li{display:flex;align-items:center;gap:6px}
ul.legend svg{border:0}
path.grid,path.bg{fill:#fff;stroke:#b8c0c8;stroke-width:.5}
path.grid[class*=" r-"]{stroke:#333;stroke-width:1}
path.grid:hover,path.old:hover{stroke:#000;stroke-width:1.5}
path.old{fill:none;stroke:#444;stroke-width:1;stroke-dasharray:3 2}
path.street{fill:none;stroke:#555;stroke-width:1.5;pointer-events:none}
.grid.r-reshaped,.swatch.r-reshaped{fill:#f6d55c}.grid.r-recoded,.swatch.r-recoded{fill:#3caea3}
.grid.r-re-parented,.swatch.r-re-parented{fill:#5b8def}.grid.r-split,.swatch.r-split{fill:#ed553b}
.grid.r-merged,.swatch.r-merged{fill:#9b5de5}.grid.r-reorganised,.swatch.r-reorganised{fill:#a0522d}
.grid.r-added,.swatch.r-added{fill:#7ac74f}
path.old.r-removed{fill:#20639b;fill-opacity:.25;stroke:#20639b}
.swatch.r-removed{fill:#20639b;fill-opacity:.25;stroke:#20639b;stroke-dasharray:3 2}
circle.case{stroke:#fff;stroke-width:.6}circle.moved{fill:#d62728}circle.stays{fill:#1f77b4}
rect.owner{fill:#222;stroke:#fff;stroke-width:.6}
.chart svg{max-width:100%;height:auto}
line.axis{stroke:#888}text.tick,text.cat{font-size:11px;fill:#444}
rect.bar.before{fill:#9aa5b1}rect.bar.after{fill:#0969da}rect.bar.cases{fill:#0969da}
footer{color:var(--muted);font-size:.85em;margin-top:48px;border-top:1px solid var(--line);padding-top:8px}
@media print{.tools{display:none}table.data tr[hidden]{display:table-row}}
"#;

const SCRIPT: &str = r#"
(function () {
  'use strict';
  var PAGE = 50;
  function cell(row, col) { var c = row.cells[col]; return c ? c.textContent : ''; }
  function number(s) {
    var t = s.replace(/[,，\s]/g, '');
    if (t === '') { return null; }
    var v = Number(t);
    return isNaN(v) ? undefined : v;
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.data'), function (table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var shown = rows;
    var page = 0;
    var bar = document.createElement('div');
    bar.className = 'tools';
    var find = document.createElement('input');
    find.type = 'search';
    find.placeholder = table.getAttribute('data-search') || '';
    var prev = document.createElement('button');
    prev.type = 'button';
    prev.textContent = table.getAttribute('data-prev') || '<';
    var where = document.createElement('span');
    var next = document.createElement('button');
    next.type = 'button';
    next.textContent = table.getAttribute('data-next') || '>';
    bar.appendChild(find);
    bar.appendChild(prev);
    bar.appendChild(where);
    bar.appendChild(next);
    table.parentNode.insertBefore(bar, table);
    function draw() {
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      if (page >= pages) { page = pages - 1; }
      rows.forEach(function (r) { r.hidden = true; });
      shown.forEach(function (r, k) { r.hidden = Math.floor(k / PAGE) !== page; });
      where.textContent = (page + 1) + ' / ' + pages + ' · ' + shown.length;
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    function filter() {
      var q = find.value.trim().toLowerCase();
      shown = rows.filter(function (r) { return q === '' || r.textContent.toLowerCase().indexOf(q) >= 0; });
      page = 0;
      draw();
    }
    find.addEventListener('input', filter);
    prev.addEventListener('click', function () { page -= 1; draw(); });
    next.addEventListener('click', function () { page += 1; draw(); });
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        var numeric = rows.every(function (r) { return number(cell(r, col)) !== undefined; });
        rows.sort(function (a, b) {
          var x = cell(a, col), y = cell(b, col);
          if (numeric) {
            var p = number(x), q = number(y);
            if (p === q) { return 0; }
            if (p === null) { return -dir; }
            if (q === null) { return dir; }
            return (p - q) * dir;
          }
          return x.localeCompare(y, 'zh-CN') * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        filter();
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
    });
    draw();
  });
  Array.prototype.forEach.call(document.querySelectorAll('figure.map'), function (fig) {
    var info = fig.querySelector('p.info');
    if (!info) { return; }
    fig.addEventListener('mouseover', function (e) {
      var t = e.target && e.target.querySelector ? e.target.querySelector('title') : null;
      if (t) { info.textContent = t.textContent; }
    });
  });
}());
"#;

/// Whether a cell reads as a number (right-aligned): an optional sign, digits, commas and at
/// most one decimal point.
fn numeric(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
        && body.matches('.').count() <= 1
}

fn row(s: &mut String, cells: &[String]) {
    s.push_str("<tr>");
    for c in cells {
        if numeric(c) {
            let _ = write!(s, r#"<td class="n">{}</td>"#, esc(c));
        } else {
            let _ = write!(s, "<td>{}</td>", esc(c));
        }
    }
    s.push_str("</tr>\n");
}

fn table(s: &mut String, t: &Table, lang: Lang) {
    let _ = write!(
        s,
        r#"<div class="wrap"><table class="data" id="{}" data-search="{}" data-prev="{}" data-next="{}"><thead><tr>"#,
        esc(&t.id),
        esc(H::Search.get(lang)),
        esc(H::Previous.get(lang)),
        esc(H::Next.get(lang))
    );
    for h in &t.head {
        let _ = write!(s, r#"<th scope="col">{}</th>"#, esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in t.rows.iter().take(MAX_ROWS) {
        row(s, r);
    }
    s.push_str("</tbody>");
    if !t.foot.is_empty() {
        s.push_str("<tfoot>");
        for r in &t.foot {
            row(s, r);
        }
        s.push_str("</tfoot>");
    }
    s.push_str("</table></div>\n");
    if t.rows.len() > MAX_ROWS {
        let _ = writeln!(
            s,
            r#"<p class="cut">{}</p>"#,
            esc(&rows_cut(t.rows.len(), MAX_ROWS, lang))
        );
    }
}

fn toc(s: &mut String, blocks: &[Block], lang: Lang) {
    let _ = write!(
        s,
        r#"<nav class="toc" aria-label="{0}"><b>{0}</b><ol>"#,
        esc(H::Contents.get(lang))
    );
    let mut open_sub = false;
    let mut open_section = false;
    for b in blocks {
        if let Block::Heading { level, id, text } = b {
            if *level == 2 {
                if open_sub {
                    s.push_str("</ol>");
                    open_sub = false;
                }
                if open_section {
                    s.push_str("</li>");
                }
                let _ = write!(s, r##"<li><a href="#{}">{}</a>"##, esc(id), esc(text));
                open_section = true;
            } else {
                if !open_sub {
                    s.push_str("<ol>");
                    open_sub = true;
                }
                let _ = write!(s, r##"<li><a href="#{}">{}</a></li>"##, esc(id), esc(text));
            }
        }
    }
    if open_sub {
        s.push_str("</ol>");
    }
    if open_section {
        s.push_str("</li>");
    }
    s.push_str("</ol></nav>\n");
}

/// Renders blocks as a page; `figure` draws each figure (or nothing).
pub fn render(blocks: &[Block], mut figure: impl FnMut(Figure) -> String, lang: Lang) -> String {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("gridkeeper");
    let mut s = String::with_capacity(1 << 16);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"gridkeeper {}\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
        H::LangTag.get(lang),
        crate::VERSION,
        esc(title),
        STYLE
    );
    for b in blocks {
        match b {
            Block::Title(t) => {
                let _ = writeln!(s, "<h1>{}</h1>", esc(t));
            }
            Block::Facts(facts) => {
                s.push_str(r#"<dl class="facts">"#);
                for (k, v) in facts {
                    let _ = write!(s, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
                }
                s.push_str("</dl>\n");
                toc(&mut s, blocks, lang);
            }
            Block::Heading { level, id, text } => {
                let _ = writeln!(s, r#"<h{level} id="{}">{}</h{level}>"#, esc(id), esc(text));
            }
            Block::Paragraph(p) => {
                let _ = writeln!(s, "<p>{}</p>", esc(p));
            }
            Block::Numbered(items) => {
                s.push_str("<ol>");
                for item in items {
                    let _ = write!(s, "<li>{}</li>", esc(item));
                }
                s.push_str("</ol>\n");
            }
            Block::Table(t) => table(&mut s, t, lang),
            Block::Figure(f) => s.push_str(&figure(*f)),
        }
    }
    let _ = write!(
        s,
        "<footer>{}</footer>\n</main>\n<script>{}</script>\n</body>\n</html>\n",
        esc(H::Footer.get(lang)),
        SCRIPT
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(rows: usize) -> Table {
        Table {
            id: "t1".into(),
            head: vec!["编号".into(), "说明".into()],
            rows: (0..rows)
                .map(|k| vec![k.to_string(), "<b>&</b>".to_string()])
                .collect(),
            foot: vec![vec!["合计".into(), String::new()]],
        }
    }

    #[test]
    fn tables_escape_and_align_numbers() {
        let mut s = String::new();
        table(&mut s, &t(2), Lang::Zh);
        assert!(s.contains(r#"<tr><td class="n">1</td><td>&lt;b&gt;&amp;&lt;/b&gt;</td></tr>"#));
        assert!(s.contains("<tfoot><tr><td>合计</td><td></td></tr>\n</tfoot>"));
        assert!(!s.contains("<p class=\"cut\">"));
    }

    #[test]
    fn long_tables_are_cut_with_a_note() {
        let mut s = String::new();
        table(&mut s, &t(MAX_ROWS + 5), Lang::En);
        assert_eq!(s.matches("<tr><td class=\"n\">").count(), MAX_ROWS);
        assert!(s.contains(&format!("{}", MAX_ROWS + 5)));
        assert!(s.contains("<p class=\"cut\">"));
    }

    #[test]
    fn numbers_are_told_from_codes_with_letters() {
        assert!(numeric("+12.50"));
        assert!(numeric("350582001001"));
        assert!(!numeric("2024-05"), "months are text");
        assert!(!numeric(""));
        assert!(!numeric("A12"));
    }
}
