//! Tolerances and thresholds of the spatial rules (阈值), from the profile's `[thresholds]`
//! table, each overridable on the command line (`--set name=value`).
//!
//! No standard fixes these numbers (the unit grid's ~10,000 m² is guidance, not a limit), so
//! they are settings: findings that depend on them are warnings unless the geometry is
//! plainly wrong. Lengths are metres, areas square metres.

use serde::{Deserialize, Serialize};

use crate::error::{Expected, Problem};

/// The thresholds of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Overlaps between features of one layer smaller than this are digitising noise (m²).
    pub overlap_tolerance_m2: f64,
    /// Gaps smaller than this are numerical noise and not reported (m²).
    pub gap_tolerance_m2: f64,
    /// Gaps up to this area are called slivers in messages; larger ones uncovered areas (m²).
    pub gap_sliver_max_m2: f64,
    /// A grid may stick out of its community (a community out of its street) by this much (m²).
    pub nesting_tolerance_m2: f64,
    /// Segments shorter than this are reported (m).
    pub min_segment_m: f64,
    /// Polygons below this area are reported (m²).
    pub min_area_m2: f64,
    /// A polygon whose thinness 4πA/P² is below this ratio is a sliver …
    pub sliver_thinness: f64,
    /// … when its area is also below this (m²).
    pub sliver_max_area_m2: f64,
    /// The nominal area of a unit grid (m²): about 10,000 in the dense core.
    pub grid_area_nominal_m2: f64,
    /// Grid areas below nominal ÷ factor or above nominal × factor are reported.
    pub grid_area_factor: f64,
    /// Vertices of neighbouring polygons closer than this count as shared (m).
    pub vertex_match_m: f64,
    /// Two components of one class closer than this are duplicates (m).
    pub component_duplicate_m: f64,
    /// Two addresses closer than this with the same name are duplicates (m).
    pub poi_duplicate_m: f64,
    /// Whether Z or M values are allowed (city management data is 2-D).
    pub allow_z_m: bool,
    /// `diff`: old × new overlaps below this area are digitising noise (m²); a feature whose
    /// shape changed by less than this on either side is unchanged.
    pub lineage_min_area_m2: f64,
    /// `diff`: … and overlaps below this share of both features' areas too.
    pub lineage_min_share: f64,
    /// `diff`: unmatched components this close are the same component recoded (m).
    pub component_match_m: f64,
    /// `diff`: a component that moved more than this has moved (m).
    pub component_moved_m: f64,
    /// `diff`: a code found on components farther apart than this is not one component
    /// moved but the code given to another (`DIFF-CODE-REUSED`) (m).
    pub component_reuse_m: f64,
    /// `plan`: a case outside every new grid goes to the nearest one within this (m).
    pub case_nearest_m: f64,
    /// `plan`: a case without a point goes to its old grid's successor holding at least this
    /// share of the old grid.
    pub case_lineage_share: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            overlap_tolerance_m2: 0.01,
            gap_tolerance_m2: 0.01,
            gap_sliver_max_m2: 10.0,
            nesting_tolerance_m2: 0.5,
            min_segment_m: 0.01,
            min_area_m2: 1.0,
            sliver_thinness: 0.05,
            sliver_max_area_m2: 100.0,
            grid_area_nominal_m2: 10_000.0,
            grid_area_factor: 10.0,
            vertex_match_m: 0.01,
            component_duplicate_m: 0.5,
            poi_duplicate_m: 1.0,
            allow_z_m: false,
            lineage_min_area_m2: 10.0,
            lineage_min_share: 0.001,
            component_match_m: 1.0,
            component_moved_m: 0.5,
            component_reuse_m: 100.0,
            case_nearest_m: 50.0,
            case_lineage_share: 0.5,
        }
    }
}

impl Thresholds {
    /// Sets one threshold from `name=value` text (`--set overlap_tolerance_m2=0.1`).
    ///
    /// ```
    /// let mut t = gridkeeper::schema::Thresholds::default();
    /// t.set("grid_area_nominal_m2=2500")?;
    /// assert_eq!(t.grid_area_nominal_m2, 2500.0);
    /// assert!(t.set("no_such=1").is_err());
    /// # Ok::<(), gridkeeper::Problem>(())
    /// ```
    pub fn set(&mut self, assignment: &str) -> Result<(), Problem> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| Problem::BadValue {
                key: "--set".into(),
                value: assignment.to_string(),
                expected: Expected::FieldPairs,
            })?;
        let (name, value) = (name.trim(), value.trim());
        let mut table = toml::Table::new();
        let parsed: toml::Value = value
            .parse::<f64>()
            .map(toml::Value::Float)
            .or_else(|_| value.parse::<bool>().map(toml::Value::Boolean))
            .map_err(|_| Problem::BadValue {
                key: name.to_string(),
                value: value.to_string(),
                expected: Expected::OneOf(vec!["a number".into(), "true".into(), "false".into()]),
            })?;
        let mut current = toml::Table::try_from(&*self).map_err(|e| Problem::Toml {
            message: e.to_string(),
        })?;
        if !current.contains_key(name) {
            return Err(Problem::BadValue {
                key: "--set".into(),
                value: name.to_string(),
                expected: Expected::OneOf(current.keys().cloned().collect()),
            });
        }
        table.insert(name.to_string(), parsed);
        current.extend(table);
        *self = toml::Value::Table(current)
            .try_into()
            .map_err(|e: toml::de::Error| Problem::BadValue {
                key: name.to_string(),
                value: format!("{value} ({})", e.message()),
                expected: Expected::NonEmpty,
            })?;
        self.check()
    }

    /// Checks every threshold against its range (`BadValue` naming the first out of it).
    ///
    /// Each is a finite number not below zero, a share at most 1, and the radii that
    /// searches use are bounded: a `component_duplicate_m` of a kilometre would pair every
    /// component with every other one of a town, and a profile may come inside a town's
    /// package.
    ///
    /// ```
    /// let mut t = gridkeeper::schema::Thresholds::default();
    /// assert!(t.check().is_ok());
    /// assert!(t.set("component_duplicate_m=1e12").is_err());
    /// assert!(t.set("lineage_min_share=-0.5").is_err());
    /// ```
    pub fn check(&self) -> Result<(), Problem> {
        const ANY: f64 = f64::MAX;
        let ranges: [(&str, f64, f64, f64); 20] = [
            ("overlap_tolerance_m2", self.overlap_tolerance_m2, 0.0, ANY),
            ("gap_tolerance_m2", self.gap_tolerance_m2, 0.0, ANY),
            ("gap_sliver_max_m2", self.gap_sliver_max_m2, 0.0, ANY),
            ("nesting_tolerance_m2", self.nesting_tolerance_m2, 0.0, ANY),
            ("min_segment_m", self.min_segment_m, 0.0, 1_000.0),
            ("min_area_m2", self.min_area_m2, 0.0, ANY),
            ("sliver_thinness", self.sliver_thinness, 0.0, 1.0),
            ("sliver_max_area_m2", self.sliver_max_area_m2, 0.0, ANY),
            ("grid_area_nominal_m2", self.grid_area_nominal_m2, 0.0, ANY),
            ("grid_area_factor", self.grid_area_factor, 1.0, ANY),
            ("vertex_match_m", self.vertex_match_m, 0.0, 10.0),
            (
                "component_duplicate_m",
                self.component_duplicate_m,
                0.0,
                100.0,
            ),
            ("poi_duplicate_m", self.poi_duplicate_m, 0.0, 100.0),
            ("lineage_min_area_m2", self.lineage_min_area_m2, 0.0, ANY),
            ("lineage_min_share", self.lineage_min_share, 0.0, 1.0),
            ("component_match_m", self.component_match_m, 0.0, 100.0),
            ("component_moved_m", self.component_moved_m, 0.0, ANY),
            ("component_reuse_m", self.component_reuse_m, 0.0, ANY),
            ("case_nearest_m", self.case_nearest_m, 0.0, 10_000.0),
            ("case_lineage_share", self.case_lineage_share, 0.0, 1.0),
        ];
        for (name, value, min, max) in ranges {
            if !(value >= min && value <= max) {
                return Err(Problem::BadValue {
                    key: name.to_string(),
                    value: value.to_string(),
                    expected: Expected::NumberBetween { min, max },
                });
            }
        }
        Ok(())
    }
}
