//! `plan.html`: valid, self-contained, drawn from the data, escaped — and, in headless
//! Chromium, it loads without console errors, its script runs, and it makes a screenshot.
//!
//! The browser test looks for `chromium` (Debian's package; `.ci/run` installs it), then
//! `chromium-browser`, `google-chrome`, or the program in `GRIDKEEPER_BROWSER`; where none is
//! installed it says so and passes. `GRIDKEEPER_UPDATE_SCREENSHOT=1` also copies the
//! screenshot to `docs/plan-demo.png`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{parse_document, ParseOpts};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

use gridkeeper::{dataset, diff, LayerKind};

use common::{fixture, gk, gk_ok, plan_fixture, root};

mod common;

/// The demo district, written once for all tests of this file.
fn demo() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("demo");
        gk_ok(&[
            "demo",
            "--out",
            out.to_str().expect("utf-8 path"),
            "--quiet",
        ]);
        dir
    })
    .path()
}

fn demo_page() -> String {
    std::fs::read_to_string(demo().join("demo/plan/plan.html")).expect("plan.html")
}

/// Parses a page, asserting the HTML5 parser reports no error.
fn parse(html: &str) -> RcDom {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let dom = parse_document(RcDom::default(), opts)
        .from_utf8()
        .read_from(&mut html.as_bytes())
        .expect("parse");
    assert!(
        dom.errors.borrow().is_empty(),
        "HTML parse errors: {:?}",
        dom.errors.borrow()
    );
    dom
}

fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

fn tag(node: &Handle) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

/// Every element under `node` (itself included), in document order.
fn elements(node: &Handle, out: &mut Vec<Handle>) {
    if tag(node).is_some() {
        out.push(node.clone());
    }
    for c in node.children.borrow().iter() {
        elements(c, out);
    }
}

fn all(dom: &RcDom) -> Vec<Handle> {
    let mut v = Vec::new();
    elements(&dom.document, &mut v);
    v
}

fn text(node: &Handle) -> String {
    let mut s = String::new();
    fn walk(n: &Handle, s: &mut String) {
        if let NodeData::Text { contents } = &n.data {
            s.push_str(&contents.borrow());
        }
        for c in n.children.borrow().iter() {
            walk(c, s);
        }
    }
    walk(node, &mut s);
    s
}

fn by_id(dom: &RcDom, id: &str) -> Handle {
    all(dom)
        .into_iter()
        .find(|e| attr(e, "id").as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no element #{id}"))
}

#[test]
fn the_demo_page_is_valid_html_and_loads_nothing_from_outside() {
    let page = demo_page();
    let dom = parse(&page);
    let elems = all(&dom);
    // one inline script, no external resources of any kind
    let scripts: Vec<&Handle> = elems
        .iter()
        .filter(|e| tag(e).as_deref() == Some("script"))
        .collect();
    assert_eq!(scripts.len(), 1);
    assert_eq!(attr(scripts[0], "src"), None);
    for e in &elems {
        for a in ["src", "href", "xlink:href"] {
            if let Some(v) = attr(e, a) {
                assert!(
                    v.starts_with('#'),
                    "<{:?} {a}={v}> points outside the page",
                    tag(e)
                );
            }
        }
        assert!(
            !matches!(
                tag(e).as_deref(),
                Some("link" | "img" | "iframe" | "object" | "embed")
            ),
            "external element {:?}",
            tag(e)
        );
    }
    assert!(!page.contains("url("), "CSS loads something");
    assert!(!page.contains("@import"));
    assert_eq!(
        elems
            .iter()
            .find(|e| tag(e).as_deref() == Some("html"))
            .and_then(|h| attr(h, "lang"))
            .as_deref(),
        Some("zh-CN")
    );
    // the six sections (the demo has duty layers), in order, each in the table of contents
    let h2: Vec<String> = elems
        .iter()
        .filter(|e| tag(e).as_deref() == Some("h2"))
        .map(text)
        .collect();
    assert_eq!(h2.len(), 6);
    assert!(h2[0].starts_with("一、基本情况"), "{h2:?}");
    assert!(h2[4].starts_with("五、历史案件对照表"), "{h2:?}");
    assert!(h2[5].starts_with("六、责任网格工作量"), "{h2:?}");
    let toc: Vec<String> = elems
        .iter()
        .filter(|e| tag(e).as_deref() == Some("a"))
        .filter_map(|e| attr(e, "href"))
        .collect();
    for k in 1..=6 {
        assert!(toc.contains(&format!("#s{k}")), "no #s{k} in {toc:?}");
    }
}

#[test]
fn the_district_map_draws_every_grid_and_the_legend_counts_the_change_set() {
    let dir = demo().join("demo");
    let (old, profile) = dataset::load(&dir.join("2025"), &Default::default()).expect("2025");
    let (new, _) = dataset::load(&dir.join("2026"), &Default::default()).expect("2026");
    let cs = diff::run(&old, &new, &profile, &profile.thresholds).expect("diff");
    let grids = new.layer(LayerKind::Grids).expect("grids");
    let drawable = (0..grids.len())
        .filter(|&i| grids.geometry(i).is_some())
        .count();

    let dom = parse(&demo_page());
    let map = by_id(&dom, "district-map");
    let mut inside = Vec::new();
    elements(&map, &mut inside);
    let grid_paths: Vec<&Handle> = inside
        .iter()
        .filter(|e| tag(e).as_deref() == Some("path"))
        .filter(|e| attr(e, "class").is_some_and(|c| c.split(' ').next() == Some("grid")))
        .collect();
    assert_eq!(grid_paths.len(), drawable);
    assert!(drawable > 900, "{drawable}");
    // each grid's path carries its code, and the codes are this year's
    let codes: Vec<String> = grid_paths
        .iter()
        .filter_map(|p| attr(p, "data-code"))
        .collect();
    let expected: Vec<String> = (0..grids.len())
        .filter(|&i| grids.geometry(i).is_some())
        .map(|i| grids.key(i))
        .collect();
    assert_eq!(codes, expected);
    // coloured grids: every new grid of a changed group, by its group's relation
    let d = cs.layer(LayerKind::Grids).expect("grid diff");
    let mut coloured: BTreeMap<String, usize> = BTreeMap::new();
    for p in &grid_paths {
        let class = attr(p, "class").unwrap_or_default();
        if let Some(r) = class.split(' ').find_map(|c| c.strip_prefix("r-")) {
            *coloured.entry(r.to_string()).or_default() += 1;
        }
    }
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for g in d.changed() {
        if !g.new.is_empty() {
            *expected.entry(g.relation.id().to_string()).or_default() += g.new.len();
        }
    }
    assert_eq!(coloured, expected);

    // the legend: one entry per relation with its count of groups
    let legend: BTreeMap<String, usize> = all(&dom)
        .iter()
        .filter_map(|e| Some((attr(e, "data-relation")?, attr(e, "data-count")?)))
        .map(|(r, n)| (r, n.parse().expect("count")))
        .collect();
    let counts: BTreeMap<String, usize> = d
        .counts()
        .into_iter()
        .filter(|(r, _)| r.id() != "unchanged")
        .map(|(r, n)| (r.id().to_string(), n))
        .collect();
    assert_eq!(legend, counts);
    assert!(legend.len() >= 6, "the demo has most relations: {legend:?}");

    // removed grids are drawn from last year's boundaries
    let removed = inside
        .iter()
        .filter(|e| attr(e, "class").as_deref() == Some("old r-removed"))
        .count();
    assert_eq!(removed, counts.get("removed").copied().unwrap_or(0));

    // the cases drawn: one dot per involved case with a point, split as the legend says
    let dots: Vec<String> = inside
        .iter()
        .filter(|e| tag(e).as_deref() == Some("circle"))
        .filter_map(|e| attr(e, "class"))
        .collect();
    let legend_cases = |k: &str| -> usize {
        all(&dom)
            .iter()
            .find(|e| attr(e, "data-cases").as_deref() == Some(k))
            .and_then(|e| attr(e, "data-count"))
            .map_or(0, |n| n.parse().expect("count"))
    };
    assert_eq!(
        dots.iter().filter(|c| *c == "case moved").count(),
        legend_cases("moved")
    );
    assert_eq!(
        dots.iter().filter(|c| *c == "case stays").count(),
        legend_cases("stays")
    );
    assert!(legend_cases("moved") > 0 && legend_cases("stays") > 0);
    // components with a new owner
    let owners = cs
        .components
        .iter()
        .filter(|c| c.change == diff::Change::OwnerChanged)
        .count();
    let squares = inside
        .iter()
        .filter(|e| attr(e, "class").as_deref() == Some("owner"))
        .count();
    assert_eq!(squares, owners);
}

#[test]
fn tables_carry_every_row_and_charts_every_town() {
    let dom = parse(&demo_page());
    let elems = all(&dom);
    // the tables before the sixth section (责任网格工作量): the cross-reference table last
    let sixth = elems
        .iter()
        .position(|e| attr(e, "id").as_deref() == Some("s6"))
        .expect("section six");
    let tables: Vec<&Handle> = elems[..sixth]
        .iter()
        .filter(|e| attr(e, "class").as_deref() == Some("data"))
        .collect();
    assert!(tables.len() >= 10, "{}", tables.len());
    // the cross-reference table: as many rows as case_crosswalk.csv has cases involved
    let crosswalk = std::fs::read_to_string(demo().join("demo/plan/case_crosswalk.csv"))
        .expect("case_crosswalk.csv");
    let involved = crosswalk.lines().skip(1).filter(|l| !l.is_empty()).count();
    let last = tables.last().expect("a table");
    let mut rows = Vec::new();
    elements(last, &mut rows);
    let body_rows = rows
        .iter()
        .filter(|e| tag(e).as_deref() == Some("tr"))
        .count()
        - 1;
    assert!(involved > 0);
    assert_eq!(body_rows, involved.min(gridkeeper::report::html::MAX_ROWS));
    // one pair of bars per street in the area chart
    let chart = by_id(&dom, "chart-area");
    let mut bars = Vec::new();
    elements(&chart, &mut bars);
    let n = bars
        .iter()
        .filter(|e| {
            attr(e, "class").as_deref() == Some("bar before") && tag(e).as_deref() == Some("rect")
        })
        .count();
    assert_eq!(n, 5 + 1, "five streets and the legend's swatch");
}

#[test]
fn case_text_is_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    // the plan fixture's cases with a description column carrying markup
    let cases = std::fs::read_to_string(fixture("plan/cases.csv")).expect("cases");
    let mut out = String::new();
    for (k, line) in cases.lines().enumerate() {
        let extra = match k {
            0 => "description",
            2 => "\"<script>alert('x')</script> & 井盖\"",
            _ => "路面破损",
        };
        out.push_str(&format!("{line},{extra}\n"));
    }
    let path = dir.path().join("cases.csv");
    std::fs::write(&path, out).expect("write cases");
    let plan = dir.path().join("plan");
    gk_ok(&[
        "plan",
        "fixtures/plan/old",
        "fixtures/plan/new",
        "--cases",
        path.to_str().expect("utf-8"),
        "--out",
        plan.to_str().expect("utf-8"),
    ]);
    let page = std::fs::read_to_string(plan.join("plan.html")).expect("plan.html");
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 井盖"));
    let dom = parse(&page);
    let elems = all(&dom);
    assert_eq!(
        elems
            .iter()
            .filter(|e| tag(e).as_deref() == Some("script"))
            .count(),
        1,
        "only the page's own script"
    );
    // the description shows as text in a cell of the cross-reference table
    assert!(elems.iter().any(
        |e| tag(e).as_deref() == Some("td") && text(e) == "<script>alert('x')</script> & 井盖"
    ));
    // and the Markdown holds it too, under its own column
    let md = std::fs::read_to_string(plan.join("plan.md")).expect("plan.md");
    assert!(md.contains("| 案件编号 | 上报时间 | 类型 | 问题描述 | 状态 |"));
}

/// The titles of a chart's bars (`本版: 4`; the legend's swatches have none).
fn bar_titles(dom: &RcDom, id: &str) -> Vec<String> {
    let mut inside = Vec::new();
    elements(&by_id(dom, id), &mut inside);
    inside
        .iter()
        .filter(|e| tag(e).as_deref() == Some("title"))
        .map(text)
        .collect()
}

#[test]
fn the_charts_show_each_towns_cases_and_quota_base_before_and_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    plan_fixture(&out);
    let dom = parse(&std::fs::read_to_string(out.join("plan.html")).expect("plan.html"));
    // the same numbers as the town table of section 3: 青阳街道 5 → 4 (C13 is unresolved)
    let md = std::fs::read_to_string(out.join("plan.md")).expect("plan.md");
    let town_rows: Vec<Vec<&str>> = md
        .lines()
        .filter(|l| l.starts_with("| 350582001 |") || l.starts_with("| 350582101 |"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect::<Vec<_>>()
        })
        .filter(|r| r.len() == 12)
        .collect();
    assert_eq!(town_rows.len(), 2);
    let mut expected = Vec::new();
    for r in &town_rows {
        expected.push(format!("上一版: {}", r[2]));
        expected.push(format!("本版: {}", r[3]));
    }
    assert_eq!(bar_titles(&dom, "chart-town-cases"), expected);
    assert_eq!(town_rows[0][2..4], ["5", "4"]);
    // the quota base, to one decimal
    let one = |v: &str| {
        format!("{:.1}", v.parse::<f64>().expect("quota"))
            .trim_end_matches(".0")
            .to_string()
    };
    let mut expected = Vec::new();
    for r in &town_rows {
        expected.push(format!("上一版: {}", one(r[10])));
        expected.push(format!("本版: {}", one(r[11])));
    }
    assert_eq!(bar_titles(&dom, "chart-quota"), expected);
}

#[test]
fn check_html_shows_the_center_every_finding_of_a_tampered_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("check.html");
    let json = dir.path().join("check.json");
    let o = gk(&[
        "check",
        "fixtures/submissions/tampered",
        "--prior",
        "fixtures/plan/old",
        "--cases",
        "fixtures/plan/cases.csv",
        "--format",
        "json",
        "-o",
        json.to_str().expect("utf-8"),
        "--html",
        page.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the tampered crosswalks are errors"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parse json");
    let findings = report["findings"].as_array().expect("findings");
    let dom = parse(&std::fs::read_to_string(&page).expect("check.html"));
    let elems = all(&dom);
    // the cards
    let card = |key: &str| -> String {
        let c = elems
            .iter()
            .find(|e| attr(e, "data-key").as_deref() == Some(key))
            .unwrap_or_else(|| panic!("no card {key}"));
        let mut inner = Vec::new();
        elements(c, &mut inner);
        text(&inner[1])
    };
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(card("errors"), errors.to_string());
    assert_eq!(errors, 3);
    assert_eq!(card("lead"), "30");
    assert_eq!(card("sections"), "5/5");
    assert_eq!(card("cases"), "9/11");
    assert_eq!(card("grids"), "16/17");
    // per rule: the rows of the first table
    let rows = |id: &str| -> Vec<Vec<String>> {
        let mut inside = Vec::new();
        elements(&by_id(&dom, id), &mut inside);
        inside
            .iter()
            .filter(|e| tag(e).as_deref() == Some("tr"))
            .skip(1)
            .map(|tr| {
                let mut cells = Vec::new();
                elements(tr, &mut cells);
                cells
                    .iter()
                    .filter(|c| tag(c).as_deref() == Some("td"))
                    .map(text)
                    .collect()
            })
            .collect()
    };
    let per_rule: Vec<(String, String)> = rows("t1")
        .into_iter()
        .map(|r| (r[0].clone(), r[3].clone()))
        .collect();
    assert_eq!(
        per_rule,
        [
            ("XWALK-CASE-GRID", "1"),
            ("XWALK-CASE-MISSING", "1"),
            ("XWALK-GRID-MISSING", "1"),
            ("COVER-VERTEX-MISMATCH", "4"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // every finding, with its message, in report order
    let all_rows = rows("t2");
    assert_eq!(all_rows.len(), findings.len());
    for (row, f) in all_rows.iter().zip(findings) {
        assert_eq!(row[0], f["rule"].as_str().expect("rule"));
        assert_eq!(row[3], f["message"].as_str().expect("message"));
    }
    assert_eq!(
        bar_titles(&dom, "chart-findings"),
        ["条数: 1", "条数: 1", "条数: 1", "条数: 4"]
    );
}

/// The browser to test with, if one is installed.
fn browser() -> Option<String> {
    let candidates = std::env::var("GRIDKEEPER_BROWSER")
        .ok()
        .into_iter()
        .chain(["chromium", "chromium-browser", "google-chrome"].map(String::from));
    candidates.into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn headless(browser: &str, args: &[&str], page: &Path) -> std::process::Output {
    let profile = tempfile::tempdir().expect("profile dir");
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.path().display()),
        ])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run the browser")
}

#[test]
fn chromium_renders_the_demo_plan_without_console_errors() {
    let Some(browser) = browser() else {
        eprintln!(
            "SKIPPED: no headless browser (chromium, chromium-browser, google-chrome or \
             GRIDKEEPER_BROWSER) is installed; `.ci/run` installs Debian's chromium"
        );
        return;
    };
    let page = demo().join("demo/plan/plan.html");
    let o = headless(&browser, &["--dump-dom"], &page);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    // the DOM after the script ran: it added the tools (search, paging) to every table and
    // hid the rows past the first page of the long ones
    let dom_text = String::from_utf8_lossy(&o.stdout);
    let tables = dom_text.matches("<table class=\"data\"").count();
    assert!(tables >= 10);
    assert_eq!(dom_text.matches("<div class=\"tools\">").count(), tables);
    assert!(dom_text.contains("<input type=\"search\" placeholder=\"搜索…\">"));
    assert!(
        dom_text.contains("<tr hidden=\"\">"),
        "long tables are paged"
    );
    assert_eq!(
        dom_text.matches("<path class=\"grid").count(),
        demo_page().matches("<path class=\"grid").count(),
        "the script leaves the maps alone"
    );

    // a screenshot
    let shot = demo().join("plan-demo.png");
    let o = headless(
        &browser,
        &[
            "--window-size=1280,1700",
            &format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(png.len() > 20_000, "{} bytes: an empty page?", png.len());
    if std::env::var_os("GRIDKEEPER_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&shot, root().join("docs/plan-demo.png")).expect("copy the screenshot");
    }
}
