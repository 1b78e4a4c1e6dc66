//! The plan's maps (变更分布图): this year's grids coloured by relation, last year's
//! boundaries of changed grids, the involved historical cases and the components with a new
//! owner — for the whole district and zoomed to each changed street.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use geo::{BoundingRect, Coord, Geometry, Rect};

use super::esc;
use super::svg::{self, Mark, Shape};
use crate::diff::{Change, ChangeSet, Group, LayerDiff, Relation};
use crate::geom::{grown, polygons};
use crate::i18n::html::{shown_of, HtmlText as H};
use crate::i18n::Lang;
use crate::model::{BoundLayer, Dataset, LayerKind};
use crate::remap::Remap;
use crate::report::document::{a, relation_name};

/// Dots drawn on one map at most (evenly thinned beyond; the legend says how many).
pub const MAX_DOTS: usize = 3000;

/// Width of the district map (px).
const DISTRICT_WIDTH: f64 = 1100.0;
/// Width of a street's map (px).
const STREET_WIDTH: f64 = 540.0;

/// Everything drawn on the maps, in map coordinates.
pub struct Scene {
    /// This year's grids, one shape each, in file order.
    grids: Vec<(Shape, Option<Rect>, Option<String>)>,
    /// Last year's boundaries of changed grids, with their bbox and old street code.
    old: Vec<(Shape, Option<Rect>, Option<String>)>,
    /// Street boundaries (this year).
    streets: Vec<(Shape, Option<Rect>)>,
    /// Involved cases.
    cases: Vec<Mark>,
    /// Components with a new owner.
    owners: Vec<Mark>,
    /// Group counts per relation (the legend's counts).
    counts: BTreeMap<Relation, usize>,
    /// Street code → name, for the zoomed maps' captions.
    street_names: BTreeMap<String, String>,
}

fn rings(g: &Geometry) -> Vec<Vec<Coord>> {
    let mut out = Vec::new();
    for p in polygons(g) {
        out.push(p.exterior().0.clone());
        out.extend(p.interiors().iter().map(|r| r.0.clone()));
    }
    out
}

fn point(g: Option<&Geometry>) -> Option<Coord> {
    crate::geom::single_point(g?)
}

fn union(acc: Option<Rect>, r: Option<Rect>) -> Option<Rect> {
    match (acc, r) {
        (Some(a), Some(b)) => Some(Rect::new(
            Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )),
        (a, b) => a.or(b),
    }
}

fn padded(r: Rect, share: f64) -> Rect {
    grown(r, (r.width().max(r.height()) * share).max(1.0))
}

fn meets(a: Rect, b: Option<Rect>) -> bool {
    b.is_some_and(|b| {
        a.min().x <= b.max().x
            && b.min().x <= a.max().x
            && a.min().y <= b.max().y
            && b.min().y <= a.max().y
    })
}

fn codes_with_areas(d: &LayerDiff, ids: &[usize], old: bool) -> String {
    ids.iter()
        .map(|&i| {
            let (code, area) = if old {
                (&d.old_codes[i], d.lineage.old_area[i])
            } else {
                (&d.new_codes[i], d.lineage.new_area[i])
            };
            format!("{code}（{} m²）", a(area))
        })
        .collect::<Vec<_>>()
        .join("，")
}

/// `关系：旧 → 新` for a group.
fn group_line(d: &LayerDiff, g: &Group, lang: Lang) -> String {
    format!(
        "{}：{} → {}",
        relation_name(g.relation, lang),
        codes_with_areas(d, &g.old, true),
        codes_with_areas(d, &g.new, false)
    )
}

impl Scene {
    /// Builds the scene from the two (aligned) versions, the change set and the remapped cases.
    pub fn build(
        old: &Dataset,
        new: &Dataset,
        cases: Option<&BoundLayer>,
        cs: &ChangeSet,
        remap: &Remap,
        lang: Lang,
    ) -> Scene {
        let diff = cs.layer(LayerKind::Grids);
        let mut grids = Vec::new();
        if let Some(layer) = new.layer(LayerKind::Grids) {
            for i in 0..layer.len() {
                let Some(g) = layer.geometry(i) else { continue };
                let group = diff.and_then(|d| {
                    let k = (*d.lineage.new_group.get(i)?)?;
                    Some((d, d.lineage.groups.get(k)?))
                });
                let mut class = "grid".to_string();
                let mut title = layer.key(i);
                if let Some(area) = diff.and_then(|d| d.lineage.new_area.get(i)) {
                    let _ = write!(title, " · {area:.0} m²");
                }
                if let Some((d, g)) = group {
                    if g.relation != Relation::Unchanged {
                        let _ = write!(class, " r-{}", g.relation.id());
                        let _ = write!(title, "\n{}", group_line(d, g, lang));
                    }
                }
                grids.push((
                    Shape {
                        rings: rings(g),
                        class,
                        code: layer.key(i),
                        title,
                    },
                    g.bounding_rect(),
                    layer.get(i, "street").map(str::to_string),
                ));
            }
        }
        let mut old_shapes = Vec::new();
        if let (Some(d), Some(layer)) = (diff, old.layer(LayerKind::Grids)) {
            for g in d.changed() {
                for &i in &g.old {
                    let Some(geom) = layer.geometry(i) else {
                        continue;
                    };
                    let class = if g.relation == Relation::Removed {
                        "old r-removed"
                    } else {
                        "old"
                    };
                    old_shapes.push((
                        Shape {
                            rings: rings(geom),
                            class: class.to_string(),
                            code: layer.key(i),
                            title: format!(
                                "{}：{} · {:.0} m²\n{}",
                                H::OldBoundary.get(lang),
                                layer.key(i),
                                d.lineage.old_area.get(i).copied().unwrap_or(0.0),
                                group_line(d, g, lang)
                            ),
                        },
                        geom.bounding_rect(),
                        layer.get(i, "street").map(str::to_string),
                    ));
                }
            }
        }
        let mut streets = Vec::new();
        let mut street_names = BTreeMap::new();
        if let Some(layer) = new.layer(LayerKind::Streets) {
            for i in 0..layer.len() {
                if let Some(name) = layer.get(i, "name") {
                    street_names.insert(layer.key(i), name.to_string());
                }
                let Some(g) = layer.geometry(i) else { continue };
                streets.push((
                    Shape {
                        rings: rings(g),
                        class: "street".to_string(),
                        code: layer.key(i),
                        title: layer.key(i),
                    },
                    g.bounding_rect(),
                ));
            }
        }
        let mut case_marks = Vec::new();
        if let Some(layer) = cases {
            for c in remap.involved() {
                let Some(at) = point(layer.geometry(c.case)) else {
                    continue;
                };
                let moved = c.new[0] != c.old[0];
                let (from, to) = (c.old[0].unwrap_or("-"), c.new[0].unwrap_or("-"));
                let mut title = format!(
                    "{} {} · {}\n{} → {}",
                    H::Case.get(lang),
                    c.id,
                    c.date.map(|d| d.to_string()).unwrap_or_default(),
                    from,
                    to
                );
                if let Some(d) = &c.description {
                    title.push('\n');
                    title.push_str(d);
                }
                case_marks.push(Mark {
                    at,
                    class: if moved { "case moved" } else { "case stays" }.to_string(),
                    title,
                });
            }
        }
        let mut owners = Vec::new();
        if let Some(layer) = new.layer(LayerKind::Components) {
            for c in cs
                .components
                .iter()
                .filter(|c| c.change == Change::OwnerChanged)
            {
                let Some(at) = c.new.and_then(|i| point(layer.geometry(i))) else {
                    continue;
                };
                owners.push(Mark {
                    at,
                    class: "owner".to_string(),
                    title: format!(
                        "{} {}\n{} → {}",
                        H::Component.get(lang),
                        c.new_code.as_deref().unwrap_or("-"),
                        c.old_value.as_deref().unwrap_or("-"),
                        c.new_value.as_deref().unwrap_or("-")
                    ),
                });
            }
        }
        Scene {
            grids,
            old: old_shapes,
            streets,
            cases: case_marks,
            owners,
            counts: diff.map(LayerDiff::counts).unwrap_or_default(),
            street_names,
        }
    }

    fn extent(&self) -> Option<Rect> {
        self.grids
            .iter()
            .map(|g| g.1)
            .chain(self.old.iter().map(|o| o.1))
            .fold(None, union)
    }

    /// Streets with a changed grid (this year's street, or last year's for removed grids).
    fn changed_streets(&self) -> BTreeSet<String> {
        let changed_new = self
            .grids
            .iter()
            .filter(|(s, _, _)| s.class != "grid")
            .filter_map(|(_, _, street)| street.clone());
        let removed = self
            .old
            .iter()
            .filter(|(s, _, _)| s.class.contains("r-removed"))
            .filter_map(|(_, _, street)| street.clone());
        changed_new.chain(removed).collect()
    }

    /// The map of `bbox`; with `context`, unchanged grids are one background path (the
    /// street close-ups: only changed grids get tooltips there).
    fn draw(&self, id: &str, view: Rect, width: f64, context: bool) -> String {
        let inside = |r: &Option<Rect>| meets(view, *r);
        let mut layers = svg::Layers::default();
        for (shape, _, _) in self.grids.iter().filter(|g| inside(&g.1)) {
            if context && shape.class == "grid" {
                layers.background.push(shape);
            } else {
                layers.shapes.push(shape);
            }
        }
        layers.overlays = self
            .old
            .iter()
            .filter(|o| inside(&o.1))
            .map(|o| &o.0)
            .chain(self.streets.iter().filter(|s| inside(&s.1)).map(|s| &s.0))
            .collect();
        let within = |m: &&Mark| {
            m.at.x >= view.min().x
                && m.at.x <= view.max().x
                && m.at.y >= view.min().y
                && m.at.y <= view.max().y
        };
        layers.dots = thin(self.cases.iter().filter(within).collect());
        layers.squares = thin(self.owners.iter().filter(within).collect());
        svg::map(id, view, width, &layers)
    }

    fn legend(&self, lang: Lang) -> String {
        let mut s = String::from(r#"<ul class="legend">"#);
        for (r, n) in self
            .counts
            .iter()
            .filter(|(r, _)| **r != Relation::Unchanged)
        {
            let _ = write!(
                s,
                r#"<li data-relation="{}" data-count="{n}"><svg width="14" height="14" aria-hidden="true"><rect class="swatch r-{}" x="1" y="1" width="12" height="12"/></svg>{} {n}</li>"#,
                r.id(),
                r.id(),
                esc(relation_name(*r, lang))
            );
        }
        let moved = self
            .cases
            .iter()
            .filter(|c| c.class.ends_with("moved"))
            .count();
        let stays = self.cases.len() - moved;
        for (class, text, n) in [
            ("case moved", H::CaseMoved, moved),
            ("case stays", H::CaseStays, stays),
        ] {
            if n > 0 {
                let _ = write!(
                    s,
                    r#"<li data-cases="{}" data-count="{n}"><svg width="14" height="14" aria-hidden="true"><circle class="{class}" cx="7" cy="7" r="4"/></svg>{} {n}</li>"#,
                    &class[5..],
                    esc(text.get(lang))
                );
            }
        }
        if !self.owners.is_empty() {
            let _ = write!(
                s,
                r#"<li data-owners="{0}"><svg width="14" height="14" aria-hidden="true"><rect class="owner" x="3" y="3" width="8" height="8"/></svg>{1} {0}</li>"#,
                self.owners.len(),
                esc(H::OwnerChanged.get(lang))
            );
        }
        let _ = write!(
            s,
            r#"<li><svg width="24" height="14" aria-hidden="true"><path class="old" d="M1,7L23,7"/></svg>{}</li></ul>"#,
            esc(H::OldBoundary.get(lang))
        );
        if self.cases.len() > MAX_DOTS {
            let _ = write!(
                s,
                r#"<p class="note">{}</p>"#,
                esc(&shown_of(MAX_DOTS, self.cases.len(), lang))
            );
        }
        s
    }

    /// The district map with its legend.
    pub fn district(&self, lang: Lang) -> String {
        let Some(bbox) = self.extent() else {
            return String::new();
        };
        format!(
            r#"<figure class="map" id="map-district"><figcaption>{}</figcaption>{}{}<p class="note">{}</p><p class="info" aria-live="polite"></p></figure>
"#,
            esc(H::Map.get(lang)),
            self.draw("district-map", padded(bbox, 0.01), DISTRICT_WIDTH, false),
            self.legend(lang),
            esc(H::MapNote.get(lang))
        )
    }

    /// One zoomed map per changed street.
    pub fn streets(&self, lang: Lang) -> String {
        let changed = self.changed_streets();
        if changed.is_empty() {
            return String::new();
        }
        let mut s = format!(
            r#"<h4>{}</h4><div class="street-maps">"#,
            esc(H::StreetMap.get(lang))
        );
        for street in &changed {
            let bbox = self
                .grids
                .iter()
                .filter(|g| g.2.as_deref() == Some(street.as_str()))
                .map(|g| g.1)
                .chain(
                    self.old
                        .iter()
                        .filter(|o| o.2.as_deref() == Some(street.as_str()))
                        .map(|o| o.1),
                )
                .fold(None, union);
            let Some(bbox) = bbox else { continue };
            let caption = match self.street_names.get(street) {
                Some(name) => format!("{street} {name}"),
                None => street.clone(),
            };
            let _ = write!(
                s,
                r#"<figure class="map" data-street="{}"><figcaption>{}</figcaption>{}<p class="info" aria-live="polite"></p></figure>"#,
                esc(street),
                esc(&caption),
                self.draw(
                    &format!("street-map-{}", esc(street)),
                    padded(bbox, 0.03),
                    STREET_WIDTH,
                    true
                )
            );
        }
        s.push_str("</div>\n");
        s
    }
}

/// At most [`MAX_DOTS`] marks, evenly spaced through the list (deterministic).
fn thin(marks: Vec<&Mark>) -> Vec<&Mark> {
    let n = marks.len();
    if n <= MAX_DOTS {
        return marks;
    }
    (0..MAX_DOTS).map(|k| marks[k * n / MAX_DOTS]).collect()
}
