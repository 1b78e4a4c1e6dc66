//! The message catalogue (消息目录): every sentence a user reads, in Chinese and English.
//!
//! Chinese is the default; `--lang en` asks for English. The catalogue is split by topic:
//!
//! - [`Msg`] (`findings.rs`): what a finding says, with its values;
//! - [`error_text`] (`errors.rs`): the message of an error that stopped a command;
//! - [`Text`] and [`Say`] (`ui.rs`): the command line and the text report — fixed labels and
//!   headings, and sentences with values.
//!
//! Code elsewhere lays text out (columns, padding, separators) but takes its words from here.
//! Inside the catalogue, `tr!(lang, "中文 {x}", "English {x}", args…)` formats the sentence of
//! the language asked for, and only that one.

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks between the two texts.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// `tr!(lang, "中文", "English", args…)`: `format!` of the sentence in `lang`. Both sentences
/// take the same positional arguments and may capture variables by name.
macro_rules! tr {
    ($lang:expr, $zh:literal, $en:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::Zh => format!($zh),
            $crate::i18n::Lang::En => format!($en),
        }
    };
    ($lang:expr, $zh:literal, $en:literal, $($arg:tt)+) => {
        match $lang {
            $crate::i18n::Lang::Zh => format!($zh, $($arg)+),
            $crate::i18n::Lang::En => format!($en, $($arg)+),
        }
    };
}

pub mod center;
pub mod check;
mod crs;
mod diff;
mod errors;
mod findings;
pub mod html;
pub mod plan;
mod ui;

pub use self::errors::error_text;
pub use self::findings::Msg;
pub use self::ui::{Say, Text};

/// A CJK ideograph, CJK punctuation (`，。：（）` …) or a fullwidth form.
#[cfg(test)]
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Asserts that the Chinese text `zh` of `what` has a CJK character and its English text
/// `en` none: the tests of every table of texts use it.
#[cfg(test)]
fn assert_bilingual(what: &str, zh: &str, en: &str) {
    assert!(
        zh.chars().any(is_cjk),
        "{what}: no CJK in the Chinese “{zh}”"
    );
    assert!(!en.chars().any(is_cjk), "{what}: CJK in the English “{en}”");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::ShxFault;

    /// `one_of_each!(fn name -> Type { Variant { fields }, … })` lists one sample of each
    /// variant and also writes a `match` with one arm per sample and no wildcard, so a variant
    /// without a sample does not compile.
    macro_rules! one_of_each {
        (fn $name:ident -> $ty:ident { $($variant:ident { $($body:tt)* }),* $(,)? }) => {
            fn $name() -> Vec<$ty> {
                #[allow(dead_code)]
                fn exhaustive(m: &$ty) {
                    match m {
                        $($ty::$variant { .. } => {})*
                    }
                }
                vec![$($ty::$variant { $($body)* }),*]
            }
        };
    }

    fn s(v: &str) -> String {
        v.to_string()
    }

    one_of_each! {
        fn msgs -> Msg {
            LayerMissing { layer: s("grids") },
            LayerEmpty {},
            FieldMissing { tried: vec![s("WGBM"), s("grid_code")] },
            CrsMismatch { found: s("EPSG:4326"), expected: s("EPSG:4549") },
            CrsMissing { expected: Some(s("EPSG:4549")) },
            CrsUnrecognised { text: s("LOCAL_CS[\"x\"]") },
            CrsReprojected { from: s("EPSG:4490"), to: s("EPSG:4549") },
            CrsOutOfArea { crs: s("EPSG:4549"), count: 3, area: s("118.0–122.0°E, 3.0–54.0°N") },
            CrsAxesSwapped { crs: s("EPSG:4490"), count: 12, geographic: true },
            CrsZonePrefix { crs: s("EPSG:4527"), count: 5, expected: Some(39), found: None, fits: Some(s("EPSG:4548")) },
            EncodingGuessed { encoding: s("GB18030") },
            ShxMissing {},
            ShxMismatch { fault: ShxFault::Count { shx: 3, shp: 4 } },
            TrailingBytes { file: s("grids.shp"), bytes: 12 },
            RecordCountMismatch { shapes: 10, records: 9 },
            DbfMissing {},
            MultiPatch {},
            AttrRequired {},
            AttrType { value: s("abc"), expected: s("integer"), format: None },
            AttrPattern { value: s("12a"), pattern: s("^[0-9]+$") },
            AttrEnum { value: s("9"), allowed: vec![s("1"), s("2")] },
            AttrRange { value: s("120"), minimum: Some(s("0")), maximum: Some(s("100")) },
            AttrLength { value: s("abcdef"), min: Some(1), max: Some(4) },
            AttrUnique { value: s("A1"), first: s("#3") },
            KeyDuplicate { value: s("350582001001001"), first: 7 },
            KeyForeign { value: s("350582001099"), layer: s("communities") },
            CodeLength { value: s("3505820010"), found: 10, expected: 15 },
            CodeCharacter { value: s("35058200100100é"), character: s("é"), at: 15 },
            CodeSegment { value: s("3505820X1001001"), segment: s("street"), text: s("0X1"), pattern: s("[0-9]{3}") },
            CodeRegion { value: s("350581001001001"), part: s("350581"), region: s("350582") },
            CodeParent {
                value: s("350582001002001"),
                segments: s("region+street+community"),
                part: s("350582001002"),
                field: s("community"),
                expected: s("350582001001"),
            },
            ClassUnknown { class: s("0199"), table: s("component_classes") },
            ClassTableEmpty { table: s("component_classes") },
            DateOrder { start: s("2026-07-01"), end: s("2025-07-01") },
            AdminUnknown { code: s("350582999") },
            AdminName { code: s("350582001"), name: s("A"), expected: s("B") },
            GeomInvalid { defect: s("self-intersection"), polygon: 0, ring: 0 },
            RingNotClosed { ring: 0 },
            TooFewPoints { part: 1, points: 2 },
            InvalidCoordinate { part: 0 },
            CoordinateText { text: s("x,y") },
            GeomNull {},
            GeomType { found: s("Point"), expected: s("Polygon") },
            GeomZm {},
            RepeatedVertex { count: 2 },
            ShortSegment { length: 0.00012, min: 0.001 },
            Sliver { area: 3.456, thinness: 0.0123 },
            SmallArea { area: 0.5, min: 1.0 },
            GridArea { area: 52000.0, nominal: 10000.0, factor: 4.0 },
            Overlap { other: s("350582001001002"), area: 12.5 },
            Gap { area: 5.0, sliver: true, edge: false, neighbours: vec![s("a"), s("b")] },
            Hole { area: 7.25, owner: s("350582001001003") },
            VertexMismatch { other: s("350582001001004"), count: 3 },
            NestOutsideParent {
                parent: s("communities"),
                outside: 120.0,
                shares: vec![(s("350582001001"), 0.8), (s("350582001002"), 0.2)],
            },
            NestWrongParent { stated: s("350582001001"), actual: s("350582001002"), share: 0.97 },
            NestUncovered { area: 40.0, covered_by: vec![s("350582001002001")] },
            DutyGridSplit {
                duty: s("enforcement_grids"),
                shares: vec![(s("350582001ZF001"), 0.6), (s("350582001ZF002"), 0.4)],
            },
            CompOutsideGrid {},
            CompOnBoundary { grids: vec![s("g1"), s("g2")] },
            CompWrongGrid { stated: s("g1"), actual: s("g2") },
            CompOutsideJurisdiction {},
            CompDuplicate { other: s("3505820101000001"), distance: 0.0125 },
            PoiOutsideJurisdiction {},
            PoiDuplicate { other: s("p1"), distance: 0.5 },
            DiffSkipped { version: s("old") },
            CodeReused { code: s("350582001001008"), retired: true },
            CaseGridMismatch { filed: s("350582001001001"), located: s("350582001001002") },
            CaseGridUnknown { filed: s("350582001001099") },
            CasePointOutside { filed: Some(s("350582001001001")) },
            CaseIdDuplicate { first: 12 },
            SubmitLate { received: s("2026-06-11"), effective: s("2026-07-01"), days: 20, required: 21 },
            SubmitNoEffective {},
            SubmitTown { stated: s("350582001"), found: vec![s("350582002")] },
            SubmitUnchanged {},
            PlanMissing {},
            PlanFileMissing { part: s("case_crosswalk") },
            PlanFileBad { file: s("case_crosswalk.csv"), column: Some(s("new_grid")), detail: None },
            PlanSectionMissing { section: 4, file: s("plan.md") },
            PlanSectionEmpty { section: 1, file: s("plan.md") },
            XwalkCaseMissing { old_grid: s("350582101001001"), new_grid: s("350582101001009") },
            XwalkCaseExtra { known: true, elsewhere: false },
            XwalkCaseDuplicate { rows: 2 },
            XwalkCaseDiffers { level: s("grid"), submitted: s("350582101001001"), derived: s("350582101001009") },
            XwalkCaseOld { level: s("street"), submitted: s("350582001"), filed: s("350582101") },
            XwalkCasesUnchecked {},
            XwalkGridMissing { old: s("350582101001001"), new: s("350582101001009"), relation: s("split") },
            XwalkGridExtra { old: s("350582101001001"), new: s(""), relation: s("removed") },
            XwalkGridRelation { old: s("a"), new: s("b"), submitted: s("reshaped"), derived: s("split") },
            XwalkGridArea { old: s("a"), new: s("b"), column: s("area_int"), submitted: s("10.000"), derived: s("12.000") },
        }
    }

    /// The other branches of the variants whose text depends on their values.
    fn other_branches() -> Vec<Msg> {
        let mut v = vec![
            Msg::CrsMissing { expected: None },
            Msg::CrsAxesSwapped {
                crs: s("EPSG:4549"),
                count: 1,
                geographic: false,
            },
            Msg::CrsZonePrefix {
                crs: s("EPSG:4549"),
                count: 2,
                expected: None,
                found: Some(40),
                fits: None,
            },
            Msg::CrsZonePrefix {
                crs: s("EPSG:4528"),
                count: 2,
                expected: Some(40),
                found: Some(39),
                fits: Some(s("EPSG:4527")),
            },
            Msg::CrsZonePrefix {
                crs: s("EPSG:4528"),
                count: 2,
                expected: None,
                found: None,
                fits: None,
            },
            Msg::ShxMismatch {
                fault: ShxFault::NotIndex,
            },
            Msg::ShxMismatch {
                fault: ShxFault::Offset {
                    record: 2,
                    shx: 100,
                    shp: 120,
                },
            },
            Msg::AttrRange {
                value: s("-1"),
                minimum: None,
                maximum: Some(s("5")),
            },
            Msg::AttrRange {
                value: s("9"),
                minimum: Some(s("0")),
                maximum: None,
            },
            Msg::AttrLength {
                value: s("ab"),
                min: None,
                max: None,
            },
            Msg::NestOutsideParent {
                parent: s("streets"),
                outside: 1.0,
                shares: vec![],
            },
            Msg::NestOutsideParent {
                parent: s("other"),
                outside: 1.0,
                shares: vec![],
            },
        ];
        for (expected, format) in [
            ("number", None),
            ("date", None),
            ("date", Some("default")),
            ("date", Some("any")),
            ("date", Some("%d/%m/%Y")),
            ("datetime", None),
            ("year", None),
            ("boolean", None),
            ("string", Some("email")),
        ] {
            v.push(Msg::AttrType {
                value: s("x"),
                expected: s(expected),
                format: format.map(s),
            });
        }
        for defect in [
            "too-few-points",
            "invalid-coordinate",
            "self-intersection",
            "ring-self-intersection",
            "hole-outside-shell",
            "nested-holes",
            "disconnected-interior",
            "nested-shells",
            "duplicate-rings",
            "parts-share-edge",
            "too-complex",
            "something-else",
        ] {
            v.push(Msg::GeomInvalid {
                defect: s(defect),
                polygon: 1,
                ring: 2,
            });
        }
        for part in ["grid_crosswalk", "other.csv"] {
            v.push(Msg::PlanFileMissing { part: s(part) });
        }
        for (column, detail) in [(None, Some(s("bad row"))), (None, None)] {
            v.push(Msg::PlanFileBad {
                file: s("plan.xlsx"),
                column,
                detail,
            });
        }
        v.push(Msg::XwalkCaseExtra {
            known: false,
            elsewhere: false,
        });
        v.push(Msg::XwalkCaseExtra {
            known: true,
            elsewhere: true,
        });
        for l in ["community", "street", "other"] {
            v.push(Msg::XwalkCaseDiffers {
                level: s(l),
                submitted: s(""),
                derived: s("x"),
            });
        }
        v.push(Msg::SubmitTown {
            stated: s("350582001"),
            found: vec![],
        });
        for (sliver, edge) in [(true, true), (false, true), (false, false)] {
            v.push(Msg::Gap {
                area: 1.0,
                sliver,
                edge,
                neighbours: vec![s("a")],
            });
        }
        v
    }

    one_of_each! {
        fn says -> Say {
            MoreFindings { more: 3 },
            CodeLengths { grid: s("15"), component: s("-") },
            CodeLayout { segments: s("region(6) + street(3)"), length: 9 },
            TableRows { name: s("component_classes"), rows: 120 },
            Exported { profile: s("gbt30428-2013"), dir: s("my-city/") },
            Writing { dir: s("gridkeeper-demo") },
            Validating { dir: s("gridkeeper-demo/2026") },
            DemoMade {
                seed: 2026,
                generate: std::time::Duration::from_millis(1250),
                write: std::time::Duration::from_millis(300),
                validate: std::time::Duration::from_secs(2),
            },
            VersionOf { year: 2025 },
            GridDifferences { total: 15, list: s("split 3 · merged 2") },
            ComponentDifferences { total: 156, list: s("added 25") },
            WithWholeGrid { count: 39 },
            DemoValidated { dir: s("gridkeeper-demo/2026"), errors: 7, warnings: 0, notes: 1 },
            DefectsDiffer { extra: 1, missing: 2 },
            DiffHeader { old: s("a/2025"), new: s("a/2026"), profile: s("gbt30428-2013"), crs: s("EPSG:4549"), measure: s("planar") },
            CrsLine { crs: s("EPSG:4549"), measure: s("planar") },
            DemoCases { year: 2025, total: 5000, with_point: 4500, component: 1750, open: 120, bad_grid: 10 },
            DemoDuty { layer: s("enforcement grids"), old: 181, new: 181, teams: 36, moved: Some((2, s("team 3"), s("team 4"))), split: 1, merged: 1, reshaped: 5 },
        }
    }

    #[test]
    fn every_finding_message_is_chinese_and_english() {
        for m in msgs().iter().chain(&other_branches()) {
            assert_bilingual(&format!("{m:?}"), &m.render(Lang::Zh), &m.render(Lang::En));
        }
    }

    #[test]
    fn every_ui_text_is_chinese_and_english() {
        for t in Text::ALL {
            assert_bilingual(&format!("{t:?}"), t.get(Lang::Zh), t.get(Lang::En));
        }
        for say in says() {
            assert_bilingual(
                &format!("{say:?}"),
                &say.render(Lang::Zh),
                &say.render(Lang::En),
            );
        }
    }

    #[test]
    fn demo_timings_are_seconds() {
        let made = &says()[7];
        assert_eq!(
            made.render(Lang::En),
            "demo district generated (seed 2026, generate 1.2 s, write 0.3 s, validate 2.0 s)"
        );
    }
}
