//! The people of the demo's duty layers (责任网格): names of the staff on each duty grid,
//! their contact numbers, and the Chinese numerals that number the teams (执法三中队).
//! Every value is a hash of the seed and what it belongs to, never of the order it is made in.

use super::rng::{hash, Rng};

const SURNAMES: [&str; 24] = [
    "陈", "林", "黄", "张", "吴", "王", "李", "蔡", "许", "郑", "洪", "施", "庄", "苏", "杨", "刘",
    "曾", "周", "柯", "卢", "丁", "颜", "谢", "傅",
];
const GIVEN_FIRST: [&str; 20] = [
    "志", "建", "文", "俊", "海", "国", "明", "晓", "丽", "秀", "雅", "淑", "佳", "振", "荣", "金",
    "清", "少", "惠", "玉",
];
const GIVEN_SECOND: [&str; 20] = [
    "强", "华", "国", "娟", "辉", "燕", "杰", "英", "峰", "婷", "栋", "芬", "怡", "明", "龙", "平",
    "红", "生", "珍", "兰",
];
/// Mobile number prefixes (the three digits after which eight follow).
const MOBILE: [&str; 10] = [
    "135", "136", "137", "138", "139", "150", "158", "159", "188", "189",
];

/// The staff of one duty grid: `count` names joined with `、` (a few have a one-character
/// given name), drawn from `key` (seed, layer, street, sequence).
pub fn names(key: u64, count: usize) -> String {
    let mut rng = Rng::new(key);
    let people: Vec<String> = (0..count)
        .map(|_| {
            let surname = SURNAMES[rng.below(SURNAMES.len())];
            let second = GIVEN_SECOND[rng.below(GIVEN_SECOND.len())];
            if rng.chance(0.2) {
                format!("{surname}{second}")
            } else {
                let first = GIVEN_FIRST[rng.below(GIVEN_FIRST.len())];
                format!("{surname}{first}{second}")
            }
        })
        .collect();
    people.join("、")
}

/// An eleven-digit mobile number drawn from `key`.
pub fn phone(key: u64) -> String {
    let h = hash(key, &[7]);
    let prefix = MOBILE[(h % MOBILE.len() as u64) as usize];
    format!("{prefix}{:08}", (h >> 8) % 100_000_000)
}

/// `n` in Chinese numerals (1 → 一, 10 → 十, 23 → 二十三) up to 99; larger numbers in
/// digits with 第 before them (第120).
pub fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => {
            let ones = if n % 10 == 0 { "" } else { DIGITS[n % 10] };
            format!("{}十{ones}", DIGITS[n / 10])
        }
        _ => format!("第{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 23, 99, 100, 120]
            .into_iter()
            .map(numeral)
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "九",
                "十",
                "十一",
                "二十",
                "二十三",
                "九十九",
                "第100",
                "第120"
            ]
        );
    }

    #[test]
    fn names_and_phones_depend_on_the_key_alone() {
        assert_eq!(names(5, 2), names(5, 2));
        let two = names(5, 2);
        assert_eq!(two.split('、').count(), 2);
        assert!(two
            .split('、')
            .all(|n| (2..=3).contains(&n.chars().count())));
        let p = phone(5);
        assert_eq!(p.len(), 11);
        assert!(p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(phone(5), phone(6));
    }
}
