//! What the center's side says (`check`, `score`): the findings about a submission — lead
//! time, plan files and sections, crosswalks that do not match the data — and the errors of
//! packages that cannot be opened. The words of the check and score reports are in
//! [`super::center`].

use super::plan::PlanText;
use super::{Lang, Msg};
use crate::diff::Relation;
use crate::submission::PackageFault;

/// The title of plan section `n` (1–5) in `lang`.
pub fn section_title(n: u8, lang: Lang) -> &'static str {
    let t = match n {
        1 => PlanText::S1,
        2 => PlanText::S2,
        3 => PlanText::S3,
        4 => PlanText::S4,
        _ => PlanText::S5,
    };
    t.get(lang)
}

/// A relation id (`split`) in words.
fn relation(id: &str, lang: Lang) -> String {
    Relation::ALL.iter().find(|r| r.id() == id).map_or_else(
        || id.to_string(),
        |r| lang.pick(r.chinese(), r.id()).to_string(),
    )
}

/// A level (`grid`, `community`, `street`) in words.
fn level(id: &str, lang: Lang) -> &'static str {
    match (id, lang) {
        ("grid", Lang::Zh) => "网格",
        ("community", Lang::Zh) => "社区",
        ("street", Lang::Zh) => "街道",
        ("grid", Lang::En) => "grid",
        ("community", Lang::En) => "community",
        ("street", Lang::En) => "street",
        (_, Lang::Zh) => "编码",
        (_, Lang::En) => "code",
    }
}

/// An empty value shown as a dash.
fn v(s: &str) -> &str {
    if s.is_empty() {
        "—"
    } else {
        s
    }
}

/// The message of a `check` finding.
pub(super) fn render(m: &Msg, lang: Lang) -> String {
    match m {
        Msg::SubmitLate {
            received,
            effective,
            days,
            required,
        } => tr!(
            lang,
            "{received} 收到，{effective} 生效，仅提前 {days} 天（要求至少 {required} 天）",
            "received {received}, effective {effective}: {days} days ahead, {required} required"
        ),
        Msg::SubmitNoEffective => tr!(
            lang,
            "数据集清单（dataset.toml）未给出生效日期 effective，无法判断是否提前报送",
            "the dataset's manifest (dataset.toml) gives no effective date: the lead time cannot be judged"
        ),
        Msg::SubmitTown { stated, found } => {
            let found = if found.is_empty() {
                "—".to_string()
            } else {
                found.join(", ")
            };
            tr!(
                lang,
                "submission.toml 填报的镇街为 {stated}，数据中的街道为 {found}",
                "submission.toml names town {stated}; the data's streets are {found}"
            )
        }
        Msg::SubmitUnchanged => tr!(
            lang,
            "该图层与上一版完全相同，未见更新",
            "the layer is the same as last year's: nothing was updated"
        ),
        Msg::PlanMissing => tr!(
            lang,
            "报送材料中没有更新方案（plan.md、plan.xlsx、case_crosswalk.csv、grid_crosswalk.csv 均无）",
            "the package holds no plan (none of plan.md, plan.xlsx, case_crosswalk.csv, grid_crosswalk.csv)"
        ),
        Msg::PlanFileMissing { part } => match part.as_str() {
            "case_crosswalk" => tr!(
                lang,
                "缺少历史案件对照表（case_crosswalk.csv，或 plan.xlsx 的“历史案件对照表”工作表）",
                "the case crosswalk is missing (case_crosswalk.csv, or the case sheet of plan.xlsx)"
            ),
            "grid_crosswalk" => tr!(
                lang,
                "缺少网格对照表（grid_crosswalk.csv，或 plan.xlsx 的“网格对照表”工作表）",
                "the grid crosswalk is missing (grid_crosswalk.csv, or the grid sheet of plan.xlsx)"
            ),
            other => tr!(lang, "缺少方案文件 {other}", "plan file {other} is missing"),
        },
        Msg::PlanFileBad {
            file,
            column,
            detail,
        } => match (column, detail) {
            (Some(c), _) => tr!(
                lang,
                "{file} 缺少列 {c}",
                "{file} has no column {c}"
            ),
            (None, Some(d)) => tr!(
                lang,
                "{file} 无法读取（{d}）",
                "{file} cannot be read ({d})"
            ),
            (None, None) => tr!(lang, "{file} 无法读取", "{file} cannot be read"),
        },
        Msg::PlanSectionMissing { section, file } => {
            let t = section_title(*section, lang);
            tr!(
                lang,
                "{file} 中没有第 {section} 部分“{t}”",
                "{file} lacks section {section}, “{t}”"
            )
        }
        Msg::PlanSectionEmpty { section, file } => {
            let t = section_title(*section, lang);
            tr!(
                lang,
                "{file} 的第 {section} 部分“{t}”没有内容",
                "section {section} of {file}, “{t}”, is empty"
            )
        }
        Msg::XwalkCaseMissing { old_grid, new_grid } => {
            let (o, n) = (v(old_grid), v(new_grid));
            tr!(
                lang,
                "涉及变更的案件未列入对照表（复核：网格 {o} → {n}）",
                "a case involving a change is not in the table (re-derived: grid {o} → {n})"
            )
        }
        Msg::XwalkCaseExtra {
            elsewhere: true, ..
        } => tr!(
            lang,
            "该案件属于本次报送范围以外的街道（其他镇街的案件），不应列入对照表：请只用本镇街的历史案件制作方案",
            "the case is filed in a street outside this package (another town's case): it does not belong in the table; make the plan with the town's own historical cases"
        ),
        Msg::XwalkCaseExtra { known: true, .. } => tr!(
            lang,
            "该案件不涉及变更的街道、社区或网格，不应列入对照表",
            "the case involves no changed street, community or grid: it does not belong in the table"
        ),
        Msg::XwalkCaseExtra { known: false, .. } => tr!(
            lang,
            "历史案件中没有该案件编号",
            "no historical case has this id"
        ),
        Msg::XwalkCaseDuplicate { rows } => tr!(
            lang,
            "该案件在对照表中出现 {rows} 次",
            "the case is listed {rows} times"
        ),
        Msg::XwalkCaseDiffers {
            level: l,
            submitted,
            derived,
        } => {
            let (l, s, d) = (level(l, lang), v(submitted), v(derived));
            tr!(
                lang,
                "新{l}填报为 {s}，按数据复核应为 {d}",
                "new {l} {s} in the table; the data gives {d}"
            )
        }
        Msg::XwalkCaseOld {
            level: l,
            submitted,
            filed,
        } => {
            let (l, s, f) = (level(l, lang), v(submitted), v(filed));
            tr!(
                lang,
                "原{l}填报为 {s}，案件登记为 {f}",
                "old {l} {s} in the table; the case was filed under {f}"
            )
        }
        Msg::XwalkCasesUnchecked => tr!(
            lang,
            "未提供历史案件（--cases 或上一版的 cases 图层），历史案件对照表未复核",
            "no historical cases (--cases, or the prior's cases layer): the case crosswalk was not re-derived"
        ),
        Msg::XwalkGridMissing {
            old,
            new,
            relation: r,
        } => {
            let (o, n, r) = (v(old), v(new), relation(r, lang));
            tr!(
                lang,
                "按数据复核应有 {o} → {n}（{r}），对照表中没有",
                "the data gives {o} → {n} ({r}); the table lacks it"
            )
        }
        Msg::XwalkGridExtra {
            old,
            new,
            relation: r,
        } => {
            let (o, n, r) = (v(old), v(new), relation(r, lang));
            tr!(
                lang,
                "对照表中的 {o} → {n}（{r}）在数据中不存在",
                "the table's {o} → {n} ({r}) is not in the data"
            )
        }
        Msg::XwalkGridRelation {
            old,
            new,
            submitted,
            derived,
        } => {
            let (o, n) = (v(old), v(new));
            let (s, d) = (relation(submitted, lang), relation(derived, lang));
            tr!(
                lang,
                "{o} → {n} 的变更类型填报为“{s}”，按数据复核应为“{d}”",
                "{o} → {n} is “{s}” in the table; the data gives “{d}”"
            )
        }
        Msg::XwalkGridArea {
            old,
            new,
            column,
            submitted,
            derived,
        } => {
            let (o, n) = (v(old), v(new));
            tr!(
                lang,
                "{o} → {n} 的 {column} 填报为 {submitted}，按数据复核为 {derived}",
                "{o} → {n}: {column} is {submitted} in the table; the data gives {derived}"
            )
        }
        _ => String::new(),
    }
}

/// Bytes in words (`4.0 GiB`, `512 KiB`).
fn bytes(n: u64) -> String {
    const K: f64 = 1024.0;
    let f = n as f64;
    if f >= K * K * K {
        format!("{:.1} GiB", f / (K * K * K))
    } else if f >= K * K {
        format!("{:.1} MiB", f / (K * K))
    } else if f >= K {
        format!("{:.0} KiB", f / K)
    } else {
        format!("{n} B")
    }
}

/// Why a package cannot be opened.
pub(super) fn package_fault(f: &PackageFault, zh: bool) -> String {
    let lang = if zh { Lang::Zh } else { Lang::En };
    match f {
        PackageFault::ZipEscapes { entry } => tr!(
            lang,
            "压缩包中的“{entry}”指向解压目录之外（zip-slip），拒绝解压",
            "refused: entry “{entry}” leads outside the extraction folder (zip-slip)"
        ),
        PackageFault::ZipAbsolute { entry } => tr!(
            lang,
            "压缩包中的“{entry}”是绝对路径，拒绝解压",
            "refused: entry “{entry}” has an absolute path"
        ),
        PackageFault::ZipLink { entry } => tr!(
            lang,
            "压缩包中的“{entry}”是符号链接，拒绝解压",
            "refused: entry “{entry}” is a symbolic link"
        ),
        PackageFault::ZipSpecial { entry } => tr!(
            lang,
            "压缩包中的“{entry}”不是普通文件或文件夹，拒绝解压",
            "refused: entry “{entry}” is neither a file nor a folder"
        ),
        PackageFault::ZipEncrypted { entry } => tr!(
            lang,
            "压缩包中的“{entry}”已加密，请提交未加密的压缩包",
            "refused: entry “{entry}” is encrypted; submit an unencrypted zip"
        ),
        PackageFault::ZipBadName { entry } => tr!(
            lang,
            "压缩包中的条目名“{entry}”无效（为空或含 NUL 字符），拒绝解压",
            "refused: entry name “{entry}” is empty or holds a NUL character"
        ),
        PackageFault::ZipDuplicate { entry } => tr!(
            lang,
            "压缩包中“{entry}”出现了两次，拒绝解压",
            "refused: entry “{entry}” occurs twice"
        ),
        PackageFault::ZipRepeatedName => tr!(
            lang,
            "压缩包目录中同一个条目名出现了两次，拒绝解压",
            "refused: the zip's directory lists an entry name twice"
        ),
        PackageFault::ZipTooManyEntries { count, limit } => tr!(
            lang,
            "压缩包有 {count} 个条目，超过上限 {limit}（--max-entries），拒绝解压",
            "refused: {count} entries, more than the limit of {limit} (--max-entries)"
        ),
        PackageFault::ZipTooLarge { limit } => {
            let limit = bytes(*limit);
            tr!(
                lang,
                "压缩包解压后超过 {limit}（--max-expanded-mb），拒绝解压",
                "refused: the archive expands to more than {limit} (--max-expanded-mb)"
            )
        }
        PackageFault::ZipUnreadable { message } => tr!(
            lang,
            "无法读取压缩包（{message}）",
            "the archive cannot be read ({message})"
        ),
        PackageFault::NotPackage => tr!(
            lang,
            "报送材料应为文件夹或 .zip 压缩包",
            "a submission is a folder or a .zip"
        ),
        PackageFault::NoDataset => tr!(
            lang,
            "报送材料中没有数据集（含 dataset.toml 的文件夹，或 grids.shp 等约定文件名）",
            "the package holds no dataset (a folder with dataset.toml, or files such as grids.shp)"
        ),
        PackageFault::ManyDatasets { found } => {
            let found = found.join(", ");
            tr!(
                lang,
                "报送材料中有多个数据集（{found}），请在 submission.toml 中用 dataset 指明",
                "the package holds several datasets ({found}): name one as `dataset` in submission.toml"
            )
        }
        PackageFault::OutsidePackage { path } => tr!(
            lang,
            "清单引用了报送材料之外的文件或文件夹“{path}”，拒绝读取",
            "refused: the manifest names “{path}”, outside the package"
        ),
        PackageFault::NoReceived => tr!(
            lang,
            "没有收到日期：请用 --received YYYY-MM-DD 指定，或在 submission.toml 中填写 received",
            "no received date: give --received YYYY-MM-DD, or `received` in submission.toml"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::assert_bilingual;

    #[test]
    fn every_package_fault_is_chinese_and_english() {
        let faults = [
            PackageFault::ZipEscapes {
                entry: "../x".into(),
            },
            PackageFault::ZipAbsolute { entry: "/x".into() },
            PackageFault::ZipLink { entry: "l".into() },
            PackageFault::ZipSpecial { entry: "p".into() },
            PackageFault::ZipEncrypted { entry: "e".into() },
            PackageFault::ZipBadName { entry: "".into() },
            PackageFault::ZipDuplicate { entry: "d".into() },
            PackageFault::ZipRepeatedName,
            PackageFault::ZipTooManyEntries {
                count: 20_000,
                limit: 10_000,
            },
            PackageFault::ZipTooLarge { limit: 4 << 30 },
            PackageFault::ZipUnreadable {
                message: "invalid Zip archive".into(),
            },
            PackageFault::NotPackage,
            PackageFault::NoDataset,
            PackageFault::ManyDatasets {
                found: vec!["a".into(), "b".into()],
            },
            PackageFault::OutsidePackage {
                path: "../x.shp".into(),
            },
            PackageFault::NoReceived,
        ];
        for f in faults {
            assert_bilingual(
                &format!("{f:?}"),
                &package_fault(&f, true),
                &package_fault(&f, false),
            );
        }
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(bytes(4 << 30), "4.0 GiB");
        assert_eq!(bytes(3 << 20), "3.0 MiB");
        assert_eq!(bytes(2048), "2 KiB");
        assert_eq!(bytes(12), "12 B");
    }
}
