//! Paths and messages of the first difference between two value documents.

use npy_conformance::{documents_equal, first_difference};
use serde_json::{json, Value};

fn at(expected: Value, actual: Value) -> (String, String) {
    let d = first_difference(&expected, &actual).expect("documents differ");
    (d.path, d.detail)
}

#[test]
fn equal_documents_ignore_key_order_and_whitespace() {
    let a: Value =
        serde_json::from_str(r#"{"dtype": "<i4", "shape": [2], "values": ["1", "2"]}"#).unwrap();
    let b: Value =
        serde_json::from_str("{\"values\":[\"1\",\"2\"],\n \"shape\":[2],\"dtype\":\"<i4\"}")
            .unwrap();
    assert!(documents_equal(&a, &b));
    assert_eq!(first_difference(&a, &b), None);
}

#[test]
fn paths_name_the_first_difference() {
    let doc = |values: Value| json!({"dtype": [["x", "<i2"], ["y", "<f4"]], "shape": [4], "fortran_order": false, "values": values});
    let rec = |x: &str| json!({"x": x, "y": "0x3f800000"});
    assert_eq!(
        at(
            doc(json!([rec("1"), rec("2"), rec("3"), rec("4")])),
            doc(json!([rec("1"), rec("2"), rec("3"), rec("5")]))
        ),
        ("values[3].x".into(), r#"expected "4", got "5""#.into())
    );
    // Several differences: the first in document order wins.
    assert_eq!(
        at(
            json!({"values": [["1", "2"], ["3", "4"]]}),
            json!({"values": [["1", "0"], ["0", "4"]]})
        )
        .0,
        "values[0][1]"
    );
    assert_eq!(
        at(
            json!({"npz": [["a", {"values": ["0", "1"]}]]}),
            json!({"npz": [["a", {"values": ["0", "2"]}]]})
        )
        .0,
        "npz[0][1].values[1]"
    );
}

#[test]
fn structural_differences() {
    assert_eq!(
        at(json!({"shape": [2, 3]}), json!({"shape": [2]})),
        ("shape".into(), "expected 2 elements, got 1".into())
    );
    assert_eq!(
        at(
            json!({"values": {"x": "1", "y": "2"}}),
            json!({"values": {"x": "1"}})
        ),
        ("values.y".into(), r#"missing (expected "2")"#.into())
    );
    assert_eq!(
        at(
            json!({"values": {"x": "1"}}),
            json!({"values": {"x": "1", "pad": "0"}})
        ),
        ("values.pad".into(), r#"unexpected key (value "0")"#.into())
    );
    assert_eq!(
        at(
            json!({"values": {"a b": true}}),
            json!({"values": {"a b": false}})
        )
        .0,
        r#"values["a b"]"#
    );
    assert_eq!(at(json!({"1x": 1}), json!({"1x": 2})).0, r#"["1x"]"#);
    assert_eq!(
        at(json!({"values": "1"}), json!({"values": 1})),
        ("values".into(), r#"expected "1", got 1"#.into())
    );
    let root = first_difference(&json!({"dtype": "<i4"}), &json!([1])).unwrap();
    assert_eq!(root.path, "");
    assert_eq!(
        root.to_string(),
        r#"document: expected {"dtype":"<i4"}, got [1]"#
    );
}

#[test]
fn long_values_are_cut() {
    let long = "7".repeat(200);
    let (_, detail) = at(json!([long]), json!(["x"]));
    assert!(detail.chars().count() < 100, "{detail}");
    assert!(detail.contains('…'));
}
