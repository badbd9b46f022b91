//! The embedded NumPy oracle (`tests/common/mod.rs`) itself works: NumPy writes, NumPy reads back
//! a record array, and values come back JSON-safe.

mod common;

use common::{np_eval, np_load_json, np_save};
use serde_json::json;

#[test]
fn np_save_writes_npy_bytes() {
    let bytes = np_save("np.arange(3)");
    assert!(bytes.starts_with(b"\x93NUMPY"), "{bytes:?}");
    assert_eq!(bytes.len(), 128 + 3 * 8);
}

#[test]
fn np_load_json_round_trips_a_record_array() {
    let bytes = np_save(
        "np.array([(1, 2.5, b'ab', True), (-7, float('nan'), b'', False)], \
         dtype=[('id', '<i8'), ('x', '>f8'), ('label', 'S4'), ('flag', '?')])",
    );
    let loaded = np_load_json(&bytes);
    assert_eq!(
        loaded,
        json!({
            "descr": "[('id', '<i8'), ('x', '>f8'), ('label', '|S4'), ('flag', '|b1')]",
            "shape": [2],
            "fortran_order": false,
            "values": [
                [1, 2.5, {"bytes_hex": "6162"}, true],
                [-7, "nan", {"bytes_hex": ""}, false],
            ],
        })
    );
}

#[test]
fn values_are_json_safe() {
    let v = np_eval(
        "result = {\n\
         'c': np.array([1 + 2j], dtype='<c8'),\n\
         'inf': np.array([np.inf, -np.inf, -0.0]),\n\
         'dt': np.array(['1970-01-02', 'NaT'], dtype='M8[D]'),\n\
         'rec': np.zeros((2, 1), dtype=[('t', '>m8[s]'), ('v', '<u2', (2,))], order='F'),\n\
         'u': np.str_('é'),\n\
         }",
    );
    assert_eq!(v["c"], json!([[1.0, 2.0]]));
    assert_eq!(v["inf"], json!(["inf", "-inf", -0.0]));
    assert_eq!(v["dt"], json!([1, i64::MIN]));
    assert_eq!(v["rec"], json!([[[0, [0, 0]]], [[0, [0, 0]]]]));
    assert_eq!(v["u"], json!("é"));
}

#[test]
fn fortran_order_comes_from_the_header() {
    let loaded = np_load_json(&np_save(
        "np.asfortranarray(np.arange(6, dtype='<i2').reshape(2, 3))",
    ));
    assert_eq!(loaded["fortran_order"], json!(true));
    assert_eq!(loaded["shape"], json!([2, 3]));
    assert_eq!(loaded["values"], json!([[0, 1, 2], [3, 4, 5]]));
}

#[test]
fn version_3_headers_load() {
    let bytes = np_save("np.zeros(1, dtype=[('π', '<f4')])");
    assert_eq!(&bytes[6..8], &[3, 0]);
    let loaded = np_load_json(&bytes);
    assert_eq!(loaded["descr"], json!("[('π', '<f4')]"));
    assert_eq!(loaded["values"], json!([[0.0]]));
}

#[test]
fn parallel_calls_share_one_interpreter() {
    let handles: Vec<_> = (0..8)
        .map(|i| std::thread::spawn(move || np_eval(&format!("result = int(np.int64({i}) * 2)"))))
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(h.join().unwrap(), json!(i * 2));
    }
}

#[test]
#[should_panic(expected = "ZeroDivisionError")]
fn python_errors_panic_with_the_traceback() {
    np_eval("result = 1 / 0");
}
