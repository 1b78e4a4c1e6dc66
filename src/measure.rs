//! Areas and lengths in square metres and metres (量算): planar in a projected CRS,
//! geodesic (Karney, on the WGS 84 ellipsoid, which CGCS2000 matches to 1e-10) for
//! longitude/latitude.

use geo::{
    Area, Coord, Distance, Euclidean, Geodesic, GeodesicArea, Geometry, MultiPolygon, Point,
    Polygon,
};

use crate::io::crs::Crs;

/// How a layer's areas and lengths are measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Projected coordinates in metres: planar area and length.
    Planar,
    /// Longitude/latitude in degrees: geodesic area and length.
    Geodesic,
}

impl Measure {
    /// The measure for a layer: geodesic when its CRS (else the manifest's) is geographic;
    /// with no CRS known, geodesic when the sample coordinate looks like longitude/latitude.
    ///
    /// ```
    /// use gridkeeper::measure::Measure;
    /// use gridkeeper::io::crs::{Crs, CrsSource};
    /// let gk = Crs::parse("EPSG:4549", CrsSource::Manifest);
    /// assert_eq!(Measure::for_crs(Some(&gk), None, None), Measure::Planar);
    /// let ll = Crs::parse("EPSG:4490", CrsSource::Manifest);
    /// assert_eq!(Measure::for_crs(Some(&ll), None, None), Measure::Geodesic);
    /// assert_eq!(Measure::for_crs(None, None, Some(geo::coord! {x: 118.5, y: 24.8})), Measure::Geodesic);
    /// ```
    pub fn for_crs(layer: Option<&Crs>, manifest: Option<&Crs>, sample: Option<Coord>) -> Measure {
        let known = layer
            .and_then(Crs::is_geographic)
            .or_else(|| manifest.and_then(Crs::is_geographic));
        match known {
            Some(true) => Measure::Geodesic,
            Some(false) => Measure::Planar,
            None => match sample {
                Some(c) if c.x.abs() <= 180.0 && c.y.abs() <= 90.0 => Measure::Geodesic,
                _ => Measure::Planar,
            },
        }
    }

    /// The measure of a layer: from its CRS, else the manifest's, else its first coordinate.
    pub fn of_layer(layer: &crate::io::Layer, manifest: Option<&Crs>) -> Measure {
        use geo::CoordsIter;
        let sample = layer
            .geometries
            .iter()
            .flatten()
            .find_map(|g| g.coords_iter().next());
        Measure::for_crs(layer.crs.as_ref(), manifest, sample)
    }

    /// `planar` or `geodesic`, as reports state it.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Planar => "planar",
            Measure::Geodesic => "geodesic",
        }
    }

    /// The area of a polygonal geometry in m² (0 for points and lines).
    pub fn area(self, g: &Geometry) -> f64 {
        match self {
            Measure::Planar => g.unsigned_area(),
            Measure::Geodesic => match g {
                Geometry::Polygon(p) => geodesic(p),
                Geometry::MultiPolygon(mp) => geodesic_multi(mp),
                Geometry::Rect(r) => geodesic(&r.to_polygon()),
                Geometry::Triangle(t) => geodesic(&t.to_polygon()),
                _ => 0.0,
            },
        }
    }

    /// The area of a polygon in m².
    pub fn polygon_area(self, p: &Polygon) -> f64 {
        match self {
            Measure::Planar => p.unsigned_area(),
            Measure::Geodesic => geodesic(p),
        }
    }

    /// The distance between two coordinates in m.
    pub fn distance(self, a: Coord, b: Coord) -> f64 {
        match self {
            Measure::Planar => Euclidean.distance(Point(a), Point(b)),
            Measure::Geodesic => Geodesic.distance(Point(a), Point(b)),
        }
    }

    /// The perimeter of a polygon (all rings) in m.
    pub fn perimeter(self, p: &Polygon) -> f64 {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(|r| {
                r.0.windows(2)
                    .map(|w| self.distance(w[0], w[1]))
                    .sum::<f64>()
            })
            .sum()
    }

    /// `metres` expressed in coordinate units near `at` (the same number when planar; an
    /// approximate number of degrees when geodesic — good for tolerances, not for measuring).
    pub fn to_units(self, metres: f64, at: Coord) -> f64 {
        match self {
            Measure::Planar => metres,
            Measure::Geodesic => {
                let lat = at.y.to_radians().cos().abs().max(0.01);
                metres / (111_320.0 * lat)
            }
        }
    }
}

/// The geodesic area of a polygon whatever its rings' orientation. The unsigned area takes a
/// clockwise shell to enclose the rest of the Earth; the signed one is the smaller of the two
/// areas a ring bounds, signed by its winding, which is the polygon's for anything smaller
/// than half the Earth (a near-degenerate sliver included).
fn geodesic(p: &Polygon) -> f64 {
    p.geodesic_area_signed().abs()
}

fn geodesic_multi(mp: &MultiPolygon) -> f64 {
    mp.0.iter().map(geodesic).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// A 0.001° × 0.001° cell at 118.5°E 24.8°N. Expected area from PROJ 9.5.1 (pyproj 3.7.2,
    /// `Geod(ellps='GRS80').polygon_area_perimeter`, the ellipsoid of CGCS2000):
    /// 11200.222273766994 m²; on WGS 84: 11200.222274005413 m².
    #[test]
    fn geodesic_area_of_a_lon_lat_cell() {
        let cell = polygon![
            (x: 118.5, y: 24.8), (x: 118.501, y: 24.8), (x: 118.501, y: 24.801), (x: 118.5, y: 24.801)
        ];
        let a = Measure::Geodesic.polygon_area(&cell);
        assert!((a - 11_200.222_274).abs() < 1e-3, "{a}");
        // Planar area of degrees is not an area in m².
        assert!(Measure::Planar.polygon_area(&cell) < 1e-5);
    }

    /// The same cell with its shell clockwise (as shapefiles store shells): the same area,
    /// not the Earth's less the cell.
    #[test]
    fn geodesic_area_whatever_the_winding() {
        let cw = polygon![
            (x: 118.5, y: 24.8), (x: 118.5, y: 24.801), (x: 118.501, y: 24.801), (x: 118.501, y: 24.8)
        ];
        let a = Measure::Geodesic.polygon_area(&cw);
        assert!((a - 11_200.222_274).abs() < 1e-3, "{a}");
        let mp = Geometry::MultiPolygon(MultiPolygon(vec![cw.clone(), cw]));
        assert!((Measure::Geodesic.area(&mp) - 2.0 * 11_200.222_274).abs() < 2e-3);
    }

    #[test]
    fn planar_area_and_distance_in_metres() {
        let cell = polygon![(x: 0., y: 0.), (x: 100., y: 0.), (x: 100., y: 100.), (x: 0., y: 100.)];
        assert_eq!(Measure::Planar.polygon_area(&cell), 10_000.0);
        assert_eq!(Measure::Planar.perimeter(&cell), 400.0);
        let d = Measure::Geodesic.distance(
            geo::coord! {x: 118.5, y: 24.8},
            geo::coord! {x: 118.5, y: 24.801},
        );
        assert!((d - 110.7).abs() < 0.1, "{d}");
    }
}
