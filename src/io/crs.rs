//! Coordinate reference systems as files declare them (坐标系): `.prj` WKT (ESRI and OGC),
//! GeoJSON `crs` members, `EPSG:` codes in manifests, and their identification.
//!
//! Identification never guesses from a name alone: an `AUTHORITY`/`ID` code is used when
//! present, otherwise the datum and projection parameters decide (CGCS2000 geographic,
//! CGCS2000 3° and 6° Gauss-Krüger zones with and without the zone number in the false
//! easting, WGS 84 and its UTM zones).

use std::fmt;

/// Where a layer's CRS statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CrsSource {
    /// A `.prj` file beside a shapefile.
    Prj,
    /// A GeoJSON `crs` member (GeoJSON 2008).
    GeoJsonMember,
    /// A GeoJSON file without `crs`: RFC 7946 says WGS 84 longitude/latitude.
    Rfc7946Default,
    /// The dataset manifest (`crs = "EPSG:…"`).
    Manifest,
}

/// A CRS statement and what could be recognised in it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Crs {
    /// Where it came from.
    pub source: CrsSource,
    /// The statement as written (WKT, `EPSG:4549`, or a URN).
    pub text: String,
    /// The EPSG code it was recognised as.
    pub epsg: Option<u32>,
    /// A readable name (`CGCS2000 / 3-degree Gauss-Kruger CM 120E`).
    pub name: Option<String>,
}

impl Crs {
    /// Parses a CRS statement: `EPSG:n`, an OGC URN, `CRS84`, or WKT.
    ///
    /// ```
    /// use gridkeeper::io::crs::{Crs, CrsSource};
    /// let c = Crs::parse("EPSG:4549", CrsSource::Manifest);
    /// assert_eq!(c.epsg, Some(4549));
    /// let wkt = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    /// assert_eq!(Crs::parse(wkt, CrsSource::Prj).epsg, Some(4549));
    /// ```
    pub fn parse(text: &str, source: CrsSource) -> Crs {
        let trimmed = text.trim().trim_start_matches('\u{feff}').trim();
        let (epsg, name) = identify(trimmed);
        Crs {
            source,
            text: trimmed.to_string(),
            epsg,
            name,
        }
    }

    /// WGS 84 longitude/latitude, as RFC 7946 GeoJSON implies.
    pub fn rfc7946() -> Crs {
        Crs {
            source: CrsSource::Rfc7946Default,
            text: "OGC:CRS84".to_string(),
            epsg: Some(4326),
            name: Some(epsg_name(4326).unwrap_or_default()),
        }
    }

    /// A short label for messages: `EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E)`,
    /// or the first 60 characters of an unrecognised statement.
    pub fn label(&self) -> String {
        match (&self.epsg, &self.name) {
            (Some(code), Some(name)) => format!("EPSG:{code} ({name})"),
            (Some(code), None) => format!("EPSG:{code}"),
            (None, Some(name)) => name.clone(),
            (None, None) => {
                let short: String = self.text.chars().take(60).collect();
                if short.len() < self.text.len() {
                    format!("{short}…")
                } else {
                    short
                }
            }
        }
    }

    /// Whether two statements name the same CRS; `None` when that cannot be told
    /// (one of them is not recognised).
    pub fn same_as(&self, other: &Crs) -> Option<bool> {
        match (self.epsg, other.epsg) {
            (Some(a), Some(b)) => Some(a == b),
            _ if normalise(&self.text) == normalise(&other.text) => Some(true),
            _ => None,
        }
    }

    /// Whether the CRS is geographic (degrees) rather than projected (metres).
    pub fn is_geographic(&self) -> Option<bool> {
        let code = self.epsg?;
        Some(matches!(code, 4326 | 4490 | 4214 | 4610))
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A readable name for the EPSG codes this module recognises.
pub fn epsg_name(code: u32) -> Option<String> {
    Some(match code {
        4326 => "WGS 84".to_string(),
        4490 => "CGCS2000".to_string(),
        4214 => "Beijing 1954".to_string(),
        4610 => "Xian 1980".to_string(),
        4491..=4501 => format!("CGCS2000 / Gauss-Kruger zone {}", code - 4491 + 13),
        4502..=4512 => format!("CGCS2000 / Gauss-Kruger CM {}E", 75 + 6 * (code - 4502)),
        4513..=4533 => format!("CGCS2000 / 3-degree Gauss-Kruger zone {}", code - 4513 + 25),
        4534..=4554 => format!(
            "CGCS2000 / 3-degree Gauss-Kruger CM {}E",
            75 + 3 * (code - 4534)
        ),
        32601..=32660 => format!("WGS 84 / UTM zone {}N", code - 32600),
        32701..=32760 => format!("WGS 84 / UTM zone {}S", code - 32700),
        3857 => "WGS 84 / Pseudo-Mercator".to_string(),
        _ => return None,
    })
}

fn identify(text: &str) -> (Option<u32>, Option<String>) {
    let code = identify_code(text);
    let name = match code {
        Some(c) => epsg_name(c),
        None => wkt_name(text),
    };
    (code, name)
}

fn identify_code(text: &str) -> Option<u32> {
    let upper = text.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("EPSG:") {
        return rest.trim().parse().ok();
    }
    if upper.starts_with("URN:OGC:DEF:CRS:") {
        if upper.ends_with("CRS84") {
            return Some(4326);
        }
        if upper.contains(":EPSG:") {
            return upper.rsplit(':').next()?.trim().parse().ok();
        }
        return None;
    }
    if upper == "OGC:CRS84" || upper == "CRS84" {
        return Some(4326);
    }
    let root = wkt::parse(text)?;
    if let Some(code) = root.authority_code() {
        return Some(code);
    }
    identify_by_parameters(&root)
}

fn wkt_name(text: &str) -> Option<String> {
    let root = wkt::parse(text)?;
    root.args.first().and_then(|a| match a {
        wkt::Arg::Str(s) => Some(s.clone()),
        _ => None,
    })
}

/// Datum families recognised from WKT datum, ellipsoid and CRS names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Datum {
    Cgcs2000,
    Wgs84,
    Beijing1954,
    Xian1980,
}

fn datum_of(root: &wkt::Node) -> Option<Datum> {
    let geog = if root.is_geographic() {
        root
    } else {
        root.child_any(&["GEOGCS", "BASEGEOGCRS", "BASEGEODCRS", "GEOGCRS", "GEODCRS"])?
    };
    let datum = geog.child_any(&["DATUM", "GEODETICDATUM", "TRF"])?;
    let squash = |s: String| normalise(&s).replace(['_', ' ', '-'], "");
    let name = squash(datum.first_str().unwrap_or_default());
    let spheroid = squash(
        datum
            .child_any(&["SPHEROID", "ELLIPSOID"])
            .and_then(|e| e.first_str())
            .unwrap_or_default(),
    );
    // Names decide; the ellipsoid's numbers cannot (CGCS2000 and GRS 1980, NAD83's
    // ellipsoid, share the same inverse flattening).
    let by_name = |n: &str| {
        if n.contains("china2000") || n.contains("cgcs2000") || n.contains("chinageodetic") {
            Some(Datum::Cgcs2000)
        } else if n.contains("wgs1984") || n.contains("wgs84") {
            Some(Datum::Wgs84)
        } else if n.contains("beijing1954") {
            Some(Datum::Beijing1954)
        } else if n.contains("xian1980") {
            Some(Datum::Xian1980)
        } else {
            None
        }
    };
    match by_name(&name) {
        Some(d) => Some(d),
        None if name.is_empty() || name == "dunknown" || name == "unknown" => by_name(&spheroid),
        None => None,
    }
}

fn identify_by_parameters(root: &wkt::Node) -> Option<u32> {
    let datum = datum_of(root)?;
    if root.is_geographic() {
        return match datum {
            Datum::Cgcs2000 => Some(4490),
            Datum::Wgs84 => Some(4326),
            Datum::Beijing1954 => Some(4214),
            Datum::Xian1980 => Some(4610),
        };
    }
    if !root.is_projected() {
        return None;
    }
    let method = root
        .child_any(&["PROJECTION", "METHOD"])
        .and_then(|m| m.first_str())
        .map(|m| normalise(&m).replace(['_', ' ', '-'], ""))?;
    if !(method.contains("transversemercator") || method.contains("gausskruger")) {
        return None;
    }
    let cm = root.parameter(&["central_meridian", "longitude_of_natural_origin"])?;
    let fe = root.parameter(&["false_easting"]).unwrap_or(0.0);
    let fe_m = fe * root.linear_unit();
    let fn_m = root.parameter(&["false_northing"]).unwrap_or(0.0) * root.linear_unit();
    let scale = root
        .parameter(&["scale_factor", "scale_factor_at_natural_origin"])
        .unwrap_or(1.0);
    let lat0 = root
        .parameter(&["latitude_of_origin", "latitude_of_natural_origin"])
        .unwrap_or(0.0);
    if lat0.abs() > 1e-9 {
        return None;
    }
    let name = normalise(&root.first_str().unwrap_or_default());
    match datum {
        Datum::Cgcs2000 if (scale - 1.0).abs() < 1e-12 && fn_m.abs() < 1e-6 => {
            gauss_kruger_code(cm, fe_m, &name)
        }
        Datum::Wgs84 if (scale - 0.9996).abs() < 1e-12 && (fe_m - 500_000.0).abs() < 1e-6 => {
            let zone = (cm + 183.0) / 6.0;
            if (zone - zone.round()).abs() > 1e-9 || !(1.0..=60.0).contains(&zone.round()) {
                return None;
            }
            let zone = zone.round() as u32;
            if fn_m.abs() < 1e-6 {
                Some(32600 + zone)
            } else if (fn_m - 10_000_000.0).abs() < 1e-6 {
                Some(32700 + zone)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// CGCS2000 Gauss-Krüger zones: 3° zones have central meridians 75…135 in steps of 3,
/// 6° zones 75…135 in steps of 6 (zone = (cm + 3) / 6). A false easting of
/// `zone × 1,000,000 + 500,000` carries the zone number; plain 500,000 does not.
/// A CM that is both a 3° and a 6° CM with a plain false easting is ambiguous; the name
/// decides (`6_Degree`/`6度`), else the 3° zone is taken (city survey data use 3° zones).
fn gauss_kruger_code(cm: f64, fe: f64, name: &str) -> Option<u32> {
    if (cm - cm.round()).abs() > 1e-9 {
        return None;
    }
    let cm = cm.round() as i64;
    if !(75..=135).contains(&cm) {
        return None;
    }
    let is3 = cm % 3 == 0;
    let is6 = (cm - 75) % 6 == 0;
    let plain = (fe - 500_000.0).abs() < 1e-6;
    let says6 = name.contains("6_degree") || name.contains("6-degree") || name.contains("6度");
    if plain {
        if is6 && (says6 || !is3) {
            return Some(4502 + ((cm - 75) / 6) as u32);
        }
        if is3 {
            return Some(4534 + ((cm - 75) / 3) as u32);
        }
        return None;
    }
    let zone_from_fe = ((fe - 500_000.0) / 1_000_000.0).round();
    if (fe - (zone_from_fe * 1_000_000.0 + 500_000.0)).abs() > 1e-6 {
        return None;
    }
    let zone = zone_from_fe as i64;
    if is3 && zone == cm / 3 {
        return Some(4513 + (zone - 25) as u32);
    }
    if is6 && zone == (cm + 3) / 6 {
        return Some(4491 + (zone - 13) as u32);
    }
    None
}

/// A small, forgiving WKT 1/2 parser: keywords with bracketed argument lists.
pub(crate) mod wkt {
    /// One argument of a WKT node.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Arg {
        Str(String),
        Num(f64),
        Ident(String),
        Node(Node),
    }

    /// `KEYWORD[arg, arg, …]`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Node {
        pub keyword: String,
        pub args: Vec<Arg>,
    }

    const MAX_DEPTH: usize = 32;

    /// Parses WKT; `None` when it is not WKT.
    pub fn parse(text: &str) -> Option<Node> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let node = p.node(0)?;
        Some(node)
    }

    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn ws(&mut self) {
            while self.i < self.s.len() && (self.s[self.i] as char).is_whitespace() {
                self.i += 1;
            }
        }

        fn ident(&mut self) -> Option<String> {
            self.ws();
            let start = self.i;
            while self.i < self.s.len()
                && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
            {
                self.i += 1;
            }
            if self.i == start {
                return None;
            }
            Some(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
        }

        fn node(&mut self, depth: usize) -> Option<Node> {
            if depth > MAX_DEPTH {
                return None;
            }
            let keyword = self.ident()?.to_ascii_uppercase();
            self.ws();
            let close = match self.s.get(self.i)? {
                b'[' => b']',
                b'(' => b')',
                _ => return None,
            };
            self.i += 1;
            let mut args = Vec::new();
            loop {
                self.ws();
                match *self.s.get(self.i)? {
                    c if c == close => {
                        self.i += 1;
                        break;
                    }
                    b',' => {
                        self.i += 1;
                    }
                    b'"' => {
                        self.i += 1;
                        let mut bytes = Vec::new();
                        loop {
                            let c = *self.s.get(self.i)?;
                            self.i += 1;
                            if c == b'"' {
                                // WKT2 escapes a quote by doubling it.
                                if self.s.get(self.i) == Some(&b'"') {
                                    bytes.push(b'"');
                                    self.i += 1;
                                    continue;
                                }
                                break;
                            }
                            bytes.push(c);
                        }
                        args.push(Arg::Str(String::from_utf8_lossy(&bytes).into_owned()));
                    }
                    c if c == b'-' || c == b'+' || c == b'.' || c.is_ascii_digit() => {
                        let start = self.i;
                        while self.i < self.s.len()
                            && matches!(
                                self.s[self.i],
                                b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E'
                            )
                        {
                            self.i += 1;
                        }
                        let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                        args.push(Arg::Num(text.parse().ok()?));
                    }
                    _ => {
                        let save = self.i;
                        let word = self.ident()?;
                        self.ws();
                        if matches!(self.s.get(self.i), Some(b'[') | Some(b'(')) {
                            self.i = save;
                            args.push(Arg::Node(self.node(depth + 1)?));
                        } else {
                            args.push(Arg::Ident(word));
                        }
                    }
                }
            }
            Some(Node { keyword, args })
        }
    }

    impl Node {
        /// Child nodes.
        pub fn children(&self) -> impl Iterator<Item = &Node> {
            self.args.iter().filter_map(|a| match a {
                Arg::Node(n) => Some(n),
                _ => None,
            })
        }

        /// The first child with one of these keywords.
        pub fn child_any(&self, keywords: &[&str]) -> Option<&Node> {
            self.children()
                .find(|n| keywords.iter().any(|k| n.keyword == *k))
        }

        /// The first string argument.
        pub fn first_str(&self) -> Option<String> {
            self.args.iter().find_map(|a| match a {
                Arg::Str(s) => Some(s.clone()),
                _ => None,
            })
        }

        /// The numeric arguments in order.
        pub fn numbers(&self) -> Vec<f64> {
            self.args
                .iter()
                .filter_map(|a| match a {
                    Arg::Num(n) => Some(*n),
                    _ => None,
                })
                .collect()
        }

        pub fn is_geographic(&self) -> bool {
            matches!(
                self.keyword.as_str(),
                "GEOGCS" | "GEOGCRS" | "GEOGRAPHICCRS" | "GEODCRS" | "GEODETICCRS"
            )
        }

        pub fn is_projected(&self) -> bool {
            matches!(self.keyword.as_str(), "PROJCS" | "PROJCRS" | "PROJECTEDCRS")
        }

        /// The EPSG code of this node's own `AUTHORITY`/`ID` (not a child CRS's).
        pub fn authority_code(&self) -> Option<u32> {
            let auth = self.child_any(&["AUTHORITY", "ID"])?;
            let name = auth.first_str()?;
            if !name.eq_ignore_ascii_case("EPSG") {
                return None;
            }
            auth.args.iter().skip(1).find_map(|a| match a {
                Arg::Str(s) => s.trim().parse().ok(),
                Arg::Num(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as u32),
                _ => None,
            })
        }

        /// A projection parameter by any of these names (case-insensitive, `_`/space
        /// insensitive), searched in `PARAMETER` children and WKT2 `CONVERSION`.
        pub fn parameter(&self, names: &[&str]) -> Option<f64> {
            let norm = |s: &str| s.to_ascii_lowercase().replace([' ', '_'], "");
            let wanted: Vec<String> = names.iter().map(|n| norm(n)).collect();
            let search = |node: &Node| {
                node.children()
                    .filter(|c| c.keyword == "PARAMETER")
                    .find_map(|c| {
                        let n = norm(&c.first_str()?);
                        if wanted.contains(&n) {
                            c.numbers().first().copied()
                        } else {
                            None
                        }
                    })
            };
            search(self).or_else(|| self.child_any(&["CONVERSION"]).and_then(search))
        }

        /// Metres per unit of the projected CRS's linear unit (1 when absent).
        pub fn linear_unit(&self) -> f64 {
            self.children()
                .filter(|c| c.keyword == "UNIT" || c.keyword == "LENGTHUNIT")
                .last()
                .and_then(|u| u.numbers().first().copied())
                .filter(|f| *f > 0.0)
                .unwrap_or(1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESRI_GK39: &str = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn esri_gk_zone_with_prefix() {
        let c = Crs::parse(ESRI_GK39, CrsSource::Prj);
        assert_eq!(c.epsg, Some(4527));
    }

    #[test]
    fn esri_gk_cm_without_prefix() {
        let t = ESRI_GK39
            .replace("39500000.0", "500000.0")
            .replace("GK_Zone_39", "GK_CM_117E");
        assert_eq!(Crs::parse(&t, CrsSource::Prj).epsg, Some(4548));
    }

    #[test]
    fn six_degree_named() {
        let t = ESRI_GK39.replace("39500000.0", "500000.0").replace(
            "CGCS2000_3_Degree_GK_Zone_39",
            "CGCS2000_6_Degree_GK_CM_117E",
        );
        assert_eq!(Crs::parse(&t, CrsSource::Prj).epsg, Some(4509));
    }

    #[test]
    fn authority_wins() {
        let t = r#"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4490"]]"#;
        let c = Crs::parse(t, CrsSource::Prj);
        assert_eq!(c.epsg, Some(4490));
        assert_eq!(c.is_geographic(), Some(true));
    }

    #[test]
    fn wgs84_esri_and_utm() {
        let g = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]"#;
        assert_eq!(Crs::parse(g, CrsSource::Prj).epsg, Some(4326));
        let u = r#"PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(Crs::parse(u, CrsSource::Prj).epsg, Some(32650));
    }

    #[test]
    fn urns_and_codes() {
        assert_eq!(
            Crs::parse("urn:ogc:def:crs:EPSG::4490", CrsSource::GeoJsonMember).epsg,
            Some(4490)
        );
        assert_eq!(
            Crs::parse("urn:ogc:def:crs:OGC:1.3:CRS84", CrsSource::GeoJsonMember).epsg,
            Some(4326)
        );
        assert_eq!(Crs::parse("garbage[[", CrsSource::Prj).epsg, None);
    }

    #[test]
    fn same_as_compares_codes() {
        let a = Crs::parse("EPSG:4549", CrsSource::Manifest);
        let b = Crs::parse(ESRI_GK39, CrsSource::Prj);
        assert_eq!(a.same_as(&b), Some(false));
        let c = Crs::parse("nonsense", CrsSource::Prj);
        assert_eq!(a.same_as(&c), None);
    }
}
