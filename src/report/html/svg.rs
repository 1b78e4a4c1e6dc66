//! Inline SVG: maps drawn from the data (simplified to screen resolution) and bar charts.

use std::fmt::Write as _;

use geo::{Coord, Rect};

use super::esc;

/// A polygon to draw: its rings in map coordinates, CSS class, data code and tooltip.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Rings (exterior and holes of every part).
    pub rings: Vec<Vec<Coord>>,
    /// CSS classes.
    pub class: String,
    /// `data-code`.
    pub code: String,
    /// The tooltip (an SVG `<title>`: shown without script too).
    pub title: String,
}

/// A point to draw.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Where, in map coordinates.
    pub at: Coord,
    /// CSS classes.
    pub class: String,
    /// The tooltip.
    pub title: String,
}

/// Maps map coordinates to pixels (y down), snapped to `step` tenths of a pixel.
struct Frame {
    min: Coord,
    max_y: f64,
    k: f64,
    step: i64,
}

impl Frame {
    fn new(bbox: Rect, width: f64, step: i64) -> (Frame, f64) {
        let w = (bbox.max().x - bbox.min().x).max(1e-9);
        let h = (bbox.max().y - bbox.min().y).max(1e-9);
        let k = width / w;
        (
            Frame {
                min: bbox.min(),
                max_y: bbox.max().y,
                k,
                step: step.max(1),
            },
            (h * k).ceil(),
        )
    }

    /// In tenths of a pixel, a multiple of `step`. A vertex far outside the map (a stray
    /// coordinate 10^20 m off) is drawn at most a billion pixels away, so that the sums and
    /// differences of the path stay within `i64`.
    fn px(&self, c: Coord) -> (i64, i64) {
        let snap = |v: f64| {
            let v = v.clamp(-FAR_PX, FAR_PX);
            ((v * 10.0 / self.step as f64).round() as i64) * self.step
        };
        (
            snap((c.x - self.min.x) * self.k),
            snap((self.max_y - c.y) * self.k),
        )
    }
}

/// The farthest a vertex is drawn from the map, in pixels.
const FAR_PX: f64 = 1e9;

fn tenth(v: i64) -> String {
    if v % 10 == 0 {
        (v / 10).to_string()
    } else {
        format!("{:.1}", v as f64 / 10.0)
    }
}

/// An SVG path for rings, simplified to the frame's resolution: consecutive vertices that
/// snap to the same point are one; rings that shrink below a triangle are dropped. Each ring
/// starts absolute (`M`) and goes on in relative steps (`l`), which keeps the numbers short.
fn path_data(frame: &Frame, rings: &[Vec<Coord>], d: &mut String) {
    let mut pts: Vec<(i64, i64)> = Vec::new();
    for ring in rings {
        pts.clear();
        for &c in ring {
            let p = frame.px(c);
            if pts.last() != Some(&p) {
                pts.push(p);
            }
        }
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        if pts.len() < 3 {
            continue;
        }
        let (x0, y0) = pts[0];
        let _ = write!(d, "M{},{}l", tenth(x0), tenth(y0));
        for (k, w) in pts.windows(2).enumerate() {
            if k > 0 {
                d.push(' ');
            }
            let _ = write!(d, "{},{}", tenth(w[1].0 - w[0].0), tenth(w[1].1 - w[0].1));
        }
        d.push('Z');
    }
}

/// Shapes drawn above this many in one map are snapped to whole pixels, not tenths.
const FINE_LIMIT: usize = 5000;

/// What one map shows.
#[derive(Debug, Default)]
pub struct Layers<'a> {
    /// Drawn as one `<path class="bg">` without tooltips (context, e.g. unchanged grids).
    pub background: Vec<&'a Shape>,
    /// One `<path>` each, with their class, `data-code` and tooltip.
    pub shapes: Vec<&'a Shape>,
    /// Drawn over the shapes, the same way.
    pub overlays: Vec<&'a Shape>,
    /// Circles.
    pub dots: Vec<&'a Mark>,
    /// Squares.
    pub squares: Vec<&'a Mark>,
}

/// A map of `layers`; `bbox` is the extent shown, `width` the width in pixels.
pub fn map(id: &str, bbox: Rect, width: f64, layers: &Layers) -> String {
    let drawn = layers.background.len() + layers.shapes.len() + layers.overlays.len();
    let step = if drawn > FINE_LIMIT { 10 } else { 1 };
    let (frame, height) = Frame::new(bbox, width, step);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="{id}" class="map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" role="img">"#
    );
    if !layers.background.is_empty() {
        let mut d = String::new();
        for sh in &layers.background {
            path_data(&frame, &sh.rings, &mut d);
        }
        if !d.is_empty() {
            let _ = write!(s, r#"<path class="bg" d="{d}"/>"#);
        }
    }
    let mut d = String::new();
    for sh in layers.shapes.iter().chain(&layers.overlays) {
        d.clear();
        path_data(&frame, &sh.rings, &mut d);
        if d.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            r#"<path class="{}" data-code="{}" d="{d}"><title>{}</title></path>"#,
            esc(&sh.class),
            esc(&sh.code),
            esc(&sh.title)
        );
    }
    for m in &layers.dots {
        let (x, y) = frame.px(m.at);
        let _ = write!(
            s,
            r#"<circle class="{}" cx="{}" cy="{}" r="2.5"><title>{}</title></circle>"#,
            esc(&m.class),
            tenth(x),
            tenth(y),
            esc(&m.title)
        );
    }
    for m in &layers.squares {
        let (x, y) = frame.px(m.at);
        let _ = write!(
            s,
            r#"<rect class="{}" x="{}" y="{}" width="6" height="6"><title>{}</title></rect>"#,
            esc(&m.class),
            tenth(x - 30),
            tenth(y - 30),
            esc(&m.title)
        );
    }
    s.push_str("</svg>");
    s
}

/// One series of a bar chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Its name (legend).
    pub name: String,
    /// Its CSS class (colour).
    pub class: String,
    /// One value per category.
    pub values: Vec<f64>,
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A grouped vertical bar chart with a legend and the value over each bar.
pub fn bars(id: &str, title: &str, categories: &[String], series: &[Series]) -> String {
    let n = categories.len().max(1);
    let per = series.len().max(1);
    let bar = 14.0;
    let group = bar * per as f64 + 10.0;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0f64, f64::max)
        .max(1.0);
    // room for the top tick's label
    // and for the first category's label, which leans left
    // and for the category labels, which lean left at 45° (about 5 px across and down per
    // character of 11 px text; CJK characters count double)
    let chars = |c: &String| {
        c.chars()
            .map(|ch| if ch >= '\u{1100}' { 2 } else { 1 })
            .sum::<usize>()
    };
    let first = categories.first().map_or(0, chars);
    let longest = categories.iter().map(chars).max().unwrap_or(0);
    let left = (12.0 + 7.0 * number(max).len() as f64).max(5.5 * first as f64);
    let (top, plot_h, bottom) = (40.0, 200.0, 24.0 + 5.5 * longest as f64);
    let width = (left + group * n as f64 + 20.0).max(260.0);
    let height = top + plot_h + bottom;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<figure class="chart"><figcaption>{}</figcaption><svg id="{id}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg" role="img">"#,
        esc(title)
    );
    let base = top + plot_h;
    let _ = write!(
        s,
        r#"<line class="axis" x1="{left}" y1="{base}" x2="{:.0}" y2="{base}"/>"#,
        width - 10.0
    );
    let _ = write!(
        s,
        r#"<text class="tick" x="{:.0}" y="{top}" text-anchor="end">{}</text>"#,
        left - 4.0,
        number(max)
    );
    for (c, cat) in categories.iter().enumerate() {
        let x0 = left + group * c as f64 + 5.0;
        for (k, se) in series.iter().enumerate() {
            let v = se.values.get(c).copied().unwrap_or(0.0);
            let h = v / max * plot_h;
            let x = x0 + bar * k as f64;
            let _ = write!(
                s,
                r#"<rect class="bar {}" x="{x:.1}" y="{:.1}" width="{:.1}" height="{h:.1}"><title>{}: {}</title></rect>"#,
                esc(&se.class),
                base - h,
                bar - 2.0,
                esc(&se.name),
                number(v)
            );
        }
        let cx = x0 + bar * per as f64 / 2.0;
        let _ = write!(
            s,
            r#"<text class="cat" transform="translate({cx:.1},{:.1}) rotate(-45)" text-anchor="end">{}</text>"#,
            base + 12.0,
            esc(cat)
        );
    }
    for (k, se) in series.iter().enumerate() {
        let x = left + 120.0 * k as f64;
        let _ = write!(
            s,
            r#"<rect class="bar {}" x="{x:.0}" y="12" width="10" height="10"/><text class="tick" x="{:.0}" y="21">{}</text>"#,
            esc(&se.class),
            x + 14.0,
            esc(&se.name)
        );
    }
    s.push_str("</svg></figure>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn paths_are_simplified_to_screen_resolution() {
        let bbox = Rect::new(coord! {x: 0., y: 0.}, coord! {x: 1000., y: 1000.});
        let (frame, h) = Frame::new(bbox, 100.0, 1);
        assert_eq!(h, 100.0);
        // vertices 0.1 map units apart fall on one tenth of a pixel
        let ring = vec![
            coord! {x: 0., y: 0.},
            coord! {x: 0.1, y: 0.},
            coord! {x: 500., y: 0.},
            coord! {x: 500., y: 507.},
            coord! {x: 0., y: 0.},
        ];
        let mut d = String::new();
        path_data(&frame, std::slice::from_ref(&ring), &mut d);
        assert_eq!(d, "M0,100l50,0 0,-50.7Z");
        // snapped to whole pixels, 507 map units are 51 px
        let (coarse, _) = Frame::new(bbox, 100.0, 10);
        d.clear();
        path_data(&coarse, &[ring], &mut d);
        assert_eq!(d, "M0,100l50,0 0,-51Z");
        // a ring smaller than a pixel's tenth disappears
        let tiny = vec![
            coord! {x: 1., y: 1.},
            coord! {x: 1.2, y: 1.},
            coord! {x: 1.2, y: 1.2},
        ];
        d.clear();
        path_data(&frame, &[tiny], &mut d);
        assert_eq!(d, "");
    }

    /// A vertex 10^20 map units off (a stray coordinate of a shape that reaches the map)
    /// is drawn a billion pixels away, not an overflow.
    #[test]
    fn a_far_vertex_is_drawn_far_without_overflow() {
        let bbox = Rect::new(coord! {x: 0., y: 0.}, coord! {x: 1000., y: 1000.});
        let (frame, _) = Frame::new(bbox, 100.0, 10);
        let ring = vec![
            coord! {x: 0., y: 0.},
            coord! {x: 1e20, y: 0.},
            coord! {x: 0., y: -1e20},
            coord! {x: 0., y: 0.},
        ];
        let mut d = String::new();
        path_data(&frame, &[ring], &mut d);
        assert_eq!(d, "M0,100l1000000000,0 -1000000000,999999900Z");
    }

    #[test]
    fn the_background_is_one_path_without_tooltips() {
        let bbox = Rect::new(coord! {x: 0., y: 0.}, coord! {x: 10., y: 10.});
        let square = |x: f64| Shape {
            rings: vec![vec![
                coord! {x: x, y: 0.},
                coord! {x: x + 1., y: 0.},
                coord! {x: x + 1., y: 1.},
                coord! {x: x, y: 0.},
            ]],
            class: "grid".into(),
            code: format!("G{x}"),
            title: "t".into(),
        };
        let (a, b, c) = (square(0.), square(2.), square(4.));
        let svg = map(
            "m",
            bbox,
            100.0,
            &Layers {
                background: vec![&a, &b],
                shapes: vec![&c],
                ..Default::default()
            },
        );
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(svg.contains(r#"<path class="bg" d="M0,100l10,0 0,-10ZM20,100l10,0 0,-10Z"/>"#));
        assert!(svg.contains(r#"data-code="G4""#));
    }

    #[test]
    fn text_is_escaped() {
        let c = bars("c", "<b>", &["<script>x</script>".to_string()], &[]);
        assert!(c.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!c.contains("<script>"));
    }
}
