//! The coordinate systems gridkeeper knows by heart: their EPSG codes, names, definitions
//! (enough to transform coordinates) and areas of use.
//!
//! Gauss-Krüger (高斯-克吕格) zones come in four families per datum — 6° zones with the zone
//! number in the false easting, 6° zones without it (named by central meridian), and the same
//! for 3° zones — for CGCS2000 (2000 国家大地坐标系), Xi'an 1980 (1980 西安坐标系) and
//! Beijing 1954 (1954 北京坐标系). The codes and parameters are EPSG's (checked against
//! PROJ 9.5.1's database through pyproj 3.7.2).

/// A geodetic datum gridkeeper tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Datum {
    /// China Geodetic Coordinate System 2000 (GRS 80 ellipsoid).
    Cgcs2000,
    /// World Geodetic System 1984.
    Wgs84,
    /// Xi'an 1980 (IAG 1975 ellipsoid).
    Xian1980,
    /// Beijing 1954 (Krassowsky 1940 ellipsoid).
    Beijing1954,
}

impl Datum {
    /// A readable name.
    pub fn name(self) -> &'static str {
        match self {
            Datum::Cgcs2000 => "CGCS2000",
            Datum::Wgs84 => "WGS 84",
            Datum::Xian1980 => "Xian 1980",
            Datum::Beijing1954 => "Beijing 1954",
        }
    }

    /// Whether this is CGCS2000 or WGS 84. The two differ by centimetres (ITRF97 at epoch
    /// 2000.0 against the current WGS 84 realisation), less than the error of any grid
    /// drawing, so gridkeeper treats them as one datum: no shift between them.
    pub fn is_modern(self) -> bool {
        matches!(self, Datum::Cgcs2000 | Datum::Wgs84)
    }

    /// The EPSG code of its geographic CRS.
    pub fn geographic_code(self) -> u32 {
        match self {
            Datum::Cgcs2000 => 4490,
            Datum::Wgs84 => 4326,
            Datum::Xian1980 => 4610,
            Datum::Beijing1954 => 4214,
        }
    }

    /// The ellipsoid in PROJ string form.
    pub(crate) fn ellipsoid(self) -> &'static str {
        match self {
            Datum::Cgcs2000 => "+ellps=GRS80",
            Datum::Wgs84 => "+ellps=WGS84",
            Datum::Xian1980 => "+a=6378140 +rf=298.257",
            Datum::Beijing1954 => "+ellps=krass",
        }
    }

    const ALL: [Datum; 4] = [
        Datum::Cgcs2000,
        Datum::Wgs84,
        Datum::Xian1980,
        Datum::Beijing1954,
    ];
}

/// What a recognised CRS is: enough to transform its coordinates.
#[derive(Debug, Clone, PartialEq)]
pub enum Definition {
    /// Longitude/latitude in degrees.
    Geographic {
        /// The datum.
        datum: Datum,
    },
    /// Transverse Mercator in metres: Gauss-Krüger zones and UTM.
    TransverseMercator {
        /// The datum.
        datum: Datum,
        /// Central meridian, degrees.
        lon0: f64,
        /// Scale factor on the central meridian.
        k: f64,
        /// False easting, metres.
        x0: f64,
        /// False northing, metres.
        y0: f64,
    },
    /// Any other CRS, as a PROJ string (from the EPSG definitions gridkeeper carries, or
    /// from GDAL); `datum` when it is one gridkeeper knows.
    Proj {
        /// The PROJ string.
        proj: String,
        /// Its datum, if known; `None` is a datum that needs its own parameters.
        datum: Option<Datum>,
        /// Whether its coordinates are degrees.
        geographic: bool,
    },
}

impl Definition {
    /// Its datum, if known.
    pub fn datum(&self) -> Option<Datum> {
        match self {
            Definition::Geographic { datum } | Definition::TransverseMercator { datum, .. } => {
                Some(*datum)
            }
            Definition::Proj { datum, .. } => *datum,
        }
    }

    /// Whether its coordinates are longitude/latitude in degrees.
    pub fn is_geographic(&self) -> bool {
        match self {
            Definition::Geographic { .. } => true,
            Definition::TransverseMercator { .. } => false,
            Definition::Proj { geographic, .. } => *geographic,
        }
    }

    /// The PROJ string, without datum shift parameters.
    pub fn proj_string(&self) -> String {
        match self {
            Definition::Geographic { datum } => {
                format!("+proj=longlat {} +no_defs", datum.ellipsoid())
            }
            Definition::TransverseMercator {
                datum,
                lon0,
                k,
                x0,
                y0,
            } => format!(
                "+proj=tmerc +lat_0=0 +lon_0={lon0} +k={k} +x_0={x0} +y_0={y0} {} +units=m +no_defs",
                datum.ellipsoid()
            ),
            Definition::Proj { proj, .. } => proj.clone(),
        }
    }
}

/// A Gauss-Krüger family of EPSG codes: the first code of each of the four series.
struct GkFamily {
    datum: Datum,
    /// 6° zones 13–23 with the zone number in the false easting.
    six_zone: u32,
    /// 6° zones by central meridian 75°E–135°E, false easting 500 km.
    six_cm: u32,
    /// 3° zones 25–45 with the zone number in the false easting.
    three_zone: u32,
    /// 3° zones by central meridian 75°E–135°E, false easting 500 km.
    three_cm: u32,
}

const FAMILIES: [GkFamily; 3] = [
    GkFamily {
        datum: Datum::Cgcs2000,
        six_zone: 4491,
        six_cm: 4502,
        three_zone: 4513,
        three_cm: 4534,
    },
    GkFamily {
        datum: Datum::Xian1980,
        six_zone: 2327,
        six_cm: 2338,
        three_zone: 2349,
        three_cm: 2370,
    },
    GkFamily {
        datum: Datum::Beijing1954,
        six_zone: 21413,
        six_cm: 21473,
        three_zone: 2401,
        three_cm: 2422,
    },
];

/// A Gauss-Krüger zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GkZone {
    /// The datum.
    pub datum: Datum,
    /// 3 or 6 (degrees of longitude).
    pub width: u32,
    /// Central meridian, degrees east.
    pub cm: u32,
    /// The zone number (`cm / 3` for 3° zones, `(cm + 3) / 6` for 6° zones).
    pub zone: u32,
    /// Whether the false easting carries the zone number (`zone × 1,000,000 + 500,000`).
    pub prefixed: bool,
}

impl GkZone {
    /// The false easting in metres.
    pub fn false_easting(&self) -> f64 {
        if self.prefixed {
            self.zone as f64 * 1_000_000.0 + 500_000.0
        } else {
            500_000.0
        }
    }

    /// The EPSG code (0 for a datum without Gauss-Krüger codes: WGS 84).
    pub fn code(&self) -> u32 {
        let f = FAMILIES.iter().find(|f| f.datum == self.datum);
        let Some(f) = f else { return 0 };
        match (self.width, self.prefixed) {
            (6, true) => f.six_zone + self.zone - 13,
            (6, false) => f.six_cm + (self.cm - 75) / 6,
            (_, true) => f.three_zone + self.zone - 25,
            (_, false) => f.three_cm + (self.cm - 75) / 3,
        }
    }

    /// The same zone with or without the zone number in the false easting.
    pub fn with_prefix(self, prefixed: bool) -> GkZone {
        GkZone { prefixed, ..self }
    }

    /// The zone of an EPSG code.
    pub fn of_code(code: u32) -> Option<GkZone> {
        for f in &FAMILIES {
            let zone = |width: u32, cm: u32, prefixed: bool| GkZone {
                datum: f.datum,
                width,
                cm,
                zone: if width == 6 { (cm + 3) / 6 } else { cm / 3 },
                prefixed,
            };
            if (f.six_zone..f.six_zone + 11).contains(&code) {
                return Some(zone(6, 75 + 6 * (code - f.six_zone), true));
            }
            if (f.six_cm..f.six_cm + 11).contains(&code) {
                return Some(zone(6, 75 + 6 * (code - f.six_cm), false));
            }
            if (f.three_zone..f.three_zone + 21).contains(&code) {
                return Some(zone(3, 75 + 3 * (code - f.three_zone), true));
            }
            if (f.three_cm..f.three_cm + 21).contains(&code) {
                return Some(zone(3, 75 + 3 * (code - f.three_cm), false));
            }
        }
        None
    }

    /// The zone of a Gauss-Krüger CRS given by its parameters: central meridian, false
    /// easting in metres, and the CRS's name (lower case) for the one ambiguity: a CM that
    /// is both a 3° and a 6° CM with a plain false easting is 6° when the name says so
    /// (`6_degree`, `6度`), else 3° (city survey data use 3° zones).
    pub fn of_parameters(datum: Datum, cm: f64, fe: f64, name: &str) -> Option<GkZone> {
        if (cm - cm.round()).abs() > 1e-9 {
            return None;
        }
        let cm = cm.round() as i64;
        if !(75..=135).contains(&cm) {
            return None;
        }
        let is3 = cm % 3 == 0;
        let is6 = (cm - 75) % 6 == 0;
        let make = |width: u32, prefixed: bool| GkZone {
            datum,
            width,
            cm: cm as u32,
            zone: if width == 6 {
                (cm as u32 + 3) / 6
            } else {
                cm as u32 / 3
            },
            prefixed,
        };
        if (fe - 500_000.0).abs() < 1e-6 {
            let says6 =
                name.contains("6_degree") || name.contains("6-degree") || name.contains("6度");
            if is6 && (says6 || !is3) {
                return Some(make(6, false));
            }
            return is3.then(|| make(3, false));
        }
        let zone = ((fe - 500_000.0) / 1_000_000.0).round();
        if (fe - (zone * 1_000_000.0 + 500_000.0)).abs() > 1e-6 {
            return None;
        }
        let zone = zone as i64;
        if is3 && zone == cm / 3 {
            return Some(make(3, true));
        }
        if is6 && zone == (cm + 3) / 6 {
            return Some(make(6, true));
        }
        None
    }
}

/// A readable name for the EPSG codes gridkeeper knows.
pub fn name(code: u32) -> Option<String> {
    if let Some(d) = Datum::ALL.iter().find(|d| d.geographic_code() == code) {
        return Some(d.name().to_string());
    }
    if let Some(z) = GkZone::of_code(code) {
        let degree = if z.width == 3 { "3-degree " } else { "" };
        return Some(if z.prefixed {
            format!("{} / {degree}Gauss-Kruger zone {}", z.datum.name(), z.zone)
        } else {
            format!("{} / {degree}Gauss-Kruger CM {}E", z.datum.name(), z.cm)
        });
    }
    Some(match code {
        32601..=32660 => format!("WGS 84 / UTM zone {}N", code - 32600),
        32701..=32760 => format!("WGS 84 / UTM zone {}S", code - 32700),
        3857 => "WGS 84 / Pseudo-Mercator".to_string(),
        _ => return None,
    })
}

/// The definition of an EPSG code gridkeeper knows by heart: the four geographic CRSs, every
/// Gauss-Krüger zone of the three Chinese datums, and the UTM zones of WGS 84.
pub fn definition(code: u32) -> Option<Definition> {
    if let Some(d) = Datum::ALL.iter().find(|d| d.geographic_code() == code) {
        return Some(Definition::Geographic { datum: *d });
    }
    if let Some(z) = GkZone::of_code(code) {
        return Some(Definition::TransverseMercator {
            datum: z.datum,
            lon0: z.cm as f64,
            k: 1.0,
            x0: z.false_easting(),
            y0: 0.0,
        });
    }
    let (zone, south) = match code {
        32601..=32660 => (code - 32600, false),
        32701..=32760 => (code - 32700, true),
        _ => return None,
    };
    Some(Definition::TransverseMercator {
        datum: Datum::Wgs84,
        lon0: zone as f64 * 6.0 - 183.0,
        k: 0.9996,
        x0: 500_000.0,
        y0: if south { 10_000_000.0 } else { 0.0 },
    })
}

/// The definition of another EPSG code, from the PROJ strings of the `crs-definitions`
/// crate. Its datum is WGS 84 when the string says `+datum=WGS84`, a zero shift or
/// `+nadgrids=@null`, CGCS2000
/// for GRS 80 without a shift; any other datum is unknown (`None`): it needs parameters.
pub fn catalogue_definition(code: u32) -> Option<Definition> {
    let def = crs_definitions::from_code(u16::try_from(code).ok()?)?;
    Some(proj_definition(def.proj4))
}

/// A definition from a PROJ string (from the catalogue, or from GDAL).
pub fn proj_definition(proj: &str) -> Definition {
    let has = |s: &str| proj.split_whitespace().any(|t| t == s);
    let towgs84 = proj
        .split_whitespace()
        .find_map(|t| t.strip_prefix("+towgs84="));
    let zero_shift = towgs84.is_some_and(|v| {
        v.split(',')
            .all(|n| n.trim().parse::<f64>().is_ok_and(|x| x == 0.0))
    });
    // `+nadgrids=@null` is PROJ's idiom for "WGS 84 coordinates on a sphere" (Web Mercator).
    let datum = if has("+datum=WGS84")
        || has("+ellps=WGS84") && towgs84.is_none()
        || zero_shift
        || has("+nadgrids=@null")
    {
        Some(Datum::Wgs84)
    } else if has("+ellps=GRS80") && towgs84.is_none() && !proj.contains("+datum=") {
        Some(Datum::Cgcs2000)
    } else {
        None
    };
    let geographic = has("+proj=longlat") || has("+proj=latlong") || has("+proj=lonlat");
    Definition::Proj {
        proj: proj.to_string(),
        datum,
        geographic,
    }
}

/// An area in degrees: west, south, east, north.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Area {
    /// West bound, degrees east.
    pub west: f64,
    /// South bound, degrees north.
    pub south: f64,
    /// East bound, degrees east.
    pub east: f64,
    /// North bound, degrees north.
    pub north: f64,
}

impl Area {
    /// Whether (lon, lat) lies inside.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.west..=self.east).contains(&lon) && (self.south..=self.north).contains(&lat)
    }
}

/// China with its islands, a little generously: 73°–136°E, 3°–54°N (EPSG's area for
/// CGCS2000 is 73.62°–134.77°E, 16.7°–53.56°N; the islands of the South China Sea reach
/// 3.8°N).
pub const CHINA: Area = Area {
    west: 73.0,
    south: 3.0,
    east: 136.0,
    north: 54.0,
};

/// Where coordinates in a CRS make sense, for sanity hints: a Chinese datum's geographic CRS
/// covers [`CHINA`]; a Gauss-Krüger zone its strip of longitude (half a zone either side of
/// its central meridian, plus 0.5° of slack for districts that run over a zone edge) within
/// China; a UTM zone its 6° strip (plus 0.5°) from 80°S to 84°N; WGS 84 the world.
pub fn area(def: &Definition, code: Option<u32>) -> Option<Area> {
    match def {
        Definition::Geographic {
            datum: Datum::Wgs84,
        } => Some(Area {
            west: -180.0,
            south: -90.0,
            east: 180.0,
            north: 90.0,
        }),
        Definition::Geographic { .. } => Some(CHINA),
        Definition::TransverseMercator { datum, lon0, k, .. } => {
            let half = match code.and_then(GkZone::of_code) {
                Some(z) => z.width as f64 / 2.0,
                None if (k - 0.9996).abs() < 1e-9 => 3.0,
                None => gk_half_width(def),
            };
            let (south, north) = if *datum == Datum::Wgs84 {
                (-80.0, 84.0)
            } else {
                (CHINA.south, CHINA.north)
            };
            Some(Area {
                west: lon0 - half - 0.5,
                south,
                east: lon0 + half + 0.5,
                north,
            })
        }
        Definition::Proj { .. } => None,
    }
}

/// Half the width of a Gauss-Krüger zone: 1.5° for 3° zones, 3° for 6° zones.
fn gk_half_width(def: &Definition) -> f64 {
    if let Definition::TransverseMercator { lon0, x0, .. } = def {
        let zone = ((x0 - 500_000.0) / 1_000_000.0).round();
        if zone > 0.0 {
            // with the prefix: a 3° zone number is cm / 3
            return if (zone * 3.0 - lon0).abs() < 1e-9 {
                1.5
            } else {
                3.0
            };
        }
        // without: a CM that is not a multiple of 3 is a 6° zone's; otherwise assume 3°
        if (lon0 / 3.0 - (lon0 / 3.0).round()).abs() > 1e-9 {
            return 3.0;
        }
    }
    1.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_zones_round_trip() {
        for f in &FAMILIES {
            for code in (f.six_zone..f.six_zone + 11)
                .chain(f.six_cm..f.six_cm + 11)
                .chain(f.three_zone..f.three_zone + 21)
                .chain(f.three_cm..f.three_cm + 21)
            {
                let z = GkZone::of_code(code).expect("zone");
                assert_eq!(z.code(), code);
                assert_eq!(z.datum, f.datum);
                let name = if z.width == 6 { "6_degree" } else { "" };
                assert_eq!(
                    GkZone::of_parameters(z.datum, z.cm as f64, z.false_easting(), name),
                    Some(z),
                    "{code}"
                );
            }
        }
    }

    /// Names and parameters as PROJ 9.5.1 (pyproj 3.7.2) gives them.
    #[test]
    fn known_codes() {
        assert_eq!(
            name(2385).as_deref(),
            Some("Xian 1980 / 3-degree Gauss-Kruger CM 120E")
        );
        assert_eq!(
            name(2349).as_deref(),
            Some("Xian 1980 / 3-degree Gauss-Kruger zone 25")
        );
        assert_eq!(
            name(21413).as_deref(),
            Some("Beijing 1954 / Gauss-Kruger zone 13")
        );
        assert_eq!(
            name(2436).as_deref(),
            Some("Beijing 1954 / 3-degree Gauss-Kruger CM 117E")
        );
        assert_eq!(
            name(4527).as_deref(),
            Some("CGCS2000 / 3-degree Gauss-Kruger zone 39")
        );
        assert_eq!(
            definition(2337),
            Some(Definition::TransverseMercator {
                datum: Datum::Xian1980,
                lon0: 135.0,
                k: 1.0,
                x0: 23_500_000.0,
                y0: 0.0
            })
        );
        assert_eq!(
            definition(21483).map(|d| d.proj_string()).as_deref(),
            Some("+proj=tmerc +lat_0=0 +lon_0=135 +k=1 +x_0=500000 +y_0=0 +ellps=krass +units=m +no_defs")
        );
    }

    #[test]
    fn catalogue_datums() {
        let d = catalogue_definition(3857).expect("3857");
        assert_eq!(d.datum(), Some(Datum::Wgs84));
        assert!(!d.is_geographic());
        // Pulkovo 1942 carries its own shift: unknown to gridkeeper, needs parameters
        let d = catalogue_definition(4284).expect("4284");
        assert_eq!(d.datum(), None);
        assert!(d.is_geographic());
    }

    #[test]
    fn areas() {
        let a = area(&definition(4549).expect("4549"), Some(4549)).expect("area");
        assert!(a.contains(120.3, 24.8));
        assert!(!a.contains(117.0, 24.8));
        let a = area(&definition(4527).expect("4527"), Some(4527)).expect("area");
        assert!(a.contains(118.4, 30.0) && !a.contains(120.5, 30.0));
        let a = area(&definition(4502).expect("4502"), Some(4502)).expect("area");
        assert!(a.contains(77.5, 38.0));
        // 6° CM 117E: the code says 6°, the parameters alone would say 3°
        let d = definition(4509).expect("4509");
        assert!(area(&d, Some(4509)).expect("area").contains(119.5, 30.0));
        assert!(!area(&d, None).expect("area").contains(119.5, 30.0));
        let a = area(&definition(32650).expect("32650"), Some(32650)).expect("area");
        assert!(a.contains(117.0, 1.0) && !a.contains(121.0, 1.0));
    }
}
