//! The words of the HTML pages (`plan.html`): headings of the maps and charts, legend, the
//! table tools.

use super::Lang;

macro_rules! html_texts {
    ($( $(#[$doc:meta])* $variant:ident => $zh:literal, $en:literal; )*) => {
        /// Fixed words of the HTML pages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum HtmlText {
            $( $(#[$doc])* $variant, )*
        }

        impl HtmlText {
            /// Every text, in declaration order.
            pub const ALL: &'static [HtmlText] = &[$(HtmlText::$variant),*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match self {
                    $(HtmlText::$variant => lang.pick($zh, $en),)*
                }
            }
        }
    };
}

html_texts! {
    /// The page's language tag.
    LangTag => "zh-CN", "en";
    /// A historical case (tooltips).
    Case => "案件", "case";
    /// A component (tooltips).
    Component => "部件", "component";
    /// Heading of the table of contents.
    Contents => "目录", "Contents";
    /// Heading of the headline numbers.
    Headline => "要点", "At a glance";
    /// Card: grid changes.
    GridChanges => "网格变更（处）", "grid changes";
    /// Card: component changes.
    ComponentChanges => "部件变更（条）", "component changes";
    /// Card: historical cases.
    Cases => "历史案件（件）", "historical cases";
    /// Card: involved cases.
    Involved => "涉及变更（件）", "involved";
    /// Card: cases for review.
    ForReview => "需人工核查（件）", "for review";
    /// Card: open cases to re-dispatch.
    Redispatch => "需转派（件）", "to re-dispatch";
    /// Heading of the district map.
    Map => "变更分布图", "Map of the changes";
    /// Explanation under the map.
    MapNote => "灰色细线为本版单元网格，虚线为上一版中变更网格的边界；颜色表示变更类型；圆点为涉及变更网格的历史案件（红色：网格编码改变，蓝色：编码未变）；方块为权属单位变更的部件。悬停可查看编码与面积。",
        "Thin grey lines: this year's unit grids; dashed: last year's boundaries of changed grids; colours: the kind of change; dots: historical cases of changed grids (red: their grid code changes, blue: it does not); squares: components with a new owner. Hover for codes and areas.";
    /// Heading of a street's zoomed map.
    StreetMap => "街道放大图", "Street close-up";
    /// Legend: cases whose grid code changes.
    CaseMoved => "案件（网格编码改变）", "case (grid code changes)";
    /// Legend: cases whose grid code stays.
    CaseStays => "案件（编码未变）", "case (code stays)";
    /// Legend: components with a new owner.
    OwnerChanged => "权属单位变更的部件", "component with a new owner";
    /// Legend: last year's boundary.
    OldBoundary => "上一版边界", "last year's boundary";
    /// Chart: historical cases per town before and after.
    ChartMoving => "各街道历史案件数（调整前后）", "Historical cases per town, before and after";
    /// Chart: involved cases per month.
    ChartMonths => "涉及变更的案件（按月）", "Involved cases per month";
    /// Chart: grid area before and after per town.
    ChartArea => "各街道单元网格面积（平方米）", "Grid area per town (m²)";
    /// Chart: quota base before and after per town.
    ChartQuota => "各街道案件基数", "Case quota base per town";
    /// Series: before.
    Before => "上一版", "before";
    /// Series: after.
    After => "本版", "after";
    /// Placeholder of a table's search box.
    Search => "搜索…", "search…";
    /// Table paging: previous page.
    Previous => "上一页", "previous";
    /// Table paging: next page.
    Next => "下一页", "next";
    /// Title of the check page.
    CheckTitle => "报送材料检查报告", "Submission check";
    /// Heading: findings by rule.
    FindingsByRule => "检查发现（按规则）", "Findings by rule";
    /// Heading: every finding.
    AllFindings => "全部检查发现", "Every finding";
    /// Chart: findings per rule.
    ChartFindings => "各规则检查发现数", "Findings per rule";
    /// Column and series: how many.
    Count => "条数", "count";
    /// Card: days between receipt and effect.
    LeadDays => "提前天数（天）", "days ahead";
    /// Card: plan sections present.
    SectionsPresent => "方案章节齐全", "plan sections present";
    /// Card: case crosswalk rows matching.
    CasesMatching => "案件对照表一致行", "case crosswalk rows matching";
    /// Card: grid crosswalk rows matching.
    GridsMatching => "网格对照表一致行", "grid crosswalk rows matching";
    /// Footer.
    Footer => "本页由 gridkeeper 生成，离线可用，不引用任何外部资源。", "Made by gridkeeper; works offline, loads nothing from outside.";
}

/// The note under a table cut to `shown` of its `total` rows.
pub fn rows_cut(total: usize, shown: usize, lang: Lang) -> String {
    tr!(
        lang,
        "本表共 {total} 行，网页只列出前 {shown} 行；完整内容见 plan.xlsx 与 CSV 对照表。",
        "This table has {total} rows; the page lists the first {shown}. Every row is in plan.xlsx and the CSV crosswalks."
    )
}

/// The note under a map that shows `shown` of `total` cases.
pub fn shown_of(shown: usize, total: usize, lang: Lang) -> String {
    tr!(
        lang,
        "图中显示 {total} 件案件中均匀抽取的 {shown} 件。",
        "The map shows {shown} of the {total} cases, evenly spaced."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for t in HtmlText::ALL {
            let (zh, en) = (t.get(Lang::Zh), t.get(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty(), "{t:?}");
            if *t != HtmlText::Footer {
                assert_ne!(zh, en, "{t:?} is not translated");
            }
        }
        assert_eq!(HtmlText::LangTag.get(Lang::Zh), "zh-CN");
        assert!(rows_cut(5000, 2000, Lang::Zh).contains("5000"));
        assert!(shown_of(3000, 9000, Lang::En).starts_with("The map shows 3000 of the 9000"));
    }
}
