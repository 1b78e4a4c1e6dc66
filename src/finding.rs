//! Findings (检查发现): defects in data that could be read, each tied to a stable rule id.

use geo::Geometry;
use serde::Serialize;

use crate::i18n::{Lang, Msg};

/// How serious a finding is. Errors make `validate` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data must be fixed before it is submitted.
    Error,
    /// Probably wrong, or worth a look.
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident => $id:literal, $sev:ident, $family:literal; )*) => {
        /// A rule: what a finding is about. Ids are stable and listed in `docs/rules.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable id (`GRID-OVERLAP`, `ATTR-REQUIRED`, …).
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// The severity a finding of this rule has unless a profile says otherwise.
            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$sev,)* }
            }

            /// The family (`data`, `attributes`, `codes`, `crs`, …) used for scoring and grouping.
            pub fn family(self) -> &'static str {
                match self { $(Rule::$variant => $family,)* }
            }

            /// The rule with this id.
            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($id => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    /// A layer the dataset needs is absent.
    LayerMissing => "LAYER-MISSING", Error, "dataset";
    /// A layer has no features.
    LayerEmpty => "LAYER-EMPTY", Warning, "dataset";
    /// A field the profile requires is not in the file.
    FieldMissing => "FIELD-MISSING", Error, "dataset";
    /// A layer's CRS differs from the manifest's.
    CrsMismatch => "CRS-MISMATCH", Error, "crs";
    /// A layer states no CRS.
    CrsMissing => "CRS-MISSING", Warning, "crs";
    /// A layer's CRS statement could not be recognised.
    CrsUnrecognised => "CRS-UNRECOGNISED", Warning, "crs";
    /// A layer was transformed to the manifest's CRS before checking (`--reproject`).
    CrsReprojected => "CRS-REPROJECTED", Info, "crs";
    /// Coordinates outside the area of use of their declared CRS.
    CrsOutOfArea => "CRS-OUT-OF-AREA", Warning, "crs";
    /// Coordinates that fit their CRS only with x and y swapped.
    CrsAxesSwapped => "CRS-AXES-SWAPPED", Warning, "crs";
    /// Gauss-Krüger eastings without the zone number their CRS expects, or with one it does not.
    CrsZonePrefix => "CRS-ZONE-PREFIX", Warning, "crs";
    /// Attribute text that says nothing of its encoding was read as GB18030.
    EncodingGuessed => "ENCODING-GUESSED", Warning, "file";
    /// A shapefile has no `.shx`; it was read without.
    ShxMissing => "SHX-MISSING", Warning, "file";
    /// A `.shx` disagrees with its `.shp`.
    ShxMismatch => "SHX-MISMATCH", Warning, "file";
    /// Bytes outside any record were skipped.
    FileTrailingBytes => "FILE-TRAILING-BYTES", Warning, "file";
    /// The `.shp` and `.dbf` hold different numbers of records.
    RecordCountMismatch => "RECORD-COUNT-MISMATCH", Error, "file";
    /// A shapefile has no `.dbf`.
    DbfMissing => "DBF-MISSING", Warning, "file";
    /// A MultiPatch shapefile was read as polygons.
    MultiPatch => "MULTIPATCH", Warning, "file";
    /// A required value is empty.
    AttrRequired => "ATTR-REQUIRED", Error, "attributes";
    /// A value does not parse as the field's type.
    AttrType => "ATTR-TYPE", Error, "attributes";
    /// A value does not match the field's pattern.
    AttrPattern => "ATTR-PATTERN", Error, "attributes";
    /// A value is not one of the field's allowed values.
    AttrEnum => "ATTR-ENUM", Error, "attributes";
    /// A value is below the minimum or above the maximum.
    AttrRange => "ATTR-RANGE", Error, "attributes";
    /// A value is shorter or longer than allowed.
    AttrLength => "ATTR-LENGTH", Error, "attributes";
    /// A value that must be unique is repeated.
    AttrUnique => "ATTR-UNIQUE", Error, "attributes";
    /// A primary key (code) is used by more than one feature.
    KeyDuplicate => "KEY-DUPLICATE", Error, "codes";
    /// A reference (grid → community → street) names a code that does not exist.
    KeyForeign => "KEY-FOREIGN", Error, "codes";
    /// A code does not have the profile's segments (length, characters).
    CodeFormat => "CODE-FORMAT", Error, "codes";
    /// A code's county part is not the dataset's region.
    CodeRegion => "CODE-REGION", Error, "codes";
    /// A code does not start with its parent's code (grid → community → street).
    CodeParent => "CODE-PARENT", Error, "codes";
    /// A component code's class part differs from its class field.
    CodeClass => "CODE-CLASS", Error, "codes";
    /// A class that is not in the profile's class table.
    ClassUnknown => "CLASS-UNKNOWN", Error, "codes";
    /// The profile's class table is empty (a city must supply it): classes were not checked.
    ClassTableEmpty => "CLASS-TABLE-EMPTY", Info, "codes";
    /// A start date after the end date.
    DateOrder => "DATE-ORDER", Error, "attributes";
    /// A polygon ring with fewer than 3 distinct points (4 with closure), or a line of 1 point.
    GeomTooFewPoints => "GEOM-TOO-FEW-POINTS", Error, "geometry";
    /// A coordinate that is NaN or infinite.
    GeomInvalidCoordinate => "GEOM-INVALID-COORDINATE", Error, "geometry";
    /// A ring whose first and last points differ in the file.
    GeomRingNotClosed => "GEOM-RING-NOT-CLOSED", Error, "geometry";
    /// Segments of a ring cross or overlap, or rings of a polygon cross or touch along a line.
    GeomSelfIntersection => "GEOM-SELF-INTERSECTION", Error, "geometry";
    /// A ring touches itself at a point (self-tangency, an "inverted hole").
    GeomRingSelfIntersection => "GEOM-RING-SELF-INTERSECTION", Error, "geometry";
    /// A hole lies (partly) outside its shell.
    GeomHoleOutsideShell => "GEOM-HOLE-OUTSIDE-SHELL", Error, "geometry";
    /// A hole lies inside another hole.
    GeomNestedHoles => "GEOM-NESTED-HOLES", Error, "geometry";
    /// Holes touching each other or the shell split the interior.
    GeomDisconnectedInterior => "GEOM-DISCONNECTED-INTERIOR", Error, "geometry";
    /// A part of a multipolygon lies inside another part.
    GeomNestedShells => "GEOM-NESTED-SHELLS", Error, "geometry";
    /// Two rings are the same.
    GeomDuplicateRings => "GEOM-DUPLICATE-RINGS", Error, "geometry";
    /// Two parts of a multipolygon share an edge.
    GeomPartsShareEdge => "GEOM-PARTS-SHARE-EDGE", Error, "geometry";
    /// A polygon of so many rings nested or piled on each other that its validity cannot be
    /// checked in bounded time.
    GeomTooComplex => "GEOM-TOO-COMPLEX", Error, "geometry";
    /// A feature without geometry (null or empty) in a layer that needs one.
    GeomNull => "GEOM-NULL", Error, "geometry";
    /// A feature whose geometry is of another kind than its layer's.
    GeomType => "GEOM-TYPE", Error, "geometry";
    /// Z or M values where the profile wants 2-D.
    GeomZm => "GEOM-ZM", Warning, "geometry";
    /// Consecutive repeated vertices.
    GeomRepeatedVertex => "GEOM-REPEATED-VERTEX", Warning, "geometry";
    /// A segment shorter than the tolerance.
    GeomShortSegment => "GEOM-SHORT-SEGMENT", Warning, "geometry";
    /// A thin polygon of small area.
    GeomSliver => "GEOM-SLIVER", Warning, "geometry";
    /// A polygon below the minimum area.
    GeomSmallArea => "GEOM-SMALL-AREA", Warning, "geometry";
    /// Coordinates in a CSV row that are not numbers.
    GeomCoordinateText => "GEOM-COORDINATE-TEXT", Error, "geometry";
    /// A unit grid far from the nominal area.
    GridArea => "GRID-AREA", Warning, "geometry";
    /// Two features of one layer overlap.
    CoverOverlap => "COVER-OVERLAP", Error, "coverage";
    /// Part of the jurisdiction is covered by no feature of the layer.
    CoverGap => "COVER-GAP", Error, "coverage";
    /// A hole one feature surrounds is filled by no other feature.
    CoverHole => "COVER-HOLE", Warning, "coverage";
    /// Neighbours' shared boundaries do not match vertex to vertex.
    CoverVertexMismatch => "COVER-VERTEX-MISMATCH", Warning, "coverage";
    /// A grid is not inside one community (a community not inside one street).
    NestOutsideParent => "NEST-OUTSIDE-PARENT", Error, "nesting";
    /// A grid's code or field names community A, its geometry lies in community B.
    NestWrongParent => "NEST-WRONG-PARENT", Error, "nesting";
    /// Part of a community is covered by grids of other communities only.
    NestUncovered => "NEST-UNCOVERED", Error, "nesting";
    /// A unit grid shared by more than one duty grid (责任网格) of a duty layer.
    DutyGridSplit => "DUTY-GRID-SPLIT", Error, "nesting";
    /// A component lies in no grid.
    CompOutsideGrid => "COMP-OUTSIDE-GRID", Error, "points";
    /// A component lies on a grid boundary.
    CompOnBoundary => "COMP-ON-BOUNDARY", Warning, "points";
    /// A component lies in grid X while its grid field says Y.
    CompWrongGrid => "COMP-WRONG-GRID", Error, "points";
    /// A component lies outside the jurisdiction.
    CompOutsideJurisdiction => "COMP-OUTSIDE-JURISDICTION", Error, "points";
    /// Two components of one class closer than the tolerance.
    CompDuplicate => "COMP-DUPLICATE", Warning, "points";
    /// An address outside the jurisdiction.
    PoiOutsideJurisdiction => "POI-OUTSIDE-JURISDICTION", Warning, "points";
    /// Two addresses of one name closer than the tolerance.
    PoiDuplicate => "POI-DUPLICATE", Warning, "points";
    /// `diff`: a feature left out of the comparison (no geometry, or an invalid one).
    DiffSkipped => "DIFF-SKIPPED", Warning, "diff";
    /// `diff`: a code in use last year (or retired) given to a feature somewhere else.
    DiffCodeReused => "DIFF-CODE-REUSED", Warning, "diff";
    /// `plan`: a case filed under one grid whose point lies in another (old data).
    CaseGridMismatch => "CASE-GRID-MISMATCH", Warning, "cases";
    /// `plan`: a case filed under a grid code the old data does not have.
    CaseGridUnknown => "CASE-GRID-UNKNOWN", Warning, "cases";
    /// `plan`: a case whose point lies in no grid of the old data.
    CasePointOutside => "CASE-POINT-OUTSIDE", Warning, "cases";
    /// `plan`: a case id the case file lists more than once.
    CaseIdDuplicate => "CASE-ID-DUPLICATE", Warning, "cases";
    /// `check`: the submission arrived fewer days before it takes effect than required.
    SubmitLate => "SUBMIT-LATE", Error, "submission";
    /// `check`: the submitted dataset's manifest gives no effective date.
    SubmitNoEffective => "SUBMIT-NO-EFFECTIVE", Error, "submission";
    /// `check`: the submission's town differs from the streets its data holds.
    SubmitTown => "SUBMIT-TOWN", Warning, "submission";
    /// `check`: a layer is the same as last year's (nothing updated).
    SubmitUnchanged => "SUBMIT-UNCHANGED", Warning, "submission";
    /// `check`: the package holds no plan (更新方案) at all.
    PlanMissing => "PLAN-MISSING", Error, "plan";
    /// `check`: a plan file that must be submitted is absent.
    PlanFileMissing => "PLAN-FILE-MISSING", Error, "plan";
    /// `check`: a plan file that cannot be read (bad CSV, missing column, broken workbook).
    PlanFileBad => "PLAN-FILE-BAD", Error, "plan";
    /// `check`: one of the plan's five sections is not there.
    PlanSectionMissing => "PLAN-SECTION-MISSING", Error, "plan";
    /// `check`: one of the plan's five sections has nothing in it.
    PlanSectionEmpty => "PLAN-SECTION-EMPTY", Error, "plan";
    /// `check`: a case the re-derived case crosswalk holds is not in the submitted one.
    XwalkCaseMissing => "XWALK-CASE-MISSING", Error, "crosswalk";
    /// `check`: a case in the submitted case crosswalk that should not be there.
    XwalkCaseExtra => "XWALK-CASE-EXTRA", Error, "crosswalk";
    /// `check`: a case listed more than once in the submitted case crosswalk.
    XwalkCaseDuplicate => "XWALK-CASE-DUPLICATE", Error, "crosswalk";
    /// `check`: a case mapped to another new grid than the re-derived one.
    XwalkCaseGrid => "XWALK-CASE-GRID", Error, "crosswalk";
    /// `check`: a case mapped to another new community than the re-derived one.
    XwalkCaseCommunity => "XWALK-CASE-COMMUNITY", Error, "crosswalk";
    /// `check`: a case mapped to another new street than the re-derived one.
    XwalkCaseStreet => "XWALK-CASE-STREET", Error, "crosswalk";
    /// `check`: a case's old grid, community or street differs from the case as filed.
    XwalkCaseOld => "XWALK-CASE-OLD", Error, "crosswalk";
    /// `check`: the cases could not be re-derived (no cases given): the case crosswalk was not compared.
    XwalkCasesUnchecked => "XWALK-CASES-UNCHECKED", Info, "crosswalk";
    /// `check`: a row of the re-derived grid crosswalk is not in the submitted one.
    XwalkGridMissing => "XWALK-GRID-MISSING", Error, "crosswalk";
    /// `check`: a row of the submitted grid crosswalk that the data does not give.
    XwalkGridExtra => "XWALK-GRID-EXTRA", Error, "crosswalk";
    /// `check`: a grid crosswalk row with another relation than the re-derived one.
    XwalkGridRelation => "XWALK-GRID-RELATION", Error, "crosswalk";
    /// `check`: a grid crosswalk row whose areas or shares differ from the re-derived ones.
    XwalkGridArea => "XWALK-GRID-AREA", Warning, "crosswalk";
    /// A street or community code missing from the administrative code list.
    AdminUnknown => "ADMIN-UNKNOWN", Warning, "admin";
    /// A street or community name that differs from the administrative code list.
    AdminName => "ADMIN-NAME", Warning, "admin";
}

/// One defect found in the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Its severity.
    pub severity: Severity,
    /// The layer (`grids`, `components`, …), or the file for a single-file check.
    pub layer: String,
    /// The feature's code, or `#N` (its zero-based index) when it has none; empty for a
    /// finding about the whole layer.
    pub key: String,
    /// Zero-based index of the feature in its file.
    pub feature: Option<usize>,
    /// The canonical field concerned.
    pub field: Option<String>,
    /// What was found, in words.
    pub message: Msg,
    /// Where it happens, in the layer's coordinates.
    pub location: Option<[f64; 2]>,
    /// The defect's own geometry (an overlap or gap polygon), for `--errors-geojson`.
    pub geometry: Option<Box<Geometry>>,
    /// The measured value (an area in m², a distance in m), when the rule measures one.
    pub measure: Option<f64>,
}

impl Finding {
    /// A finding of `rule` with its default severity.
    pub fn new(rule: Rule, layer: impl Into<String>, message: Msg) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            layer: layer.into(),
            key: String::new(),
            feature: None,
            field: None,
            message,
            location: None,
            geometry: None,
            measure: None,
        }
    }

    /// Ties the finding to a feature.
    pub fn at(mut self, feature: usize, key: impl Into<String>) -> Finding {
        self.feature = Some(feature);
        self.key = key.into();
        self
    }

    /// Names the field concerned.
    pub fn field(mut self, field: impl Into<String>) -> Finding {
        self.field = Some(field.into());
        self
    }

    /// Gives the place.
    pub fn located(mut self, xy: [f64; 2]) -> Finding {
        self.location = Some(xy);
        self
    }

    /// Attaches the defect's geometry.
    pub fn with_geometry(mut self, g: Geometry) -> Finding {
        self.geometry = Some(Box::new(g));
        self
    }

    /// Records the measured value.
    pub fn measured(mut self, value: f64) -> Finding {
        self.measure = Some(value);
        self
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        self.message.render(lang)
    }
}

/// Sorts findings into report order (deterministic whatever order they were found in).
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.layer
            .cmp(&b.layer)
            .then(a.feature.cmp(&b.feature))
            .then(a.rule.id().cmp(b.rule.id()))
            .then(a.field.cmp(&b.field))
            .then_with(|| a.text(Lang::En).cmp(&b.text(Lang::En)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for r in Rule::ALL {
            assert!(seen.insert(r.id()), "duplicate id {}", r.id());
            assert_eq!(Rule::from_id(r.id()), Some(*r));
        }
    }
}
