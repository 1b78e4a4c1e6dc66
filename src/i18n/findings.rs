//! What findings say: [`Msg`], one variant per kind of defect, with the values it names.

use super::Lang;
use crate::io::ShxFault;

/// What a finding says, with the values it says it about.
///
/// Most variants are named as the rule of their findings is ([`crate::Rule`], `docs/rules.md`);
/// fields after the values they hold. Areas are in m², lengths and distances in m, shares are
/// fractions (0.25 is 25 %); polygon, part and ring numbers are zero-based (ring 0 is the shell).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
#[allow(missing_docs)] // the fields
pub enum Msg {
    /// A layer the profile needs is neither in the manifest nor in a conventional file.
    LayerMissing { layer: String },
    /// A layer has no features.
    LayerEmpty,
    /// None of the names tried for a field is in the file.
    FieldMissing { tried: Vec<String> },
    /// The layer's CRS differs from the manifest's.
    CrsMismatch { found: String, expected: String },
    /// The file states no CRS.
    CrsMissing { expected: Option<String> },
    /// The file's CRS text names no known CRS.
    CrsUnrecognised { text: String },
    /// The layer was transformed from its own CRS to the manifest's (`--reproject`).
    CrsReprojected { from: String, to: String },
    /// Features whose coordinates lie outside where their CRS makes sense.
    CrsOutOfArea {
        crs: String,
        count: usize,
        area: String,
    },
    /// Features whose coordinates make sense only with x and y swapped.
    CrsAxesSwapped {
        crs: String,
        count: usize,
        geographic: bool,
    },
    /// Gauss-Krüger eastings without the zone number the CRS expects (`expected`), or with
    /// one (`found`) it does not expect; `fits` is the CRS they do fit.
    CrsZonePrefix {
        crs: String,
        count: usize,
        expected: Option<u32>,
        found: Option<u32>,
        fits: Option<String>,
    },
    /// Attribute text of unstated encoding was read with a guessed one.
    EncodingGuessed { encoding: String },
    /// A shapefile has no `.shx`.
    ShxMissing,
    /// A `.shx` disagrees with its `.shp`.
    ShxMismatch { fault: ShxFault },
    /// Bytes of a file outside any record were skipped.
    TrailingBytes { file: String, bytes: u64 },
    /// The `.shp` and the `.dbf` hold different numbers of records.
    RecordCountMismatch { shapes: usize, records: usize },
    /// A shapefile has no `.dbf`.
    DbfMissing,
    /// MultiPatch surfaces were read as polygons.
    MultiPatch,
    /// A required value is empty.
    AttrRequired,
    /// A value does not parse as the field's type (`expected`, with its `format`).
    AttrType {
        value: String,
        expected: String,
        format: Option<String>,
    },
    /// A value does not match the field's pattern.
    AttrPattern { value: String, pattern: String },
    /// A value is not one of the allowed ones.
    AttrEnum { value: String, allowed: Vec<String> },
    /// A value is outside `[minimum, maximum]`.
    AttrRange {
        value: String,
        minimum: Option<String>,
        maximum: Option<String>,
    },
    /// A value's length in characters is outside `[min, max]`.
    AttrLength {
        value: String,
        min: Option<usize>,
        max: Option<usize>,
    },
    /// A value that must be unique repeats the value of `first`.
    AttrUnique { value: String, first: String },
    /// A code is already used by feature `first`.
    KeyDuplicate { value: String, first: usize },
    /// A reference names a code that is not in `layer`.
    KeyForeign { value: String, layer: String },
    /// A code has the wrong length.
    CodeLength {
        value: String,
        found: usize,
        expected: usize,
    },
    /// A code holds a character outside ASCII (`character`, at position `at` from 1).
    CodeCharacter {
        value: String,
        character: String,
        at: usize,
    },
    /// A segment of a code does not match its pattern.
    CodeSegment {
        value: String,
        segment: String,
        text: String,
        pattern: String,
    },
    /// A code's county part is not the dataset's region.
    CodeRegion {
        value: String,
        part: String,
        region: String,
    },
    /// A part of a code differs from the field that should repeat it.
    CodeParent {
        value: String,
        segments: String,
        part: String,
        field: String,
        expected: String,
    },
    /// A class is not in the profile's class table.
    ClassUnknown { class: String, table: String },
    /// The profile's class table is empty.
    ClassTableEmpty { table: String },
    /// A start date after the end date.
    DateOrder { start: String, end: String },
    /// An administrative code that is not in the code list.
    AdminUnknown { code: String },
    /// An administrative name that differs from the code list's.
    AdminName {
        code: String,
        name: String,
        expected: String,
    },
    /// An OGC validity defect (`defect` is its kebab-case name) in a polygon's ring.
    GeomInvalid {
        defect: String,
        polygon: usize,
        ring: usize,
    },
    /// A ring whose first and last points differ.
    RingNotClosed { ring: usize },
    /// A ring or part with too few points.
    TooFewPoints { part: usize, points: usize },
    /// A NaN or infinite coordinate.
    InvalidCoordinate { part: usize },
    /// Coordinate text that is not numbers.
    CoordinateText { text: String },
    /// A feature without geometry.
    GeomNull,
    /// A geometry of another kind than the layer's.
    GeomType { found: String, expected: String },
    /// Z or M values.
    GeomZm,
    /// Repeated consecutive vertices.
    RepeatedVertex { count: usize },
    /// A segment shorter than the threshold.
    ShortSegment { length: f64, min: f64 },
    /// A thin polygon.
    Sliver { area: f64, thinness: f64 },
    /// A polygon smaller than the threshold.
    SmallArea { area: f64, min: f64 },
    /// A unit grid far from the nominal area.
    GridArea {
        area: f64,
        nominal: f64,
        factor: f64,
    },
    /// An overlap with another feature.
    Overlap { other: String, area: f64 },
    /// A gap in the coverage.
    Gap {
        area: f64,
        sliver: bool,
        edge: bool,
        neighbours: Vec<String>,
    },
    /// A hole in `owner` that no other feature covers.
    Hole { area: f64, owner: String },
    /// Vertices of a shared boundary without counterpart in `other`.
    VertexMismatch { other: String, count: usize },
    /// A feature not inside one feature of the `parent` layer.
    NestOutsideParent {
        parent: String,
        outside: f64,
        shares: Vec<(String, f64)>,
    },
    /// A feature whose code or field names another parent than the one it lies in.
    NestWrongParent {
        stated: String,
        actual: String,
        share: f64,
    },
    /// Part of a community covered by other communities' grids.
    NestUncovered { area: f64, covered_by: Vec<String> },
    /// A unit grid shared by several duty grids of the duty layer `duty`, with their shares.
    DutyGridSplit {
        duty: String,
        shares: Vec<(String, f64)>,
    },
    /// A component in no grid.
    CompOutsideGrid,
    /// A component on the boundary of grids.
    CompOnBoundary { grids: Vec<String> },
    /// A component in another grid than its grid field names.
    CompWrongGrid { stated: String, actual: String },
    /// A component outside the jurisdiction.
    CompOutsideJurisdiction,
    /// A component near another of the same class.
    CompDuplicate { other: String, distance: f64 },
    /// An address outside the jurisdiction.
    PoiOutsideJurisdiction,
    /// An address near another of the same name.
    PoiDuplicate { other: String, distance: f64 },
    /// `diff`: a feature of the `version` (`old`/`new`) left out of the comparison.
    DiffSkipped { version: String },
    /// `diff`: a code used last year (`retired`: by a retired feature) given to a feature elsewhere.
    CodeReused { code: String, retired: bool },
    /// `plan`: a case filed under grid `filed` whose point lies in grid `located`.
    CaseGridMismatch { filed: String, located: String },
    /// `plan`: a case filed under a grid the old data does not have.
    CaseGridUnknown { filed: String },
    /// `plan`: a case whose point lies in no old grid; `filed` its filed grid, if any.
    CasePointOutside { filed: Option<String> },
    /// `plan`: a case id listed again; `first` is the record (`#0` the first) that has it first.
    CaseIdDuplicate { first: usize },
    /// `check`: received on `received`, effective on `effective`: `days` days ahead, fewer
    /// than the `required`.
    SubmitLate {
        received: String,
        effective: String,
        days: i64,
        required: i64,
    },
    /// `check`: the dataset's manifest gives no effective date.
    SubmitNoEffective,
    /// `check`: `submission.toml` names town `stated`; the streets layer holds `found`.
    SubmitTown { stated: String, found: Vec<String> },
    /// `check`: the layer has no change from last year's version.
    SubmitUnchanged,
    /// `check`: no plan file in the package.
    PlanMissing,
    /// `check`: the plan part `part` (`case_crosswalk`, `grid_crosswalk`) is in no file.
    PlanFileMissing { part: String },
    /// `check`: a plan file that cannot be read: a `column` it lacks, or the reader's `detail`.
    PlanFileBad {
        file: String,
        column: Option<String>,
        detail: Option<String>,
    },
    /// `check`: section `section` (1–5) of the plan is not in `file`.
    PlanSectionMissing { section: u8, file: String },
    /// `check`: section `section` (1–5) of the plan has nothing in it.
    PlanSectionEmpty { section: u8, file: String },
    /// `check`: a case the data puts in the crosswalk (old grid → new grid) is not in it.
    XwalkCaseMissing { old_grid: String, new_grid: String },
    /// `check`: a case in the crosswalk that should not be there (`known`: a case of the
    /// package's streets that involves no change; `elsewhere`: a case filed in a street
    /// outside the package's).
    XwalkCaseExtra { known: bool, elsewhere: bool },
    /// `check`: a case listed `rows` times.
    XwalkCaseDuplicate { rows: usize },
    /// `check`: a case's new `level` (`grid`, `community`, `street`) in the submitted table
    /// and as re-derived.
    XwalkCaseDiffers {
        level: String,
        submitted: String,
        derived: String,
    },
    /// `check`: a case's old `level` in the submitted table and as filed.
    XwalkCaseOld {
        level: String,
        submitted: String,
        filed: String,
    },
    /// `check`: no cases to re-derive the case crosswalk from.
    XwalkCasesUnchecked,
    /// `check`: a grid crosswalk row (`old` → `new`, `relation`) the data gives, not submitted.
    XwalkGridMissing {
        old: String,
        new: String,
        relation: String,
    },
    /// `check`: a submitted grid crosswalk row the data does not give.
    XwalkGridExtra {
        old: String,
        new: String,
        relation: String,
    },
    /// `check`: a grid crosswalk row's relation, submitted and re-derived.
    XwalkGridRelation {
        old: String,
        new: String,
        submitted: String,
        derived: String,
    },
    /// `check`: a grid crosswalk row's `column` (an area or share), submitted and re-derived.
    XwalkGridArea {
        old: String,
        new: String,
        column: String,
        submitted: String,
        derived: String,
    },
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// An area for messages: m² with two decimals.
fn m2(v: f64) -> String {
    format!("{v:.2}")
}

/// The name of an OGC validity defect (`self-intersection`, …).
fn validity_text(kind: &str, zh: bool) -> &'static str {
    match (kind, zh) {
        ("too-few-points", true) => "环的不同顶点少于 3 个",
        ("too-few-points", false) => "a ring has fewer than 3 distinct points",
        ("invalid-coordinate", true) => "坐标为 NaN 或无穷大",
        ("invalid-coordinate", false) => "a coordinate is NaN or infinite",
        ("self-intersection", true) => "自相交（边相交或重叠）",
        ("self-intersection", false) => "self-intersection (edges cross or overlap)",
        ("ring-self-intersection", true) => "环自接触（环在一点与自身相接）",
        ("ring-self-intersection", false) => {
            "ring self-intersection (a ring touches itself at a point)"
        }
        ("hole-outside-shell", true) => "内环（洞）在外环之外",
        ("hole-outside-shell", false) => "hole outside shell",
        ("nested-holes", true) => "内环嵌套在另一内环中",
        ("nested-holes", false) => "nested holes",
        ("disconnected-interior", true) => "内环相接使面内部不连通",
        ("disconnected-interior", false) => {
            "disconnected interior (touching rings split the polygon)"
        }
        ("nested-shells", true) => "多部件面的一个部件位于另一部件内",
        ("nested-shells", false) => "nested shells (a part lies inside another part)",
        ("duplicate-rings", true) => "重复的环",
        ("duplicate-rings", false) => "duplicate rings",
        ("parts-share-edge", true) => "多部件面的部件共边",
        ("parts-share-edge", false) => "parts of the multipolygon share an edge",
        ("too-complex", true) => "环过多且外框相互重叠（数以万计的嵌套或堆叠的环），无法在限定的计算量内检查",
        ("too-complex", false) => {
            "too many rings whose boxes meet (tens of thousands nested or piled up) to check in bounded time"
        }
        (_, true) => "几何无效",
        (_, false) => "invalid geometry",
    }
}

/// The detail of a `.shx` that disagrees with its `.shp`.
fn shx_fault(fault: &ShxFault, lang: Lang) -> String {
    match fault {
        ShxFault::NotIndex => tr!(
            lang,
            ".shx 文件头不是 shapefile 索引",
            "its header is not a shapefile index header"
        ),
        ShxFault::Count { shx, shp } => tr!(
            lang,
            ".shx 列出 {shx} 条记录，.shp 有 {shp} 条",
            "it lists {shx} records, the .shp holds {shp}"
        ),
        ShxFault::Offset { record, shx, shp } => tr!(
            lang,
            "第 {record} 条记录：.shx 给出偏移 {shx}，.shp 中实际位于 {shp}",
            "record {record}: the .shx says offset {shx}, the .shp has it at {shp}"
        ),
    }
}

impl Msg {
    /// The sentence in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Msg::LayerMissing { layer } => tr!(
                lang,
                "缺少图层 {layer}：清单未列出，也未找到约定文件名",
                "layer {layer} is missing: not in the manifest and no file of a conventional name"
            ),
            Msg::LayerEmpty => tr!(lang, "图层没有要素", "the layer has no features"),
            Msg::FieldMissing { tried } => tr!(
                lang,
                "文件中没有该字段（已查找：{}）",
                "the file has no such field (looked for: {})",
                list(tried)
            ),
            Msg::CrsMismatch { found, expected } => tr!(
                lang,
                "坐标系为 {found}，与清单要求的 {expected} 不一致",
                "CRS is {found}, the manifest requires {expected}"
            ),
            Msg::CrsMissing { expected: Some(e) } => tr!(
                lang,
                "文件未说明坐标系（缺少 .prj 或 crs），清单要求 {e}",
                "the file states no CRS (no .prj or crs member); the manifest requires {e}"
            ),
            Msg::CrsMissing { expected: None } => tr!(
                lang,
                "文件未说明坐标系（缺少 .prj 或 crs）",
                "the file states no CRS (no .prj or crs member)"
            ),
            Msg::CrsUnrecognised { text } => tr!(
                lang,
                "无法识别坐标系：{text}",
                "the CRS could not be recognised: {text}"
            ),
            Msg::EncodingGuessed { encoding } => tr!(
                lang,
                "属性文本不是 UTF-8，且没有 .cpg 说明编码，已按 {encoding} 读取；请核对中文是否正确，或用 --encoding 指定",
                "attribute text is not UTF-8 and no .cpg names its encoding: read as {encoding}; check the Chinese text, or give --encoding"
            ),
            Msg::ShxMissing => tr!(
                lang,
                "缺少 .shx 索引文件，已扫描 .shp 在内存中重建索引（不写文件）",
                "the .shx index is missing; it was rebuilt in memory by scanning the .shp (no file is written)"
            ),
            Msg::ShxMismatch { fault } => {
                let detail = shx_fault(fault, lang);
                tr!(
                    lang,
                    ".shx 与 .shp 不一致（{detail}），已按 .shp 读取",
                    "the .shx disagrees with the .shp ({detail}); the .shp was read"
                )
            }
            Msg::TrailingBytes { file, bytes } => tr!(
                lang,
                "{file} 中有 {bytes} 字节不属于任何记录，已跳过",
                "{bytes} bytes of {file} belong to no record and were skipped"
            ),
            Msg::RecordCountMismatch { shapes, records } => tr!(
                lang,
                ".shp 有 {shapes} 个图形，.dbf 有 {records} 条属性记录：属性可能与图形错位",
                "the .shp holds {shapes} shapes and the .dbf {records} records: attributes may not belong to their shapes"
            ),
            Msg::DbfMissing => tr!(lang, "缺少 .dbf 属性文件", "the .dbf attribute file is missing"),
            Msg::MultiPatch => tr!(
                lang,
                "MultiPatch 三维面已按平面多边形读取",
                "MultiPatch surfaces were read as flat polygons"
            ),
            Msg::AttrRequired => tr!(lang, "必填值为空", "a required value is empty"),
            Msg::AttrType {
                value,
                expected,
                format,
            } => {
                let type_zh = match expected.as_str() {
                    "integer" => "整数",
                    "number" => "数值",
                    "date" => "日期",
                    "datetime" => "日期时间",
                    "year" => "年份",
                    "boolean" => "布尔值",
                    _ => "文本",
                };
                let fmt = match format.as_deref() {
                    None | Some("default") => match expected.as_str() {
                        "date" => " (YYYY-MM-DD)".to_string(),
                        _ => String::new(),
                    },
                    Some("any") => String::new(),
                    Some(f) => format!(" ({f})"),
                };
                tr!(
                    lang,
                    "“{value}”不是{type_zh}{fmt}",
                    "“{value}” is not a valid {expected}{fmt}"
                )
            }
            Msg::AttrPattern { value, pattern } => tr!(
                lang,
                "“{value}”不符合格式 {pattern}",
                "“{value}” does not match {pattern}"
            ),
            Msg::AttrEnum { value, allowed } => tr!(
                lang,
                "“{value}”不是允许值（{}）",
                "“{value}” is not one of {}",
                list(allowed)
            ),
            Msg::AttrRange {
                value,
                minimum,
                maximum,
            } => {
                let range = format!(
                    "[{}, {}]",
                    minimum.as_deref().unwrap_or("-∞"),
                    maximum.as_deref().unwrap_or("+∞")
                );
                tr!(
                    lang,
                    "{value} 超出范围 {range}",
                    "{value} is outside {range}"
                )
            }
            Msg::AttrLength { value, min, max } => {
                let n = value.chars().count();
                let range = format!(
                    "[{}, {}]",
                    min.map_or("0".to_string(), |m| m.to_string()),
                    max.map_or("∞".to_string(), |m| m.to_string())
                );
                tr!(
                    lang,
                    "“{value}”长 {n} 个字符，应在 {range} 之间",
                    "“{value}” has {n} characters, allowed {range}"
                )
            }
            Msg::AttrUnique { value, first } => tr!(
                lang,
                "“{value}”重复，已被 {first} 使用",
                "“{value}” repeats a value of {first}"
            ),
            Msg::KeyDuplicate { value, first } => tr!(
                lang,
                "编码 {value} 重复，第 #{first} 个要素已使用",
                "code {value} is already used by feature #{first}"
            ),
            Msg::KeyForeign { value, layer } => tr!(
                lang,
                "引用的 {value} 在图层 {layer} 中不存在",
                "{value} does not exist in layer {layer}"
            ),
            Msg::CodeLength {
                value,
                found,
                expected,
            } => tr!(
                lang,
                "编码 {value} 为 {found} 位，应为 {expected} 位",
                "code {value} has {found} characters, {expected} are required"
            ),
            Msg::CodeCharacter {
                value,
                character,
                at,
            } => tr!(
                lang,
                "编码 {value} 第 {at} 位“{character}”不是半角字符（全角数字或字母请改为半角）",
                "code {value} has “{character}” at position {at}, which is not ASCII (a full-width digit or letter: type it half-width)"
            ),
            Msg::CodeSegment {
                value,
                segment,
                text,
                pattern,
            } => tr!(
                lang,
                "编码 {value} 的 {segment} 段“{text}”不符合 {pattern}",
                "segment {segment} “{text}” of code {value} does not match {pattern}"
            ),
            Msg::CodeRegion {
                value,
                part,
                region,
            } => tr!(
                lang,
                "编码 {value} 的区县代码 {part} 不是本区 {region}",
                "code {value}: county part {part} is not the region {region}"
            ),
            Msg::CodeParent {
                value,
                segments,
                part,
                field,
                expected,
            } => tr!(
                lang,
                "编码 {value} 的 {segments} 部分为 {part}，而字段 {field} 为 {expected}",
                "code {value}: its {segments} part is {part} but field {field} is {expected}"
            ),
            Msg::ClassUnknown { class, table } => tr!(
                lang,
                "类型 {class} 不在类型表 {table} 中",
                "class {class} is not in the {table} table"
            ),
            Msg::ClassTableEmpty { table } => tr!(
                lang,
                "配置的类型表 {table} 为空（需由本市补充），未检查部件类型",
                "the profile's {table} table is empty (the city supplies it): classes were not checked"
            ),
            Msg::DateOrder { start, end } => tr!(
                lang,
                "开始日期 {start} 晚于结束日期 {end}",
                "start date {start} is after end date {end}"
            ),
            Msg::AdminUnknown { code } => tr!(
                lang,
                "区划代码 {code} 不在行政区划代码表中",
                "code {code} is not in the administrative code list"
            ),
            Msg::AdminName {
                code,
                name,
                expected,
            } => tr!(
                lang,
                "{code} 的名称为“{name}”，代码表中为“{expected}”",
                "{code} is named “{name}”, the code list says “{expected}”"
            ),
            Msg::GeomInvalid {
                defect,
                polygon,
                ring,
            } => {
                let what = validity_text(defect, zh);
                let part = polygon + 1;
                match (lang, *ring) {
                    (Lang::Zh, 0) => format!("{what}（第 {part} 个面，外环）"),
                    (Lang::Zh, r) => format!("{what}（第 {part} 个面，第 {r} 个内环）"),
                    (Lang::En, 0) => format!("{what} (part {part}, shell)"),
                    (Lang::En, r) => format!("{what} (part {part}, hole {r})"),
                }
            }
            Msg::RingNotClosed { ring } => tr!(
                lang,
                "第 {} 个环未闭合（首末点不同）",
                "ring {} is not closed (first and last points differ)",
                ring + 1
            ),
            Msg::TooFewPoints { part, points } => tr!(
                lang,
                "第 {} 个环或部件只有 {points} 个点",
                "ring or part {} has only {points} points",
                part + 1
            ),
            Msg::InvalidCoordinate { part } => tr!(
                lang,
                "坐标为 NaN 或无穷大（第 {} 部分）",
                "a coordinate is NaN or infinite (part {})",
                part + 1
            ),
            Msg::CoordinateText { text } => tr!(
                lang,
                "坐标“{text}”不是数字",
                "coordinates “{text}” are not numbers"
            ),
            Msg::GeomNull => tr!(lang, "要素没有几何", "the feature has no geometry"),
            Msg::GeomType { found, expected } => tr!(
                lang,
                "几何类型为 {found}，图层要求 {expected}",
                "geometry is a {found}, the layer needs {expected}"
            ),
            Msg::GeomZm => tr!(
                lang,
                "数据含 Z 或 M 值（应为二维）",
                "Z or M values present (2-D expected)"
            ),
            Msg::RepeatedVertex { count } => tr!(
                lang,
                "有 {count} 处连续重复顶点",
                "{count} repeated consecutive vertices"
            ),
            Msg::ShortSegment { length, min } => tr!(
                lang,
                "边长 {length:.4} 米，短于 {min} 米",
                "a segment of {length:.4} m, shorter than {min} m"
            ),
            Msg::Sliver { area, thinness } => tr!(
                lang,
                "狭长碎面：面积 {} 平方米，紧凑度 {thinness:.4}",
                "sliver: area {} m², thinness {thinness:.4}",
                m2(*area)
            ),
            Msg::SmallArea { area, min } => tr!(
                lang,
                "面积 {} 平方米，小于 {min} 平方米",
                "area {} m² is below {min} m²",
                m2(*area)
            ),
            Msg::GridArea {
                area,
                nominal,
                factor,
            } => tr!(
                lang,
                "网格面积 {} 平方米，远离标称面积 {nominal} 平方米（超出 {factor} 倍范围）",
                "grid area {} m² is far from the nominal {nominal} m² (beyond a factor of {factor})",
                m2(*area)
            ),
            Msg::Overlap { other, area } => tr!(
                lang,
                "与 {other} 重叠 {} 平方米",
                "overlaps {other} by {} m²",
                m2(*area)
            ),
            Msg::Gap {
                area,
                sliver,
                edge,
                neighbours,
            } => {
                let kind = match (sliver, zh) {
                    (true, true) => "缝隙",
                    (false, true) => "未覆盖区域",
                    (true, false) => "sliver gap",
                    (false, false) => "uncovered area",
                };
                let place = match (edge, zh) {
                    (true, true) => "位于辖区边缘",
                    (false, true) => "位于辖区内部",
                    (true, false) => "at the edge of the jurisdiction",
                    (false, false) => "inside the jurisdiction",
                };
                tr!(
                    lang,
                    "{kind} {} 平方米，{place}，相邻：{}",
                    "{kind} of {} m² {place}, next to {}",
                    m2(*area),
                    list(neighbours)
                )
            }
            Msg::Hole { area, owner } => tr!(
                lang,
                "{owner} 内的洞 {} 平方米未被其他要素覆盖",
                "a hole of {} m² in {owner} is covered by no other feature",
                m2(*area)
            ),
            Msg::VertexMismatch { other, count } => tr!(
                lang,
                "与 {other} 的公共边界有 {count} 个顶点不对应",
                "{count} vertices on the boundary shared with {other} have no counterpart"
            ),
            Msg::NestOutsideParent {
                parent,
                outside,
                shares,
            } => {
                let parts: Vec<String> = shares
                    .iter()
                    .map(|(c, s)| format!("{c} {:.1}%", s * 100.0))
                    .collect();
                let word = match (parent.as_str(), zh) {
                    ("streets", true) => "街道",
                    ("streets", false) => "street",
                    ("communities", true) => "社区",
                    (_, true) => "上级区域",
                    (_, false) => "community",
                };
                tr!(
                    lang,
                    "不在单一{word}内：{} 平方米在其主要所属{word}之外（占比：{}）",
                    "not inside one {word}: {} m² lie outside its main {word} (shares: {})",
                    m2(*outside),
                    parts.join(if zh { "，" } else { ", " })
                )
            }
            Msg::NestWrongParent {
                stated,
                actual,
                share,
            } => tr!(
                lang,
                "编码/字段为 {stated}，几何位于 {actual}（占 {:.1}%）",
                "its code/field says {stated}, its geometry lies in {actual} ({:.1}%)",
                share * 100.0
            ),
            Msg::DutyGridSplit { duty, shares } => {
                let parts: Vec<String> = shares
                    .iter()
                    .map(|(c, s)| format!("{c} {:.1}%", s * 100.0))
                    .collect();
                let term = crate::model::duty_term(duty, zh);
                tr!(
                    lang,
                    "单元网格分属 {} 个{term}（应只属一个）：{}",
                    "the unit grid is split between {} {term} (it must lie in one): {}",
                    shares.len(),
                    parts.join(if zh { "，" } else { ", " })
                )
            }
            Msg::NestUncovered { area, covered_by } => tr!(
                lang,
                "有 {} 平方米未被本社区的网格覆盖，而由其他社区的网格覆盖：{}",
                "{} m² are covered not by its own grids but by grids of other communities: {}",
                m2(*area),
                list(covered_by)
            ),
            Msg::CompOutsideGrid => tr!(
                lang,
                "部件不在任何单元网格内",
                "the component lies in no grid"
            ),
            Msg::CompOnBoundary { grids } => tr!(
                lang,
                "部件位于网格边界上（{}），归属不明确",
                "the component lies on the boundary of {}: its grid is ambiguous",
                list(grids)
            ),
            Msg::CompWrongGrid { stated, actual } => tr!(
                lang,
                "所在网格字段为 {stated}，实际位于 {actual}",
                "its grid field says {stated}, it lies in {actual}"
            ),
            Msg::CompOutsideJurisdiction => tr!(
                lang,
                "部件位于辖区之外",
                "the component lies outside the jurisdiction"
            ),
            Msg::CompDuplicate { other, distance } => tr!(
                lang,
                "与同类部件 {other} 相距 {distance:.3} 米，疑似重复",
                "{distance:.3} m from {other} of the same class: a duplicate?"
            ),
            Msg::PoiOutsideJurisdiction => tr!(
                lang,
                "地址位于辖区之外",
                "the address lies outside the jurisdiction"
            ),
            Msg::PoiDuplicate { other, distance } => tr!(
                lang,
                "与同名地址 {other} 相距 {distance:.3} 米，疑似重复",
                "{distance:.3} m from {other} of the same name: a duplicate?"
            ),
            Msg::DiffSkipped { .. } | Msg::CodeReused { .. } => super::diff::render(self, lang),
            Msg::SubmitLate { .. }
            | Msg::SubmitNoEffective
            | Msg::SubmitTown { .. }
            | Msg::SubmitUnchanged
            | Msg::PlanMissing
            | Msg::PlanFileMissing { .. }
            | Msg::PlanFileBad { .. }
            | Msg::PlanSectionMissing { .. }
            | Msg::PlanSectionEmpty { .. }
            | Msg::XwalkCaseMissing { .. }
            | Msg::XwalkCaseExtra { .. }
            | Msg::XwalkCaseDuplicate { .. }
            | Msg::XwalkCaseDiffers { .. }
            | Msg::XwalkCaseOld { .. }
            | Msg::XwalkCasesUnchecked
            | Msg::XwalkGridMissing { .. }
            | Msg::XwalkGridExtra { .. }
            | Msg::XwalkGridRelation { .. }
            | Msg::XwalkGridArea { .. } => super::check::render(self, lang),
            Msg::CaseGridMismatch { filed, located } => tr!(
                lang,
                "案件登记在网格 {filed}，但其坐标位于网格 {located}（历史数据有误，按坐标处理）",
                "filed under grid {filed}, but its point lies in grid {located} (bad historical data: its point decides)"
            ),
            Msg::CaseGridUnknown { filed } => tr!(
                lang,
                "案件登记的网格 {filed} 不在上一版数据中",
                "filed under grid {filed}, which the old data does not have"
            ),
            Msg::CasePointOutside { filed: Some(filed) } => tr!(
                lang,
                "案件坐标不在上一版任何网格内（占位坐标、坐标颠倒或坐标系不同？），不改变其登记网格 {filed}",
                "its point lies in no grid of the old data (a placeholder, swapped or foreign coordinates?): it does not override its filed grid {filed}"
            ),
            Msg::CasePointOutside { filed: None } => tr!(
                lang,
                "案件坐标不在上一版任何网格内（占位坐标、坐标颠倒或坐标系不同？），且没有登记网格",
                "its point lies in no grid of the old data (a placeholder, swapped or foreign coordinates?), and it is filed under no grid"
            ),
            Msg::CaseIdDuplicate { first } => tr!(
                lang,
                "与 #{first} 编号相同（两条记录都会进入案件对照表）",
                "the same id as #{first} (both records go into the case crosswalk)"
            ),
            Msg::CrsReprojected { .. }
            | Msg::CrsOutOfArea { .. }
            | Msg::CrsAxesSwapped { .. }
            | Msg::CrsZonePrefix { .. } => super::crs::render(self, lang),
        }
    }
}
