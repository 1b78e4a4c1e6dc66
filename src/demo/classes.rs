//! Component classes (部件类型) and the units that run them: the GB/T 30428 class table,
//! how common each class is in a Chinese city, and plausible 主管部门 (department),
//! 权属单位 (owner) and 养护单位 (maintainer) names for each.

/// The built-in class table, embedded.
const TABLE: &str = include_str!("../../schemas/gbt30428-2013/component_classes.csv");

/// One component class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    /// 4-digit type code: major 2 + minor 2 (`0118`).
    pub code: &'static str,
    /// The Chinese name (`路灯`).
    pub name: &'static str,
    /// How common it is (relative weight).
    pub weight: u32,
}

/// The units that may run a class of components.
#[derive(Debug, Clone, Copy)]
pub struct Units {
    /// 主管部门
    pub department: &'static [&'static str],
    /// 权属单位
    pub owner: &'static [&'static str],
    /// 养护单位
    pub maintainer: &'static [&'static str],
}

/// The class table with weights and cumulative weights for drawing.
#[derive(Debug, Clone)]
pub struct Classes {
    /// Classes in code order.
    pub list: Vec<Class>,
    /// Cumulative weights, for [`super::rng::Rng::weighted`].
    pub cumulative: Vec<u32>,
}

/// How common a class is: manhole covers, lamps, street trees and litter bins are
/// everywhere; bridges and monitoring stations are rare.
fn weight(code: &str) -> u32 {
    match code {
        "0402" => 120,
        "0118" => 80,
        "0102" | "0103" => 40,
        "0104" => 35,
        "0101" | "0305" => 30,
        "0105" | "0107" => 25,
        "0117" | "0209" => 20,
        "0106" | "0403" => 15,
        "0111" => 12,
        "0113" | "0120" | "0136" | "0307" => 10,
        "0108" | "0109" | "0116" | "0211" | "0213" | "0405" => 8,
        "0115" | "0119" | "0210" | "0407" => 6,
        "0408" => 5,
        "0112" | "0126" | "0134" | "0203" | "0212" | "0306" | "0404" | "0501" => 4,
        "0114" | "0214" | "0302" => 3,
        "0125" | "0127" | "0201" | "0202" | "0301" | "0303" | "0304" | "0409" | "0604" => 2,
        _ => 1,
    }
}

const WATER: Units = Units {
    department: &["晋江市水利局"],
    owner: &["晋江市自来水公司"],
    maintainer: &["晋江市自来水公司管网所"],
};
const DRAINAGE: Units = Units {
    department: &["晋江市住房和城乡建设局"],
    owner: &["晋江市市政管理所", "晋江市排水有限公司"],
    maintainer: &["晋江市市政管理所", "晋江市排水有限公司养护站"],
};
const POWER: Units = Units {
    department: &["晋江市发展和改革局"],
    owner: &["国网晋江市供电公司"],
    maintainer: &["国网晋江市供电公司运维检修部"],
};
const LIGHTING: Units = Units {
    department: &["晋江市城市管理局"],
    owner: &["晋江市路灯管理所"],
    maintainer: &["晋江市路灯管理所", "晋江市照明工程有限公司"],
};
const TELECOM: Units = Units {
    department: &["晋江市工业和信息化局"],
    owner: &[
        "中国电信晋江分公司",
        "中国移动晋江分公司",
        "中国联通晋江分公司",
    ],
    maintainer: &[
        "中国电信晋江分公司",
        "中国移动晋江分公司",
        "中国联通晋江分公司",
    ],
};
const CABLE_TV: Units = Units {
    department: &["晋江市文化体育和旅游局"],
    owner: &["福建广电网络晋江分公司"],
    maintainer: &["福建广电网络晋江分公司"],
};
const GAS: Units = Units {
    department: &["晋江市住房和城乡建设局"],
    owner: &["晋江市燃气有限公司"],
    maintainer: &["晋江市燃气有限公司管网所"],
};
const POLICE: Units = Units {
    department: &["晋江市公安局"],
    owner: &["晋江市公安局", "晋江市公安局交警大队"],
    maintainer: &["晋江市公安局交警大队设施科"],
};
const FIRE: Units = Units {
    department: &["晋江市消防救援大队"],
    owner: &["晋江市消防救援大队"],
    maintainer: &["晋江市自来水公司"],
};
const MUNICIPAL: Units = Units {
    department: &["晋江市城市管理局"],
    owner: &["晋江市市政管理所"],
    maintainer: &["晋江市市政管理所", "晋江市市政工程有限公司"],
};
const POST: Units = Units {
    department: &["晋江市邮政管理局"],
    owner: &["中国邮政晋江分公司"],
    maintainer: &["中国邮政晋江分公司"],
};
const SPORTS: Units = Units {
    department: &["晋江市文化体育和旅游局"],
    owner: &["晋江市体育中心"],
    maintainer: &["晋江市体育中心"],
};
const TRAFFIC: Units = Units {
    department: &["晋江市公安局交警大队"],
    owner: &["晋江市公安局交警大队"],
    maintainer: &["晋江市交通设施养护中心"],
};
const ROADS: Units = Units {
    department: &["晋江市交通运输局"],
    owner: &["晋江市交通运输局", "晋江市公路事业发展中心"],
    maintainer: &["晋江市交通设施养护中心", "晋江市公路事业发展中心"],
};
const TRANSIT: Units = Units {
    department: &["晋江市交通运输局"],
    owner: &["晋江市公共交通有限公司"],
    maintainer: &["晋江市公共交通有限公司"],
};
const SANITATION: Units = Units {
    department: &["晋江市城市管理局"],
    owner: &["晋江市环境卫生管理站"],
    maintainer: &["晋江市环卫站", "晋江市洁美环境服务有限公司"],
};
const CITYSCAPE: Units = Units {
    department: &["晋江市城市管理局"],
    owner: &["晋江市市容管理所"],
    maintainer: &["晋江市市容管理所"],
};
const ENVIRONMENT: Units = Units {
    department: &["泉州市晋江生态环境局"],
    owner: &["泉州市晋江生态环境局"],
    maintainer: &["晋江市环境监测站"],
};
const GREEN: Units = Units {
    department: &["晋江市城市管理局"],
    owner: &["晋江市园林管理处"],
    maintainer: &["晋江市园林管理处", "晋江市绿化工程有限公司"],
};
const HOUSING: Units = Units {
    department: &["晋江市住房和城乡建设局"],
    owner: &["晋江市人民防空办公室", "晋江市房地产管理中心"],
    maintainer: &["晋江市物业管理中心"],
};
const WATERWAYS: Units = Units {
    department: &["晋江市水利局"],
    owner: &["晋江市水利局"],
    maintainer: &["晋江市水利工程管理站"],
};
const SAFETY: Units = Units {
    department: &["晋江市应急管理局"],
    owner: &["晋江市应急管理局"],
    maintainer: &["晋江市应急管理局"],
};

/// The units that fit a class.
pub fn units(code: &str) -> &'static Units {
    match code {
        "0101" | "0131" | "0132" => &WATER,
        "0102" | "0103" | "0104" | "0127" | "0302" => &DRAINAGE,
        "0105" | "0116" | "0133" | "0134" => &POWER,
        "0106" | "0117" | "0118" | "0119" | "0120" => &LIGHTING,
        "0107" | "0109" | "0115" | "0122" | "0124" => &TELECOM,
        "0108" => &CABLE_TV,
        "0110" | "0111" | "0129" | "0135" => &GAS,
        "0112" | "0136" | "0138" => &POLICE,
        "0113" => &FIRE,
        "0123" => &POST,
        "0126" => &SPORTS,
        "0128" | "0203" | "0204" => &TRANSIT,
        "0209" | "0210" | "0211" | "0214" | "0215" | "0217" => &TRAFFIC,
        c if c.starts_with("02") => &ROADS,
        "0301" | "0303" | "0304" | "0305" => &SANITATION,
        "0306" | "0307" | "0501" => &CITYSCAPE,
        "0308" | "0309" | "0310" => &ENVIRONMENT,
        c if c.starts_with("04") => &GREEN,
        "0502" | "0503" => &HOUSING,
        "0601" | "0602" => &SAFETY,
        c if c.starts_with("06") => &WATERWAYS,
        _ => &MUNICIPAL,
    }
}

/// Former units, for last year's values of a changed department, owner or maintainer
/// (reorganised bureaus, contractors replaced after a tender).
pub const FORMER_DEPARTMENTS: [&str; 3] = [
    "晋江市市政园林局",
    "晋江市建设局",
    "晋江市城市管理行政执法局",
];
/// Former owners.
pub const FORMER_OWNERS: [&str; 3] = [
    "晋江市城市建设投资集团有限公司",
    "晋江市市政工程建设有限公司",
    "晋江市城市管理局",
];
/// Former maintainers.
pub const FORMER_MAINTAINERS: [&str; 3] = [
    "泉州市政养护工程有限公司",
    "晋江市物业管理中心",
    "福建闽南市政工程有限公司",
];

/// Classes often confused with each other: the class a component had last year when it
/// was reclassified, or the class field of a CODE-CLASS defect.
pub fn confusable(code: &str) -> Option<&'static str> {
    Some(match code {
        "0102" => "0103",
        "0103" => "0102",
        "0104" => "0103",
        "0105" => "0106",
        "0106" => "0105",
        "0107" => "0109",
        "0109" => "0107",
        "0117" => "0118",
        "0118" => "0117",
        "0209" => "0213",
        "0213" => "0209",
        "0305" => "0304",
        _ => return None,
    })
}

impl Classes {
    /// Reads the embedded table (rows of kind `component`).
    pub fn load() -> Classes {
        let mut list = Vec::new();
        let mut lines = TABLE.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let col = |name: &str| header.iter().position(|h| h.trim() == name);
        let (Some(kind), Some(code), Some(name)) = (col("kind"), col("type_code"), col("name_zh"))
        else {
            return Classes {
                list,
                cumulative: Vec::new(),
            };
        };
        for line in lines {
            let cells: Vec<&'static str> = line.split(',').collect();
            let (Some(k), Some(c), Some(n)) = (cells.get(kind), cells.get(code), cells.get(name))
            else {
                continue;
            };
            if k.trim() != "component" || c.len() != 4 {
                continue;
            }
            list.push(Class {
                code: c.trim(),
                name: n.trim(),
                weight: weight(c.trim()),
            });
        }
        list.sort_by_key(|c| c.code);
        let mut acc = 0;
        let cumulative = list
            .iter()
            .map(|c| {
                acc += c.weight;
                acc
            })
            .collect();
        Classes { list, cumulative }
    }

    /// The index of the class with this code.
    pub fn index(&self, code: &str) -> Option<usize> {
        self.list.binary_search_by(|c| c.code.cmp(code)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_with_weights_and_units() {
        let c = Classes::load();
        assert!(c.list.len() >= 80);
        assert_eq!(c.list[c.index("0118").unwrap()].name, "路灯");
        assert_eq!(c.cumulative.len(), c.list.len());
        for class in &c.list {
            let u = units(class.code);
            assert!(!u.department.is_empty() && !u.owner.is_empty() && !u.maintainer.is_empty());
        }
        for code in ["0102", "0118", "0305"] {
            let other = confusable(code).unwrap();
            assert!(c.index(other).is_some());
            assert_eq!(&other[..2], &code[..2]);
        }
        assert_eq!(units("0101").owner, &["晋江市自来水公司"]);
        assert_eq!(units("0402").owner, &["晋江市园林管理处"]);
    }
}
