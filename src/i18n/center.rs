//! The words of the center's reports (`check`, `score`): labels, column heads and sheet
//! names as [`CheckText`], sentences with values as [`CheckSay`].

use super::Lang;

macro_rules! check_texts {
    ($( $(#[$doc:meta])* $variant:ident => $zh:literal, $en:literal; )*) => {
        /// Fixed words of the check and score reports: labels, column heads, sheet names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum CheckText {
            $( $(#[$doc])* $variant, )*
        }

        impl CheckText {
            /// Every text, in declaration order.
            pub const ALL: &'static [CheckText] = &[$(CheckText::$variant),*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match self {
                    $(CheckText::$variant => lang.pick($zh, $en),)*
                }
            }
        }
    };
}

check_texts! {
    /// Label: the package.
    Package => "报送材料", "Submission";
    /// Label: the town.
    Town => "镇街", "Town";
    /// Column: town code.
    TownCode => "镇街代码", "Town code";
    /// Column: name.
    Name => "名称", "Name";
    /// Label: the dataset folder.
    Dataset => "数据集", "Dataset";
    /// Label: the plan folder.
    Plan => "更新方案", "Plan";
    /// Said when there is no plan folder.
    NoPlan => "无", "none";
    /// Label and column: received date.
    Received => "收到日期", "Received";
    /// Label and column: effective date.
    Effective => "生效日期", "Effective";
    /// Column: days ahead.
    LeadDays => "提前天数", "Days ahead";
    /// Label: the lead time is enough.
    OnTime => "按时", "on time";
    /// Label: the lead time is too short.
    Late => "逾期", "late";
    /// Label: the changes re-derived from the data.
    Changes => "数据变更（复核）", "Changes (re-derived)";
    /// Label: the plan's sections.
    Sections => "方案章节", "Plan sections";
    /// A section is there.
    Present => "有", "present";
    /// A section is not there.
    Absent => "缺", "missing";
    /// A section is empty.
    Empty => "空", "empty";
    /// Label: the case crosswalk.
    CaseCrosswalk => "历史案件对照表", "Case crosswalk";
    /// Label: the grid crosswalk.
    GridCrosswalk => "网格对照表", "Grid crosswalk";
    /// Said when the plan files were not compared.
    NotCompared => "未复核", "not compared";
    /// Column: rank.
    Rank => "名次", "Rank";
    /// Column: total.
    Total => "合计", "Total";
    /// Column: full marks.
    Max => "满分", "Max";
    /// Column: errors.
    Errors => "错误", "Errors";
    /// Column: warnings.
    Warnings => "警告", "Warnings";
    /// Heading: the points withheld.
    Withheld => "扣分说明", "Points withheld";
    /// Said when no point was withheld.
    FullMarks => "满分，无扣分", "full marks, nothing withheld";
    /// Column: the scoring item.
    Item => "评分项", "Item";
    /// Column: points.
    Points => "得分", "Points";
    /// Column: points lost.
    Lost => "扣分", "Lost";
    /// Column: the rule of the scoring file.
    ScoringRule => "评分规则", "Scoring rule";
    /// Column: findings that caused a loss.
    Causes => "原因（规则 × 数量）", "Causes (rule × count)";
    /// Column: the package file.
    PackageFile => "报送文件", "Package";
    /// Column: severity.
    Severity => "级别", "Severity";
    /// Column: family of rules.
    Family => "类别", "Family";
    /// Column: layer.
    Layer => "图层", "Layer";
    /// Column: key.
    Key => "编码", "Key";
    /// Column: field.
    Field => "字段", "Field";
    /// Column: rule id.
    Rule => "规则", "Rule";
    /// Column: message.
    Message => "说明", "Message";
    /// Column: the label of a summary row.
    What => "项目", "Item";
    /// Column: the value of a summary row.
    Value => "内容", "Value";
    /// Sheet: summary.
    SheetSummary => "概况", "Summary";
    /// Sheet: findings.
    SheetFindings => "检查发现", "Findings";
    /// Sheet: ranking.
    SheetRanking => "排名", "Ranking";
    /// Sheet: the points withheld, row by row.
    SheetReasons => "扣分明细", "Points withheld";
    /// Label: the scoring rules used.
    ScoringRules => "评分细则", "Scoring rules";
    /// The built-in scoring rules.
    BuiltIn => "内置", "built in";
    /// Label: the prior dataset.
    Prior => "上一版数据", "Prior dataset";
    /// Heading of the demo's town submissions.
    DemoSubmissions => "镇街报送与评分（演示）", "Town submissions and scores (demo)";
    /// The demo's submissions folder.
    DemoSubmissionsFolder => "各镇街报送材料（文件夹与 .zip）", "the towns' packages (folders and a .zip)";
    /// The demo's score folder.
    DemoScoreFolder => "评分排名（ranking.csv、ranking.xlsx、score.json）", "the ranking (ranking.csv, ranking.xlsx, score.json)";
}

/// Sentences of the check and score reports with values.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckSay {
    /// The lead time line.
    Lead {
        /// Days between received and effective (`None`: no effective date).
        days: Option<i64>,
        /// Days required.
        required: i64,
    },
    /// The changes the data shows.
    Changes {
        /// Changed grid groups.
        grids: usize,
        /// Component changes.
        components: usize,
        /// Cases involved.
        cases: usize,
    },
    /// A crosswalk comparison line.
    Compared {
        /// Rows submitted.
        submitted: usize,
        /// Rows re-derived.
        derived: usize,
        /// Rows alike.
        matching: usize,
    },
    /// A scoring action in words.
    Action {
        /// `zero`, `cap-lowest`, `down`, `down-per-family`.
        action: String,
        /// Tiers down (for `down`, `down-per-family`).
        tiers: u32,
        /// Families counted (for `down-per-family`).
        families: Vec<String>,
    },
    /// The score line of one town.
    Scored {
        /// Its points.
        points: u32,
        /// Full marks.
        max: u32,
    },
    /// The demo's headline.
    DemoScored {
        /// Towns scored.
        towns: usize,
        /// Seconds taken.
        seconds: f64,
    },
}

impl CheckSay {
    /// The sentence in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            CheckSay::Lead {
                days: Some(d),
                required,
            } => tr!(
                lang,
                "提前 {d} 天（要求至少 {required} 天）",
                "{d} days ahead ({required} required)"
            ),
            CheckSay::Lead {
                days: None,
                required,
            } => tr!(
                lang,
                "无生效日期，无法计算提前天数（要求至少 {required} 天）",
                "no effective date: lead time unknown ({required} days required)"
            ),
            CheckSay::Changes {
                grids,
                components,
                cases,
            } => tr!(
                lang,
                "网格变更 {grids} 处，部件变更 {components} 条，涉及变更的历史案件 {cases} 件",
                "{grids} grid changes, {components} component changes, {cases} cases involved"
            ),
            CheckSay::Compared {
                submitted,
                derived,
                matching,
            } => tr!(
                lang,
                "提交 {submitted} 行，复核 {derived} 行，一致 {matching} 行",
                "{submitted} rows submitted, {derived} re-derived, {matching} alike"
            ),
            CheckSay::Action {
                action,
                tiers,
                families,
            } => match action.as_str() {
                "zero" => tr!(lang, "该项不得分", "the item scores nothing"),
                "cap-lowest" => tr!(
                    lang,
                    "最高为最低非零档",
                    "at most the lowest tier above zero"
                ),
                "down-per-family" => {
                    let n = families.len();
                    let f = families.join(", ");
                    tr!(
                        lang,
                        "每类问题降 {tiers} 档（{n} 类：{f}）",
                        "{tiers} tier(s) down per family ({n}: {f})"
                    )
                }
                _ => tr!(lang, "降 {tiers} 档", "{tiers} tier(s) down"),
            },
            CheckSay::Scored { points, max } => {
                tr!(lang, "得分 {points}/{max}", "{points} of {max} points")
            }
            CheckSay::DemoScored { towns, seconds } => tr!(
                lang,
                "{towns} 个镇街的报送材料已检查并评分（{seconds:.1} 秒）",
                "{towns} towns' submissions checked and scored ({seconds:.1} s)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::assert_bilingual;

    #[test]
    fn every_text_and_sentence_is_chinese_and_english() {
        for t in CheckText::ALL {
            assert_bilingual(&format!("{t:?}"), t.get(Lang::Zh), t.get(Lang::En));
        }
        let says = [
            CheckSay::Lead {
                days: Some(20),
                required: 21,
            },
            CheckSay::Lead {
                days: None,
                required: 21,
            },
            CheckSay::Changes {
                grids: 3,
                components: 40,
                cases: 7,
            },
            CheckSay::Compared {
                submitted: 6,
                derived: 7,
                matching: 5,
            },
            CheckSay::Action {
                action: "zero".into(),
                tiers: 0,
                families: vec![],
            },
            CheckSay::Action {
                action: "cap-lowest".into(),
                tiers: 0,
                families: vec![],
            },
            CheckSay::Action {
                action: "down".into(),
                tiers: 1,
                families: vec![],
            },
            CheckSay::Action {
                action: "down-per-family".into(),
                tiers: 1,
                families: vec!["codes".into(), "points".into()],
            },
            CheckSay::Scored { points: 5, max: 7 },
            CheckSay::DemoScored {
                towns: 4,
                seconds: 0.8,
            },
        ];
        for s in says {
            assert_bilingual(&format!("{s:?}"), &s.render(Lang::Zh), &s.render(Lang::En));
        }
    }
}
