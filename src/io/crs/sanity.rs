//! Sanity hints: coordinates that do not fit the CRS they are declared in — outside its
//! area of use, longitude and latitude (or easting and northing) swapped, Gauss-Krüger
//! eastings without the zone number the CRS expects or with one it does not.
//!
//! Each feature is judged by its first coordinate, taken to longitude/latitude on the CRS's
//! own datum and compared with [`area`](super::area).

use geo::{Coord, CoordsIter, Geometry};
use rayon::prelude::*;

use super::{Area, Crs, CrsSource, GkZone};
use crate::io::reproject::Transform;

/// What is implausible about a feature's coordinates.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HintKind {
    /// Outside the CRS's area of use (and no other explanation fits).
    OutOfArea {
        /// The area, degrees.
        area: Area,
    },
    /// Inside the area only with x and y swapped.
    AxesSwapped {
        /// Whether the CRS is geographic (longitude/latitude) rather than projected.
        geographic: bool,
    },
    /// A Gauss-Krüger easting without the zone number the CRS expects (`expected`), or
    /// with one (`found`) it does not expect or that names another zone.
    ZonePrefix {
        /// The zone number the CRS puts in front of its eastings.
        expected: Option<u32>,
        /// The zone number the eastings carry.
        found: Option<u32>,
        /// The EPSG code of the CRS the coordinates do fit, if one.
        fits: Option<u32>,
    },
}

/// Features of a layer whose coordinates share one implausibility.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hint {
    /// What is implausible.
    pub kind: HintKind,
    /// How many features.
    pub count: usize,
    /// The first such feature (zero-based).
    pub first: usize,
    /// Its first coordinate.
    pub at: [f64; 2],
}

/// A coordinate system's view for judging coordinates: to lon/lat on its own datum, and
/// where lon/lat make sense.
struct Judge {
    to_geo: Transform,
    geographic: bool,
    area: Area,
    zone: Option<GkZone>,
    /// For each zone number 13–45: the lon/lat transform of that prefixed zone on this datum.
    prefixed: Vec<Option<(u32, Transform, Area)>>,
}

impl Judge {
    fn new(crs: &Crs) -> Option<Judge> {
        let def = crs.definition()?;
        let area = crs.area()?;
        let datum = def.datum()?;
        let geo = Crs::epsg(datum.geographic_code(), CrsSource::Manifest);
        let to_geo = Transform::new(crs, &geo).ok()?;
        let zone = crs.gk_zone();
        let prefixed = match zone {
            Some(z) => (13..=45u32)
                .map(|p| {
                    let cm = if p >= 25 { 3 * p } else { 6 * p - 3 };
                    let cand = GkZone::of_parameters(
                        z.datum,
                        cm as f64,
                        p as f64 * 1_000_000.0 + 500_000.0,
                        "",
                    )?;
                    let c = Crs::epsg(cand.code(), CrsSource::Manifest);
                    Some((cand.code(), Transform::new(&c, &geo).ok()?, c.area()?))
                })
                .collect(),
            None => Vec::new(),
        };
        Some(Judge {
            to_geo,
            geographic: def.is_geographic(),
            area,
            zone,
            prefixed,
        })
    }

    fn inside(&self, t: &Transform, area: &Area, c: Coord) -> bool {
        t.coord(c).is_ok_and(|g| area.contains(g.x, g.y))
    }

    fn judge(&self, c: Coord) -> Option<HintKind> {
        if !c.x.is_finite() || !c.y.is_finite() || self.inside(&self.to_geo, &self.area, c) {
            return None;
        }
        if let Some(z) = self.zone {
            let million = 1_000_000.0;
            if c.x >= 10.0 * million {
                let p = (c.x / million).floor() as u32;
                if z.prefixed && p == z.zone {
                    // the right prefix: out of area for another reason
                } else if let Some(Some((code, t, area))) = p
                    .checked_sub(13)
                    .and_then(|i| self.prefixed.get(i as usize))
                {
                    if self.inside(t, area, c) {
                        return Some(HintKind::ZonePrefix {
                            expected: z.prefixed.then_some(z.zone),
                            found: Some(p),
                            fits: Some(*code),
                        });
                    }
                }
            } else if z.prefixed && (0.0..million).contains(&c.x) {
                let with = Coord {
                    x: c.x + z.zone as f64 * million,
                    y: c.y,
                };
                if self.inside(&self.to_geo, &self.area, with) {
                    return Some(HintKind::ZonePrefix {
                        expected: Some(z.zone),
                        found: None,
                        fits: Some(z.with_prefix(false).code()),
                    });
                }
            }
        }
        if self.inside(&self.to_geo, &self.area, Coord { x: c.y, y: c.x }) {
            return Some(HintKind::AxesSwapped {
                geographic: self.geographic,
            });
        }
        Some(HintKind::OutOfArea { area: self.area })
    }
}

/// The hints for a layer's geometries declared in `crs`; none when the CRS has no known
/// area of use. One hint per kind of implausibility, in order of first feature.
pub fn hints(geometries: &[Option<Geometry>], crs: &Crs) -> Vec<Hint> {
    let Some(judge) = Judge::new(crs) else {
        return Vec::new();
    };
    let found: Vec<(usize, Coord, HintKind)> = geometries
        .par_iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let c = g.as_ref()?.coords_iter().next()?;
            judge.judge(c).map(|k| (i, c, k))
        })
        .collect();
    let mut out: Vec<Hint> = Vec::new();
    for (i, c, kind) in found {
        match out.iter_mut().find(|h| h.kind == kind) {
            Some(h) => h.count += 1,
            None => out.push(Hint {
                kind,
                count: 1,
                first: i,
                at: [c.x, c.y],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::point;

    fn pts(xy: &[(f64, f64)]) -> Vec<Option<Geometry>> {
        xy.iter()
            .map(|&(x, y)| Some(Geometry::Point(point!(x: x, y: y))))
            .collect()
    }

    fn crs(code: u32) -> Crs {
        Crs::epsg(code, CrsSource::Prj)
    }

    #[test]
    fn plausible_coordinates_give_no_hint() {
        assert!(hints(&pts(&[(350_000.0, 2_745_000.0)]), &crs(4549)).is_empty());
        assert!(hints(&pts(&[(118.5, 24.8)]), &crs(4490)).is_empty());
        assert!(hints(&pts(&[(39_400_000.0, 3_300_000.0)]), &crs(4527)).is_empty());
    }

    #[test]
    fn swapped_lon_lat() {
        let h = hints(
            &pts(&[(24.8, 118.5), (24.9, 118.6), (118.5, 24.8)]),
            &crs(4490),
        );
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].kind, HintKind::AxesSwapped { geographic: true });
        assert_eq!((h[0].count, h[0].first), (2, 0));
        let h = hints(&pts(&[(2_745_000.0, 350_000.0)]), &crs(4549));
        assert_eq!(h[0].kind, HintKind::AxesSwapped { geographic: false });
    }

    #[test]
    fn zone_prefix_missing_and_unexpected() {
        // zone 39 (CM 117E) wants 39xxxxxx eastings
        let h = hints(&pts(&[(400_000.0, 3_300_000.0)]), &crs(4527));
        assert_eq!(
            h[0].kind,
            HintKind::ZonePrefix {
                expected: Some(39),
                found: None,
                fits: Some(4548)
            }
        );
        // CM 117E without prefix, eastings with 39
        let h = hints(&pts(&[(39_400_000.0, 3_300_000.0)]), &crs(4548));
        assert_eq!(
            h[0].kind,
            HintKind::ZonePrefix {
                expected: None,
                found: Some(39),
                fits: Some(4527)
            }
        );
        // zone 40 declared, zone 39 eastings
        let h = hints(&pts(&[(39_400_000.0, 3_300_000.0)]), &crs(4528));
        assert_eq!(
            h[0].kind,
            HintKind::ZonePrefix {
                expected: Some(40),
                found: Some(39),
                fits: Some(4527)
            }
        );
    }

    #[test]
    fn out_of_area() {
        // Beijing-ish longitude in the CM 120E zone: 4.5° off the central meridian
        let h = hints(&pts(&[(116.4, 39.9)]), &crs(4490));
        assert!(h.is_empty());
        let geo = Crs::epsg(4490, CrsSource::Manifest);
        let t = Transform::new(&geo, &crs(4527)).expect("t");
        let c = t.coord(geo::coord! {x: 121.0, y: 31.0}).expect("c");
        let h = hints(&pts(&[(c.x, c.y)]), &crs(4527));
        assert!(matches!(h[0].kind, HintKind::OutOfArea { .. }), "{h:?}");
        // degrees in a projected CRS
        let h = hints(&pts(&[(118.5, 24.8)]), &crs(4549));
        assert!(matches!(h[0].kind, HintKind::OutOfArea { .. }), "{h:?}");
    }
}
