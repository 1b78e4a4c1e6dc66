//! Reprojection (坐标转换): a [`Transform`] from one [`Crs`] to another, pure Rust
//! (`proj4rs`, a port of PROJ's projections; its Transverse Mercator is PROJ's exact
//! Poder/Engsager algorithm, as PROJ uses for `tmerc` by default).
//!
//! Datums: CGCS2000 and WGS 84 are treated as one datum (they differ by centimetres), so
//! between them only the projection changes. A change from Xi'an 1980, Beijing 1954 or any
//! other datum needs the city's seven parameters ([`Towgs84`]), given in the manifest; without
//! them [`Transform::new`] says so ([`TransformFault::NeedsParameters`]) rather than guess:
//! the published nation-wide parameters are metres off in places, the city's surveying
//! institute has its own.

use geo::{Coord, Geometry, MapCoordsInPlace};
use proj4rs::proj::Proj;
use rayon::prelude::*;

use super::crs::{Crs, Datum, Definition};
use super::layer::{Layer, RawDefect, ReadNote};
use crate::error::TransformFault;

/// Seven-parameter (Helmert) datum shift to WGS 84/CGCS2000, as PROJ's `+towgs84`:
/// `[dx, dy, dz, rx, ry, rz, ds]` — translations in metres, rotations in arc-seconds, scale
/// in parts per million, rotations in the Position Vector convention (EPSG method 9606).
/// Parameters published in the Coordinate Frame convention (EPSG 9607, ArcGIS's default)
/// have the signs of the three rotations reversed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Towgs84(pub [f64; 7]);

impl Towgs84 {
    /// Parameters from a list of seven finite numbers; `None` otherwise.
    pub fn from_slice(values: &[f64]) -> Option<Towgs84> {
        let a: [f64; 7] = values.try_into().ok()?;
        a.iter().all(|v| v.is_finite()).then_some(Towgs84(a))
    }

    /// Parses `dx,dy,dz,rx,ry,rz,ds` (commas or spaces).
    ///
    /// ```
    /// use gridkeeper::io::reproject::Towgs84;
    /// assert!(Towgs84::parse("1, 2, 3, 0.1, 0.2, 0.3, 1.5").is_some());
    /// assert!(Towgs84::parse("1,2,3").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Towgs84> {
        let values: Option<Vec<f64>> = text
            .split([',', ' '])
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse().ok())
            .collect();
        Towgs84::from_slice(&values?)
    }
}

/// A transformation of coordinates from one CRS to another.
///
/// ```
/// use gridkeeper::io::crs::{Crs, CrsSource};
/// use gridkeeper::io::reproject::Transform;
/// let t = Transform::new(
///     &Crs::parse("EPSG:4490", CrsSource::Manifest),
///     &Crs::parse("EPSG:4549", CrsSource::Manifest),
/// )?;
/// let p = t.coord(geo::coord! { x: 120.0, y: 30.0 })?;
/// assert!((p.x - 500_000.0).abs() < 1e-6);
/// # Ok::<(), gridkeeper::TransformFault>(())
/// ```
#[derive(Debug)]
pub struct Transform {
    inner: Option<Inner>,
}

#[derive(Debug)]
struct Inner {
    src: Proj,
    dst: Proj,
    src_degrees: bool,
    dst_degrees: bool,
    shift: Option<Shift>,
}

/// A change of datum, done here rather than by `proj4rs` (which, as PROJ.4 did, swaps a
/// GRS 80 ellipsoid with a zero shift for WGS 84's and so moves CGCS2000 latitudes by up
/// to 0.1 mm): source longitude/latitude → geocentric on the source ellipsoid → the source's
/// seven parameters to WGS 84 → the target's parameters backwards → longitude/latitude on
/// the target ellipsoid, as PROJ's `cart` + `helmert` pipeline does.
#[derive(Debug)]
struct Shift {
    /// Longitude/latitude on the source's ellipsoid.
    src_geo: Proj,
    /// Longitude/latitude on the target's ellipsoid.
    dst_geo: Proj,
    src_ellipsoid: (f64, f64),
    dst_ellipsoid: (f64, f64),
    to_wgs84: Option<Towgs84>,
    from_wgs84: Option<Towgs84>,
}

/// `(a, e²)` of a projection's ellipsoid.
fn ellipsoid(p: &Proj) -> (f64, f64) {
    let (a, b) = p.ellipse_parameters();
    (a, 1.0 - (b * b) / (a * a))
}

impl Shift {
    fn new(
        src: &Proj,
        dst: &Proj,
        to_wgs84: Option<Towgs84>,
        from_wgs84: Option<Towgs84>,
    ) -> Result<Shift, TransformFault> {
        let geo = |p: &Proj| {
            let (a, b) = p.ellipse_parameters();
            let text = format!("+proj=longlat +a={a} +b={b} +no_defs");
            Proj::from_proj_string(&text).map_err(|e| TransformFault::Definition {
                message: format!("{text}: {e}"),
            })
        };
        Ok(Shift {
            src_geo: geo(src)?,
            dst_geo: geo(dst)?,
            src_ellipsoid: ellipsoid(src),
            dst_ellipsoid: ellipsoid(dst),
            to_wgs84,
            from_wgs84,
        })
    }

    /// Radians on the source datum → radians on the target datum.
    fn apply(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (a, es) = self.src_ellipsoid;
        let mut xyz = geocentric(a, es, lon, lat);
        if let Some(p) = self.to_wgs84 {
            xyz = helmert(&p, xyz);
        }
        if let Some(p) = self.from_wgs84 {
            xyz = helmert_inverse(&p, xyz);
        }
        let (a, es) = self.dst_ellipsoid;
        geodetic(a, es, xyz)
    }
}

/// Geocentric X, Y, Z of a point on the ellipsoid (height 0), radians in.
fn geocentric(a: f64, es: f64, lon: f64, lat: f64) -> [f64; 3] {
    let (sl, cl) = lat.sin_cos();
    let n = a / (1.0 - es * sl * sl).sqrt();
    [n * cl * lon.cos(), n * cl * lon.sin(), n * (1.0 - es) * sl]
}

/// Longitude and latitude (radians) of a geocentric point, iterated to convergence.
fn geodetic(a: f64, es: f64, [x, y, z]: [f64; 3]) -> (f64, f64) {
    let lon = y.atan2(x);
    let p = x.hypot(y);
    let mut lat = z.atan2(p * (1.0 - es));
    for _ in 0..20 {
        let sl = lat.sin();
        let n = a / (1.0 - es * sl * sl).sqrt();
        let h = if lat.cos().abs() > 1e-12 {
            p / lat.cos() - n
        } else {
            z.abs() - n * (1.0 - es)
        };
        let next = z.atan2(p * (1.0 - es * n / (n + h)));
        let done = (next - lat).abs() < 1e-15;
        lat = next;
        if done {
            break;
        }
    }
    (lon, lat)
}

/// Seconds of arc to radians.
const ARCSEC: f64 = std::f64::consts::PI / (180.0 * 3600.0);

/// The seven-parameter transformation, position vector convention, small-angle rotation
/// matrix (PROJ's `helmert` for `+towgs84`).
fn helmert(p: &Towgs84, [x, y, z]: [f64; 3]) -> [f64; 3] {
    let [dx, dy, dz, rx, ry, rz, ds] = p.0;
    let (rx, ry, rz, s) = (rx * ARCSEC, ry * ARCSEC, rz * ARCSEC, 1.0 + ds * 1e-6);
    [
        dx + s * (x - rz * y + ry * z),
        dy + s * (rz * x + y - rx * z),
        dz + s * (-ry * x + rx * y + z),
    ]
}

/// [`helmert`] backwards.
fn helmert_inverse(p: &Towgs84, [x, y, z]: [f64; 3]) -> [f64; 3] {
    let [dx, dy, dz, rx, ry, rz, ds] = p.0;
    let (rx, ry, rz, s) = (rx * ARCSEC, ry * ARCSEC, rz * ARCSEC, 1.0 + ds * 1e-6);
    let (x, y, z) = ((x - dx) / s, (y - dy) / s, (z - dz) / s);
    [
        x + rz * y - ry * z,
        -rz * x + y + rx * z,
        ry * x - rx * y + z,
    ]
}

/// The parameters of one side of a datum change: none for CGCS2000/WGS 84 (the hub),
/// the CRS's own for another datum, or the fault of needing them.
fn shift_parameters(def: &Definition, crs: &Crs) -> Result<Option<Towgs84>, TransformFault> {
    match def.datum() {
        Some(d) if d.is_modern() => Ok(None),
        datum => match crs.towgs84 {
            Some(p) => Ok(Some(p)),
            None => Err(TransformFault::NeedsParameters {
                datum: datum
                    .map(|d| d.name().to_string())
                    .unwrap_or_else(|| crs.label()),
            }),
        },
    }
}

/// The PROJ string of a definition without any datum shift of its own (a catalogue string
/// may carry one: gridkeeper decides the shift).
fn bare_proj(def: &Definition) -> String {
    def.proj_string()
        .split_whitespace()
        .filter(|t| !t.starts_with("+towgs84=") && !t.starts_with("+nadgrids="))
        .collect::<Vec<_>>()
        .join(" ")
}

fn same_datum(a: Option<Datum>, b: Option<Datum>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || (a.is_modern() && b.is_modern()),
        _ => false,
    }
}

impl Transform {
    /// The transformation from `from` to `to`; the identity when both are the same CRS.
    ///
    /// Fails when either CRS is not one gridkeeper can transform
    /// ([`TransformFault::Unrecognised`]), or the datums differ and the one that is not
    /// CGCS2000/WGS 84 has no [`Towgs84`] ([`TransformFault::NeedsParameters`]).
    pub fn new(from: &Crs, to: &Crs) -> Result<Transform, TransformFault> {
        let unrecognised = |c: &Crs| TransformFault::Unrecognised { crs: c.label() };
        let fd = from.definition().ok_or_else(|| unrecognised(from))?;
        let td = to.definition().ok_or_else(|| unrecognised(to))?;
        if fd == td && (from.towgs84 == to.towgs84 || fd.datum().is_some_and(Datum::is_modern)) {
            return Ok(Transform::identity());
        }
        let proj = |text: &str| {
            Proj::from_proj_string(text).map_err(|e| TransformFault::Definition {
                message: format!("{text}: {e}"),
            })
        };
        let (src, dst) = (proj(&bare_proj(&fd))?, proj(&bare_proj(&td))?);
        let shift = if same_datum(fd.datum(), td.datum()) {
            None
        } else {
            let (to_wgs84, from_wgs84) = (shift_parameters(&fd, from)?, shift_parameters(&td, to)?);
            Some(Shift::new(&src, &dst, to_wgs84, from_wgs84)?)
        };
        Ok(Transform {
            inner: Some(Inner {
                src,
                dst,
                src_degrees: fd.is_geographic(),
                dst_degrees: td.is_geographic(),
                shift,
            }),
        })
    }

    /// The transformation that changes nothing.
    pub fn identity() -> Transform {
        Transform { inner: None }
    }

    /// Whether it changes nothing.
    pub fn is_identity(&self) -> bool {
        self.inner.is_none()
    }

    /// Transforms one coordinate (degrees for geographic CRSs, metres for projected ones).
    pub fn coord(&self, c: Coord) -> Result<Coord, TransformFault> {
        let Some(t) = &self.inner else {
            return Ok(c);
        };
        let fault = || TransformFault::Coordinate {
            feature: None,
            at: [c.x, c.y],
        };
        if !c.x.is_finite() || !c.y.is_finite() {
            return Err(fault());
        }
        let mut p = if t.src_degrees {
            (c.x.to_radians(), c.y.to_radians(), 0.0)
        } else {
            (c.x, c.y, 0.0)
        };
        match &t.shift {
            None => proj4rs::transform::transform(&t.src, &t.dst, &mut p).map_err(|_| fault())?,
            Some(s) => {
                proj4rs::transform::transform(&t.src, &s.src_geo, &mut p).map_err(|_| fault())?;
                let (lon, lat) = s.apply(p.0, p.1);
                p = (lon, lat, 0.0);
                proj4rs::transform::transform(&s.dst_geo, &t.dst, &mut p).map_err(|_| fault())?;
            }
        }
        let out = if t.dst_degrees {
            Coord {
                x: p.0.to_degrees(),
                y: p.1.to_degrees(),
            }
        } else {
            Coord { x: p.0, y: p.1 }
        };
        if out.x.is_finite() && out.y.is_finite() {
            Ok(out)
        } else {
            Err(fault())
        }
    }

    /// Transforms every coordinate of a geometry.
    pub fn geometry(&self, g: &Geometry) -> Result<Geometry, TransformFault> {
        let mut out = g.clone();
        if self.inner.is_some() {
            map_in_place(&mut out, &|c| self.coord(c))?;
        }
        Ok(out)
    }

    /// The layer with every geometry (and every place a read defect was seen) transformed,
    /// `to` as its CRS, and a [`ReadNote::Reprojected`] saying from what. Features are
    /// transformed in parallel. A coordinate that cannot be transformed fails the whole layer
    /// ([`TransformFault::Coordinate`] with the feature's index).
    pub fn layer(&self, layer: &Layer, to: &Crs) -> Result<Layer, TransformFault> {
        let geometries: Vec<Option<Geometry>> = layer
            .geometries
            .par_iter()
            .enumerate()
            .map(|(i, g)| match g {
                None => Ok(None),
                Some(g) => self.geometry(g).map(Some).map_err(|f| with_feature(f, i)),
            })
            .collect::<Result<_, _>>()?;
        let mut defects = layer.defects.clone();
        for (i, d) in &mut defects {
            if let RawDefect::RingNotClosed { at, .. } = d {
                let c = self
                    .coord(Coord { x: at[0], y: at[1] })
                    .map_err(|f| with_feature(f, *i))?;
                *at = [c.x, c.y];
            }
        }
        let mut notes = layer.notes.clone();
        if let Some(from) = &layer.crs {
            notes.push(ReadNote::Reprojected {
                from: from.code_or_label(),
                to: to.code_or_label(),
                hints: super::crs::sanity::hints(&layer.geometries, from),
            });
        }
        Ok(Layer {
            source: layer.source.clone(),
            geometry_kind: layer.geometry_kind,
            has_z_or_m: layer.has_z_or_m,
            fields: layer.fields.clone(),
            columns: layer.columns.clone(),
            geometries,
            defects,
            crs: Some(to.clone()),
            encoding: layer.encoding.clone(),
            notes,
        })
    }
}

type CoordFn<'a> = dyn Fn(Coord) -> Result<Coord, TransformFault> + 'a;

/// `try_map_coords_in_place` on each kind of geometry (on `Geometry` itself the closure's
/// type recurses through collections without end).
fn map_in_place(g: &mut Geometry, f: &CoordFn) -> Result<(), TransformFault> {
    match g {
        Geometry::Point(x) => x.try_map_coords_in_place(f),
        Geometry::Line(x) => x.try_map_coords_in_place(f),
        Geometry::LineString(x) => x.try_map_coords_in_place(f),
        Geometry::Polygon(x) => x.try_map_coords_in_place(f),
        Geometry::MultiPoint(x) => x.try_map_coords_in_place(f),
        Geometry::MultiLineString(x) => x.try_map_coords_in_place(f),
        Geometry::MultiPolygon(x) => x.try_map_coords_in_place(f),
        Geometry::Rect(x) => x.try_map_coords_in_place(f),
        Geometry::Triangle(x) => x.try_map_coords_in_place(f),
        Geometry::GeometryCollection(gc) => gc.iter_mut().try_for_each(|g| map_in_place(g, f)),
    }
}

fn with_feature(f: TransformFault, i: usize) -> TransformFault {
    match f {
        TransformFault::Coordinate { at, .. } => TransformFault::Coordinate {
            feature: Some(i),
            at,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::crs::CrsSource;

    fn crs(text: &str) -> Crs {
        Crs::parse(text, CrsSource::Manifest)
    }

    #[test]
    fn the_same_crs_is_the_identity() {
        assert!(Transform::new(&crs("EPSG:4549"), &crs("EPSG:4549"))
            .expect("t")
            .is_identity());
    }

    #[test]
    fn a_datum_change_needs_parameters() {
        let xian = crs("EPSG:2385");
        let e = Transform::new(&xian, &crs("EPSG:4549")).expect_err("refused");
        assert_eq!(
            e,
            TransformFault::NeedsParameters {
                datum: "Xian 1980".into()
            }
        );
        // the other way too, and between the two older datums
        assert!(Transform::new(&crs("EPSG:4490"), &xian).is_err());
        assert!(Transform::new(&crs("EPSG:2436"), &xian).is_err());
        // within one older datum, no parameters are needed
        assert!(Transform::new(&crs("EPSG:4610"), &xian).is_ok());
        let with = xian.with_towgs84(Towgs84::parse("24,-123,-94,0.02,-0.25,-0.13,1.1"));
        assert!(Transform::new(&with, &crs("EPSG:4549")).is_ok());
    }

    #[test]
    fn unknown_crs_is_refused() {
        let e = Transform::new(&crs("nonsense"), &crs("EPSG:4549")).expect_err("refused");
        assert!(matches!(e, TransformFault::Unrecognised { .. }));
    }

    #[test]
    fn towgs84_parsing() {
        assert_eq!(
            Towgs84::parse("1 2 3 4 5 6 7"),
            Some(Towgs84([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]))
        );
        assert!(Towgs84::parse("1,2,3,4,5,6,x").is_none());
        assert!(Towgs84::from_slice(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, f64::NAN]).is_none());
    }
}
