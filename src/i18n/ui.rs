//! What the command line and the text report say around the findings: fixed labels and
//! headings as [`Text`], sentences with values as [`Say`].
//!
//! The callers keep the layout (column widths, padding, separators such as ` · `, indents and
//! command syntax such as `--set name=value`); every word a user reads comes from here. A
//! label followed by its value (`区县代码 350582`) is a [`Text`]; a sentence whose words
//! surround its values, or whose word order could differ between the languages, is a [`Say`].

use std::time::Duration;

use super::Lang;
use crate::finding::Severity;

macro_rules! texts {
    ($( $(#[$doc:meta])* $variant:ident => $zh:literal, $en:literal; )*) => {
        /// Fixed texts: labels, headings and sentences without values.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $( $(#[$doc])* $variant, )*
        }

        impl Text {
            /// Every text, in declaration order.
            pub const ALL: &'static [Text] = &[$(Text::$variant),*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match self {
                    $(Text::$variant => lang.pick($zh, $en),)*
                }
            }
        }
    };
}

texts! {
    // The text report (`validate --format text`).
    /// Heading of the counts by severity.
    Findings => "检查发现", "findings";
    /// Said when nothing was found.
    NoFindings => "未发现问题", "no findings";
    /// Label of the count of errors.
    Errors => "错误", "errors";
    /// Label of the count of warnings.
    Warnings => "警告", "warnings";
    /// Label of the count of notes.
    Infos => "提示", "notes";
    /// Column head: rule.
    Rule => "规则", "rule";
    /// Column head: count.
    Count => "数量", "count";
    /// Label of the dataset's source.
    Dataset => "数据集", "dataset";
    /// Label of the profile's name.
    Profile => "数据标准", "profile";
    /// Label of the layers and their feature counts.
    Layers => "图层", "layers";
    /// After a count of features.
    Features => "个要素", "features";
    /// Before the message of an error that stopped a command.
    ErrorPrefix => "错误", "error";
    /// Severity `error` of one rule's findings.
    SeverityError => "错误", "error";
    /// Severity `warning` of one rule's findings.
    SeverityWarning => "警告", "warning";
    /// Severity `info` of one rule's findings.
    SeverityInfo => "提示", "info";

    // `gridkeeper demo`.
    /// Progress: generation starts.
    Generating => "正在生成演示数据…", "generating the demo district…";
    /// Label of the region (county) code.
    Region => "区县代码", "region";
    /// Column head: the data version.
    Version => "版本", "version";
    /// Column head: streets (街道).
    Streets => "街道", "streets";
    /// Column head: communities (社区).
    Communities => "社区", "communities";
    /// Column head: unit grids (单元网格).
    Grids => "单元网格", "grids";
    /// Column head: components (部件).
    Components => "部件", "components";
    /// Column head: addresses and points of interest.
    Pois => "地址/兴趣点", "POIs";
    /// Label of the date a version takes effect.
    Effective => "生效", "effective";
    /// No defects were seeded and no errors found.
    NoDefectsNoErrors => "没有预置缺陷，也没有发现错误 ✓", "no defects seeded, no errors found ✓";
    /// The errors found are the seeded defects.
    DefectsFound => "发现的错误与预置缺陷（truth.json）完全一致 ✓",
        "the errors found are exactly the seeded defects (truth.json) ✓";
    /// Heading of the files written.
    Files => "文件：", "files:";
    /// Last year's shapefiles.
    OldShapefiles => "2025 年版，Shapefile（GBK）", "2025 version, shapefiles (GBK)";
    /// This year's shapefiles, without defects.
    NewShapefiles => "2026 年版，Shapefile（GBK）", "2026 version, shapefiles (GBK)";
    /// This year's shapefiles, with the seeded defects.
    NewShapefilesDefects => "2026 年版，Shapefile（GBK），含预置缺陷",
        "2026 version, shapefiles (GBK), with the seeded defects";
    /// Last year's GeoJSON.
    OldGeojson => "2025 年版，GeoJSON", "2025 version, GeoJSON";
    /// This year's GeoJSON.
    NewGeojson => "2026 年版，GeoJSON", "2026 version, GeoJSON";
    /// The demo's change plan folder.
    DemoPlan => "更新方案（plan.md、plan.xlsx、对照表等）", "the change plan (plan.md, plan.xlsx, crosswalks, …)";
    /// `truth.json`.
    TruthFile => "全部变更与预置缺陷（标准答案）", "every difference and seeded defect (the answer key)";
    /// Heading of the commands to try next.
    TryNext => "下一步可以试试：", "try next:";

    // `gridkeeper schema`.
    /// Label of a profile's required layers.
    RequiredLayers => "必需图层", "required layers";
    /// Label of a layer's geometry kind.
    Geometry => "几何", "geometry";
    /// Flag of a required field.
    Required => "必填", "required";
    /// Flag of a unique field.
    Unique => "唯一", "unique";
    /// Heading of a profile's thresholds.
    Thresholds => "阈值", "thresholds";

    // `gridkeeper diff`.
    /// Label of the unchanged features of a layer.
    Unchanged => "未变更", "unchanged";
    /// Heading of the changed grids by community.
    ByCommunity => "变更网格所在社区", "changed grids by community";
    /// Heading of the changed grids by street.
    ByStreet => "变更网格所在街道", "changed grids by street";
    /// Heading of the comparison's own findings.
    DiffFindings => "比对发现", "found while comparing";
    /// Said when nothing changed.
    NothingChanged => "两个版本没有差异", "the two versions do not differ";

    // The final summary's stage times (standard error).
    /// Label of the stage times.
    StageTimes => "用时", "time";
    /// Stage: reading the inputs.
    StageRead => "读取", "read";
    /// Stage: validation.
    StageValidate => "检查", "validate";
    /// Stage: the comparison of two versions.
    StageDiff => "比对", "diff";
    /// Stage: remapping the historical cases.
    StageRemap => "案件重新归属", "remap";
    /// Stage: building the plan.
    StagePlan => "方案", "plan";
    /// Stage: hashing the inputs for run.json.
    StageHash => "校验和", "hash";
    /// Stage: writing the outputs.
    StageWrite => "写出", "write";
    /// Label of the total time.
    Total => "合计", "total";
    /// Part of validate: layers, fields and CRS.
    StageLayers => "图层与坐标系", "layers and CRS";
    /// Part of validate: attribute constraints.
    StageAttributes => "属性", "attributes";
    /// Part of validate: code structure, keys and references.
    StageCodes => "编码", "codes";
    /// Part of validate: each feature's geometry.
    StageGeometry => "几何", "geometry";
    /// Part of validate: gaps and overlaps of each polygon layer.
    StageCoverage => "覆盖", "coverage";
    /// Part of validate: grids in communities in streets.
    StageNesting => "嵌套", "nesting";
    /// Part of validate: components and addresses in their grids.
    StagePoints => "点位", "points";

    // Progress bars (standard error, on a terminal): what a bar counts.
    /// Features of a layer.
    UnitFeatures => "个要素", "features";
    /// Old × new candidate pairs.
    UnitPairs => "对", "pairs";
    /// Historical cases.
    UnitCases => "件案件", "cases";
    /// Output files.
    UnitFiles => "个文件", "files";
}

impl Text {
    /// The label of a stage of [`crate::timing`] (`read`, `diff`, the parts of `validate`,
    /// …), else the stage's own name.
    pub fn stage(name: &str, lang: Lang) -> std::borrow::Cow<'static, str> {
        let t = match name {
            "read" => Text::StageRead,
            "validate" => Text::StageValidate,
            "diff" => Text::StageDiff,
            "remap" => Text::StageRemap,
            "plan" => Text::StagePlan,
            "hash" => Text::StageHash,
            "write" => Text::StageWrite,
            "validate.layers" => Text::StageLayers,
            "validate.attributes" => Text::StageAttributes,
            "validate.codes" => Text::StageCodes,
            "validate.geometry" => Text::StageGeometry,
            "validate.coverage" => Text::StageCoverage,
            "validate.nesting" => Text::StageNesting,
            "validate.points" => Text::StagePoints,
            other => return other.to_string().into(),
        };
        t.get(lang).into()
    }

    /// The label of a severity.
    pub fn severity(s: Severity) -> Text {
        match s {
            Severity::Error => Text::SeverityError,
            Severity::Warning => Text::SeverityWarning,
            Severity::Info => Text::SeverityInfo,
        }
    }
}

/// Sentences with values, said by the command line and the text report.
#[derive(Debug, Clone, PartialEq)]
pub enum Say {
    /// More findings of a rule than the text report lists.
    MoreFindings {
        /// Findings not listed.
        more: usize,
    },
    /// `schema list`: the code lengths of a profile (`-` when it has no such code).
    CodeLengths {
        /// Characters of a grid code.
        grid: String,
        /// Characters of a component code.
        component: String,
    },
    /// `schema show`: a layer's code and its segments.
    CodeLayout {
        /// The segments, joined (`region(6) + street(3) + …`).
        segments: String,
        /// Characters in all.
        length: usize,
    },
    /// `schema show`: a table of the profile.
    TableRows {
        /// The table's name.
        name: String,
        /// Its rows.
        rows: usize,
    },
    /// `diff`: what was compared with what.
    DiffHeader {
        /// Last year's dataset.
        old: String,
        /// This year's dataset.
        new: String,
        /// The profile.
        profile: String,
        /// The CRS both were compared in.
        crs: String,
        /// How areas were measured (`planar`, `geodesic`).
        measure: String,
    },
    /// `validate`: the CRS the run checks in and how areas were measured.
    CrsLine {
        /// The CRS (the manifest's, or the file's).
        crs: String,
        /// How areas were measured (`planar`, `geodesic`; several joined by `/`).
        measure: String,
    },
    /// `schema export`: a profile was written to a folder.
    Exported {
        /// The profile's name.
        profile: String,
        /// The folder.
        dir: String,
    },
    /// `demo` progress: writing the district.
    Writing {
        /// The output folder.
        dir: String,
    },
    /// `demo` progress: validating this year's version.
    Validating {
        /// This year's folder.
        dir: String,
    },
    /// `demo`: what was made and how long each step took.
    DemoMade {
        /// The random seed.
        seed: u64,
        /// Time spent generating.
        generate: Duration,
        /// Time spent writing.
        write: Duration,
        /// Time spent validating.
        validate: Duration,
    },
    /// `demo`: a version's label in the counts table.
    VersionOf {
        /// The year of the version.
        year: i32,
    },
    /// `demo`: the differences between the versions' grids.
    GridDifferences {
        /// Differences in all.
        total: usize,
        /// The count of each kind, joined.
        list: String,
    },
    /// `demo`: the differences between the versions' components.
    ComponentDifferences {
        /// Differences in all.
        total: usize,
        /// The count of each kind, joined.
        list: String,
    },
    /// `demo`: component differences that come with a grid's addition or removal.
    WithWholeGrid {
        /// How many.
        count: usize,
    },
    /// `demo`: the counts of findings in this year's version.
    DemoValidated {
        /// The folder validated.
        dir: String,
        /// Errors found.
        errors: usize,
        /// Warnings found.
        warnings: usize,
        /// Notes found.
        notes: usize,
    },
    /// `demo`: the historical cases (历史案件) filed under last year's version.
    DemoCases {
        /// Last year's data year.
        year: i32,
        /// Cases in all.
        total: usize,
        /// Cases with coordinates.
        with_point: usize,
        /// Component cases (部件类).
        component: usize,
        /// Open cases.
        open: usize,
        /// Cases deliberately filed under a neighbouring grid.
        bad_grid: usize,
    },
    /// `demo`: one duty layer (责任网格) and its differences.
    DemoDuty {
        /// The layer's term (执法网格 / enforcement grids).
        layer: String,
        /// Duty grids last year.
        old: usize,
        /// Duty grids this year.
        new: usize,
        /// Teams.
        teams: usize,
        /// Unit grids handed over, from which team to which.
        moved: Option<(usize, String, String)>,
        /// Duty grids split.
        split: usize,
        /// Duty grids merged.
        merged: usize,
        /// Duty grids reshaped.
        reshaped: usize,
    },
    /// `demo`: the errors found are not the seeded defects.
    DefectsDiffer {
        /// Errors that were not seeded.
        extra: usize,
        /// Seeded defects not found.
        missing: usize,
    },
}

/// Seconds with one decimal: `1.2 s`.
fn seconds(t: &Duration) -> String {
    format!("{:.1} s", t.as_secs_f64())
}

impl Say {
    /// The sentence in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Say::MoreFindings { more } => tr!(
                lang,
                "……另有 {more} 条（用 --format json 或 --max-per-rule 0 查看全部）",
                "… and {more} more (see --format json, or --max-per-rule 0)"
            ),
            Say::CodeLengths { grid, component } => tr!(
                lang,
                "网格编码 {grid}, 部件编码 {component}",
                "grid code {grid}, component code {component}"
            ),
            Say::CodeLayout { segments, length } => tr!(
                lang,
                "编码: {segments} = {length} 位",
                "code: {segments} = {length} characters"
            ),
            Say::TableRows { name, rows } => {
                tr!(lang, "表 {name}: {rows} 行", "table {name}: {rows} rows")
            }
            Say::DiffHeader {
                old,
                new,
                profile,
                crs,
                measure,
            } => tr!(
                lang,
                "比对 {old} → {new} · 数据标准 {profile} · 坐标系 {crs} · 面积量算 {measure}",
                "diff {old} → {new} · profile {profile} · CRS {crs} · areas {measure}"
            ),
            Say::CrsLine { crs, measure } => tr!(
                lang,
                "坐标系 {crs} · 面积量算 {measure}",
                "CRS {crs} · areas {measure}"
            ),
            Say::Exported { profile, dir } => tr!(
                lang,
                "已导出配置 {profile} → {dir}",
                "exported profile {profile} → {dir}"
            ),
            Say::Writing { dir } => tr!(lang, "正在写入 {dir} …", "writing {dir} …"),
            Say::Validating { dir } => tr!(lang, "正在检查 {dir} …", "validating {dir} …"),
            Say::DemoMade {
                seed,
                generate,
                write,
                validate,
            } => tr!(
                lang,
                "演示数据已生成 (种子 {seed}, 生成 {}, 写入 {}, 检查 {})",
                "demo district generated (seed {seed}, generate {}, write {}, validate {})",
                seconds(generate),
                seconds(write),
                seconds(validate)
            ),
            Say::VersionOf { year } => tr!(lang, "{year} 年版", "{year}"),
            Say::GridDifferences { total, list } => tr!(
                lang,
                "网格变更 ({total} 处): {list}",
                "grid differences ({total} in all): {list}"
            ),
            Say::ComponentDifferences { total, list } => tr!(
                lang,
                "部件变更 ({total} 处): {list}",
                "component differences ({total} in all): {list}"
            ),
            Say::WithWholeGrid { count } => tr!(
                lang,
                "其中 {count} 处新增/删除随整个网格的新增/撤销而来",
                "of which {count} added/removed with their whole grid"
            ),
            Say::DemoValidated {
                dir,
                errors,
                warnings,
                notes,
            } => tr!(
                lang,
                "检查 {dir}: {errors} 个错误, {warnings} 个警告, {notes} 个提示",
                "validate {dir}: {errors} errors, {warnings} warnings, {notes} notes"
            ),
            Say::DemoCases {
                year,
                total,
                with_point,
                component,
                open,
                bad_grid,
            } => tr!(
                lang,
                "历史案件 {total} 件（登记于 {year} 年版）：有坐标 {with_point}，部件类 {component}，未结 {open}，登记网格有误 {bad_grid}",
                "historical cases: {total} (filed under the {year} version): {with_point} with a point, {component} component cases, {open} open, {bad_grid} filed under the wrong grid"
            ),
            Say::DemoDuty {
                layer,
                old,
                new,
                teams,
                moved,
                split,
                merged,
                reshaped,
            } => {
                let handed = match moved {
                    Some((n, from, to)) => tr!(
                        lang,
                        "单元网格 {n} 个由{from}移交{to}，",
                        "{n} unit grids handed from {from} to {to}, "
                    ),
                    None => String::new(),
                };
                tr!(
                    lang,
                    "{layer} {old} → {new} 个（{teams} 个责任单位）：{handed}拆分 {split}，合并 {merged}，边界调整 {reshaped}",
                    "{layer}: {old} → {new} ({teams} teams): {handed}split {split}, merged {merged}, reshaped {reshaped}"
                )
            }
            Say::DefectsDiffer { extra, missing } => tr!(
                lang,
                "与预置缺陷不一致：多出 {extra} 个错误，缺少 {missing} 个",
                "differs from the seeded defects: {extra} unexpected errors, {missing} missing"
            ),
        }
    }
}
