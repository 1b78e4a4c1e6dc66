//! Coordinate reference systems as files declare them (坐标系): `.prj` WKT (ESRI and OGC),
//! GeoJSON `crs` members, `EPSG:` codes in manifests, and their identification.
//!
//! Identification never guesses from a name alone: an `AUTHORITY`/`ID` code is used when
//! present, otherwise the datum and projection parameters decide: the geographic CRSs of
//! CGCS2000, WGS 84, Xi'an 1980 and Beijing 1954; the 3° and 6° Gauss-Krüger zones of the
//! three Chinese datums with and without the zone number in the false easting; WGS 84's UTM
//! zones. A recognised CRS has a [`Definition`] that [`crate::io::reproject`] transforms
//! with; so has a Transverse Mercator WKT on a known datum that matches no EPSG code (a
//! city's own central meridian).

mod epsg;
pub mod sanity;
mod wkt;

use std::fmt;

pub use self::epsg::{area, Area, Datum, Definition, GkZone, CHINA};
use crate::io::reproject::Towgs84;

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
    /// The dataset manifest (`crs = "EPSG:…"`), or the command line (`--crs`).
    Manifest,
    /// The data source itself, read through GDAL (GeoPackage, File Geodatabase, …).
    Source,
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
    /// The city's seven parameters from this CRS's datum to WGS 84/CGCS2000, when its datum
    /// is an older one (Xi'an 1980, Beijing 1954) and the manifest gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub towgs84: Option<Towgs84>,
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
            towgs84: None,
        }
    }

    /// The CRS of an EPSG code.
    pub fn epsg(code: u32, source: CrsSource) -> Crs {
        Crs::parse(&format!("EPSG:{code}"), source)
    }

    /// WGS 84 longitude/latitude, as RFC 7946 GeoJSON implies.
    pub fn rfc7946() -> Crs {
        Crs {
            source: CrsSource::Rfc7946Default,
            text: "OGC:CRS84".to_string(),
            epsg: Some(4326),
            name: Some(epsg_name(4326).unwrap_or_default()),
            towgs84: None,
        }
    }

    /// The same CRS with the datum parameters given (kept only when its datum is not
    /// CGCS2000 or WGS 84, the datums that need none).
    pub fn with_towgs84(mut self, towgs84: Option<Towgs84>) -> Crs {
        let modern = self
            .definition()
            .and_then(|d| d.datum())
            .is_some_and(Datum::is_modern);
        self.towgs84 = if modern { None } else { towgs84 };
        self
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

    /// `EPSG:4549` when the code is known, else the label: the short form reports and
    /// GeoJSON `crs` members use.
    pub fn code_or_label(&self) -> String {
        match self.epsg {
            Some(code) => format!("EPSG:{code}"),
            None => self.label(),
        }
    }

    /// `EPSG:4549` when the code is known, else the statement as written: what a manifest's
    /// `crs` holds.
    pub fn code_or_text(&self) -> String {
        match self.epsg {
            Some(code) => format!("EPSG:{code}"),
            None => self.text.clone(),
        }
    }

    /// Whether two statements name the same CRS; `None` when that cannot be told
    /// (one of them is not recognised).
    pub fn same_as(&self, other: &Crs) -> Option<bool> {
        match (self.epsg, other.epsg) {
            (Some(a), Some(b)) => Some(a == b),
            _ if normalise(&self.text) == normalise(&other.text) => Some(true),
            _ => match (self.definition(), other.definition()) {
                (Some(a), Some(b)) => Some(a == b),
                _ => None,
            },
        }
    }

    /// Whether the CRS is geographic (degrees) rather than projected (metres).
    pub fn is_geographic(&self) -> Option<bool> {
        if let Some(code) = self.epsg {
            if let Some(d) = epsg::definition(code) {
                return Some(d.is_geographic());
            }
            if matches!(code, 4326 | 4490 | 4214 | 4610) {
                return Some(true);
            }
        }
        self.definition().map(|d| d.is_geographic())
    }

    /// What the CRS is, enough to transform coordinates: from its EPSG code (gridkeeper's
    /// own table, then the EPSG definitions it carries), else from the WKT's datum and
    /// Transverse Mercator parameters; with `--features gdal`, any other WKT through GDAL.
    /// `None`: not a CRS gridkeeper can transform.
    pub fn definition(&self) -> Option<Definition> {
        if let Some(code) = self.epsg {
            if let Some(d) = epsg::definition(code).or_else(|| epsg::catalogue_definition(code)) {
                return Some(d);
            }
        }
        if let Some(d) = wkt::parse(&self.text).and_then(|root| wkt_definition(&root)) {
            return Some(d);
        }
        #[cfg(feature = "gdal")]
        if let Some(proj) = crate::io::gdal::proj_string(&self.text) {
            return Some(epsg::proj_definition(&proj));
        }
        None
    }

    /// Where coordinates in this CRS make sense ([`area`]), if known.
    pub fn area(&self) -> Option<Area> {
        epsg::area(&self.definition()?, self.epsg)
    }

    /// The Gauss-Krüger zone this CRS is, if it is one.
    pub fn gk_zone(&self) -> Option<GkZone> {
        if let Some(z) = self.epsg.and_then(GkZone::of_code) {
            return Some(z);
        }
        match self.definition()? {
            Definition::TransverseMercator {
                datum,
                lon0,
                k,
                x0,
                y0,
            } if k == 1.0 && y0 == 0.0 && datum != Datum::Wgs84 => {
                GkZone::of_parameters(datum, lon0, x0, "")
            }
            _ => None,
        }
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
    epsg::name(code)
}

fn identify(text: &str) -> (Option<u32>, Option<String>) {
    let code = identify_code(text);
    let name = match code {
        Some(c) => epsg_name(c).or_else(|| wkt_name(text)),
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

fn squash(s: &str) -> String {
    normalise(s).replace(['_', ' ', '-', '\''], "")
}

/// The datum of a WKT CRS, from its datum's name, else (a datum named `unknown` or nothing)
/// from its ellipsoid's name or numbers.
fn datum_of(root: &wkt::Node) -> Option<Datum> {
    let geog = if root.is_geographic() {
        root
    } else {
        root.child_any(&["GEOGCS", "BASEGEOGCRS", "BASEGEODCRS", "GEOGCRS", "GEODCRS"])?
    };
    let datum = geog.child_any(&["DATUM", "GEODETICDATUM", "TRF"])?;
    let name = squash(&datum.first_str().unwrap_or_default());
    let ellipsoid = datum.child_any(&["SPHEROID", "ELLIPSOID"]);
    let spheroid = squash(&ellipsoid.and_then(|e| e.first_str()).unwrap_or_default());
    // Names decide; the ellipsoid's numbers cannot tell CGCS2000 from GRS 1980 (NAD83's
    // ellipsoid, the same inverse flattening), but IAG 1975 is Xi'an 1980's alone.
    let by_name = |n: &str| {
        if n.contains("china2000") || n.contains("cgcs2000") || n.contains("chinageodetic") {
            Some(Datum::Cgcs2000)
        } else if n.contains("wgs1984") || n.contains("wgs84") {
            Some(Datum::Wgs84)
        } else if n.contains("beijing1954") || n.contains("北京54") || n.contains("北京1954") {
            Some(Datum::Beijing1954)
        } else if n.contains("xian1980") || n.contains("西安80") || n.contains("西安1980") {
            Some(Datum::Xian1980)
        } else {
            None
        }
    };
    match by_name(&name) {
        Some(d) => Some(d),
        None if name.is_empty() || name == "dunknown" || name == "unknown" => by_name(&spheroid)
            .or_else(|| {
                let n = ellipsoid.map(|e| e.numbers()).unwrap_or_default();
                match n.as_slice() {
                    [a, rf, ..] if *a == 6_378_140.0 && (rf - 298.257).abs() < 1e-9 => {
                        Some(Datum::Xian1980)
                    }
                    _ if spheroid.contains("iag1975") => Some(Datum::Xian1980),
                    [a, rf, ..] if *a == 6_378_245.0 && (rf - 298.3).abs() < 1e-9 => {
                        Some(Datum::Beijing1954)
                    }
                    _ if spheroid.contains("krasovsky") || spheroid.contains("krassowsky") => {
                        Some(Datum::Beijing1954)
                    }
                    _ => None,
                }
            }),
        None => None,
    }
}

/// The Transverse Mercator parameters of a projected WKT: (central meridian, scale factor,
/// false easting m, false northing m); `None` for another projection or a latitude of origin
/// other than 0.
fn tm_parameters(root: &wkt::Node) -> Option<(f64, f64, f64, f64)> {
    if !root.is_projected() {
        return None;
    }
    let method = root
        .child_any(&["PROJECTION", "METHOD"])
        .and_then(|m| m.first_str())
        .map(|m| squash(&m))?;
    if !(method.contains("transversemercator") || method.contains("gausskruger")) {
        return None;
    }
    let cm = root.parameter(&["central_meridian", "longitude_of_natural_origin"])?;
    let unit = root.linear_unit();
    let fe = root.parameter(&["false_easting"]).unwrap_or(0.0) * unit;
    let fnorth = root.parameter(&["false_northing"]).unwrap_or(0.0) * unit;
    let scale = root
        .parameter(&["scale_factor", "scale_factor_at_natural_origin"])
        .unwrap_or(1.0);
    let lat0 = root
        .parameter(&["latitude_of_origin", "latitude_of_natural_origin"])
        .unwrap_or(0.0);
    if lat0.abs() > 1e-9 || (unit - 1.0).abs() > 1e-12 {
        return None;
    }
    Some((cm, scale, fe, fnorth))
}

fn identify_by_parameters(root: &wkt::Node) -> Option<u32> {
    let datum = datum_of(root)?;
    if root.is_geographic() {
        return Some(datum.geographic_code());
    }
    let (cm, scale, fe, fnorth) = tm_parameters(root)?;
    let name = normalise(&root.first_str().unwrap_or_default());
    match datum {
        Datum::Wgs84 if (scale - 0.9996).abs() < 1e-12 && (fe - 500_000.0).abs() < 1e-6 => {
            let zone = (cm + 183.0) / 6.0;
            if (zone - zone.round()).abs() > 1e-9 || !(1.0..=60.0).contains(&zone.round()) {
                return None;
            }
            let zone = zone.round() as u32;
            if fnorth.abs() < 1e-6 {
                Some(32600 + zone)
            } else if (fnorth - 10_000_000.0).abs() < 1e-6 {
                Some(32700 + zone)
            } else {
                None
            }
        }
        Datum::Wgs84 => None,
        d if (scale - 1.0).abs() < 1e-12 && fnorth.abs() < 1e-6 => {
            GkZone::of_parameters(d, cm, fe, &name).map(|z| z.code())
        }
        _ => None,
    }
}

/// A definition straight from WKT parameters: a geographic CRS or a Transverse Mercator on a
/// known datum, whatever its code (a city's own central meridian or false northing).
fn wkt_definition(root: &wkt::Node) -> Option<Definition> {
    let datum = datum_of(root)?;
    if root.is_geographic() {
        return Some(Definition::Geographic { datum });
    }
    let (lon0, k, x0, y0) = tm_parameters(root)?;
    Some(Definition::TransverseMercator {
        datum,
        lon0,
        k,
        x0,
        y0,
    })
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
