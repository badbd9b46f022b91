//! `npy dump`: values as NumPy prints them, in C order, from either byte order, in three formats.
//!
//! Every expected value below is what NumPy 2.4.6 printed (`str()` of each element, `repr()` for
//! Python complex and bytes) when `tests/data/make_fixtures.py` wrote the file.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::{command, data, npy_on, ok, text_values};
use serde_json::{json, Value};

/// NumPy: [str(x) for x in np.load("f8.npy")]; the same for the big-endian copy.
const F8_VALUES: [&str; 12] = [
    "0.0",
    "-0.0",
    "1.5",
    "0.1",
    "1e+16",
    "1e-05",
    "0.0001",
    "123456789.125",
    "nan",
    "inf",
    "-inf",
    "1e+300",
];

fn values(fixture: &str) -> Vec<String> {
    text_values(&ok(&["dump"], fixture))
}

#[test]
fn floats_print_shortest_round_trip_text() {
    assert_eq!(values("f8.npy"), F8_VALUES);
    assert_eq!(
        values("f4.npy"),
        ["0.1", "0.33333334", "1.6777216e+07", "-2.5e-08"]
    );
    assert_eq!(
        values("f2.npy"),
        ["0.1", "6.55e+04", "-0.0", "6e-08", "nan"]
    );
}

#[test]
fn big_endian_files_decode_like_little_endian_ones() {
    assert_eq!(values("f8_be.npy"), F8_VALUES);
    assert_eq!(values("u8_be.npy"), ["0", "1", "18446744073709551615"]);
    assert_eq!(values("c8_be.npy"), ["(0.1+0.2j)"]);
    assert_eq!(
        values("unicode_be.npy"),
        ["'h\u{e9}llo'", "''", "'\u{6574}\u{5f62}'"]
    );
    assert_eq!(values("m8y_be.npy"), ["2024", "1969"]);
}

#[test]
fn integers_bools_and_complexes() {
    assert_eq!(
        values("i8.npy"),
        ["-9223372036854775808", "-1", "0", "9223372036854775807"]
    );
    assert_eq!(values("bool.npy"), ["True", "False", "True"]);
    // NumPy: [repr(complex(x)) for x in a]
    assert_eq!(
        values("c16.npy"),
        ["(1+2j)", "(1.5-0.5j)", "1j", "1j", "(nan+infj)"]
    );
}

#[test]
fn strings_void_and_long_double() {
    // NumPy: np.bytes_(b'abc'), np.bytes_(b'a\x00b'), np.bytes_(b'\x01\xff'), np.bytes_(b'')
    assert_eq!(
        values("bytes.npy"),
        ["b'abc'", "b'a\\x00b'", "b'\\x01\\xff'", "b''"]
    );
    // NumPy: bytes(x).hex()
    assert_eq!(values("void.npy"), ["0102ab"]);
    // NumPy: a.tobytes().hex() (x86 80-bit extended 1.0, padded to 16 bytes)
    assert_eq!(values("f16.npy"), ["0000000000000080ff3f000000000000"]);
}

#[test]
fn datetimes_print_as_numpy_str() {
    assert_eq!(
        values("m8ns.npy"),
        [
            "2024-01-02T03:04:05.123456789",
            "NaT",
            "1969-12-31T23:59:59.999999999"
        ]
    );
    assert_eq!(
        values("m8d.npy"),
        ["2024-02-29", "1970-01-01", "-001-03-01", "12345-06-07"]
    );
    assert_eq!(
        values("m8_25s.npy"),
        ["1970-01-01T00:01:15", "1970-01-01T00:00:00"]
    );
    // NumPy prints '5 seconds'; we print the count and the unit.
    assert_eq!(values("td_s.npy"), ["5[s]", "-3[s]", "NaT"]);
}

#[test]
fn text_prefixes_each_element_with_its_index() {
    assert_eq!(
        ok(&["dump"], "i4_2d.npy"),
        "[0, 0] 0\n[0, 1] 1\n[0, 2] 2\n[1, 0] 3\n[1, 1] 4\n[1, 2] 5\n"
    );
    assert_eq!(ok(&["dump"], "scalar0d.npy"), "7.25\n");
    assert_eq!(ok(&["dump"], "empty.npy"), "");
}

#[test]
fn fortran_order_prints_in_c_order() {
    assert_eq!(
        ok(&["dump"], "i4_2d_fortran.npy"),
        ok(&["dump"], "i4_2d.npy")
    );
    // NumPy: a.ravel(order="C").tolist() == list(range(24))
    let expected: Vec<String> = (0..24).map(|i| i.to_string()).collect();
    assert_eq!(values("u1_3d_fortran.npy"), expected);
}

#[test]
fn records_with_nested_fields() {
    // NumPy: a.tolist() ==
    // [(1, (0.5, -1.25), b'ab', 'xé', array([1, 2, 3]), True),
    //  (2, (1.0000000116860974e-07, 3.0), b'', '', array([-1, 0, 32767]), False)]
    // (the float32 1e-07 prints as 1e-07 in its own precision)
    assert_eq!(
        ok(&["dump"], "record_nested.npy"),
        "[0] (1, (0.5, -1.25), b'ab', 'x\u{e9}', [1, 2, 3], True)\n\
         [1] (2, (1e-07, 3.0), b'', '', [-1, 0, 32767], False)\n"
    );
    // Big-endian, aligned (padding between a and b), 2-D subarray field.
    assert_eq!(
        ok(&["dump"], "record_be_aligned.npy"),
        "[0] (-2, 2.5, [[1, 2], [3, 4]])\n"
    );
}

#[test]
fn csv_of_records_uses_dotted_and_indexed_columns() {
    assert_eq!(
        ok(&["dump", "--format", "csv"], "record_nested.npy"),
        "id,pos.x,pos.y,tag,name,v[0],v[1],v[2],ok\n\
         1,0.5,-1.25,ab,x\u{e9},1,2,3,True\n\
         2,1e-07,3.0,,,-1,0,32767,False\n"
    );
    assert_eq!(
        ok(&["dump", "--format", "csv"], "record_be_aligned.npy"),
        "a,b,m[0][0],m[0][1],m[1][0],m[1][1]\n-2,2.5,1,2,3,4\n"
    );
}

#[test]
fn csv_of_a_table() {
    // NumPy: a.tolist() == [(1, 0.5, 'alpha'), (2, -1.25, 'beta'), (3, 0.001, 'gamma')]
    assert_eq!(
        ok(&["dump", "--format", "csv"], "records.npy"),
        "id,x,label\n1,0.5,alpha\n2,-1.25,beta\n3,0.001,gamma\n"
    );
}

#[test]
fn csv_of_plain_arrays() {
    assert_eq!(
        ok(&["dump", "-f", "csv"], "i4_2d_fortran.npy"),
        "0,1,2\n0,1,2\n3,4,5\n"
    );
    assert_eq!(
        ok(&["dump", "-f", "csv"], "bytes.npy"),
        "value\nabc\na\\x00b\n\\x01\\xff\n\"\"\n"
    );
    assert_eq!(
        ok(&["dump", "-f", "csv"], "c16.npy"),
        "value\n(1+2j)\n(1.5-0.5j)\n1j\n1j\n(nan+infj)\n"
    );
}

fn json_dump(args: &[&str], fixture: &str) -> Value {
    let mut all = vec!["dump", "--format", "json"];
    all.extend_from_slice(args);
    let stdout = ok(&all, fixture);
    assert_eq!(stdout.lines().count(), 1, "one line of JSON");
    serde_json::from_str(&stdout).expect("valid JSON")
}

#[test]
fn json_nests_values_by_shape() {
    assert_eq!(
        json_dump(&[], "i4_2d_fortran.npy"),
        json!({"descr": "'<i4'", "shape": [2, 3], "fortran_order": true, "count": 6,
               "truncated": false, "values": [[0, 1, 2], [3, 4, 5]]})
    );
    assert_eq!(json_dump(&[], "scalar0d.npy")["values"], json!(7.25));
    assert_eq!(json_dump(&[], "empty.npy")["values"], json!([]));
    assert_eq!(
        json_dump(&[], "u8_be.npy")["values"],
        json!([0, 1, 18446744073709551615u64])
    );
}

#[test]
fn json_values_of_each_kind() {
    let f8 = json_dump(&[], "f8_be.npy");
    assert_eq!(f8["descr"], "'>f8'");
    assert_eq!(
        f8["values"],
        json!([
            0.0,
            -0.0,
            1.5,
            0.1,
            1e16,
            1e-5,
            0.0001,
            123456789.125,
            "nan",
            "inf",
            "-inf",
            1e300
        ])
    );
    assert_eq!(json_dump(&[], "c16.npy")["values"][1], json!([1.5, -0.5]));
    assert_eq!(
        json_dump(&[], "bytes.npy")["values"],
        json!(["abc", "a\\x00b", "\\x01\\xff", ""])
    );
    assert_eq!(json_dump(&[], "m8ns.npy")["values"][1], json!("NaT"));
    assert_eq!(
        json_dump(&[], "record_nested.npy")["values"][0],
        json!({"id": 1, "pos": {"x": 0.5, "y": -1.25}, "tag": "ab", "name": "x\u{e9}",
               "v": [1, 2, 3], "ok": true})
    );
    let v3 = json_dump(&[], "v3_unicode_field.npy");
    assert_eq!(v3["values"], json!([{"\u{6574}\u{5f62}": 1}]));
}

#[test]
fn limit_prints_a_prefix() {
    assert_eq!(
        text_values(&ok(&["dump", "--limit", "3"], "f8.npy")),
        ["0.0", "-0.0", "1.5"]
    );
    assert_eq!(ok(&["dump", "-n", "0"], "f8.npy"), "");
    assert_eq!(ok(&["dump", "-n", "100"], "bool.npy").lines().count(), 3);
    let json = json_dump(&["--limit", "5"], "u1_3d_fortran.npy");
    assert_eq!(json["values"], json!([[[0, 1, 2, 3], [4]]]));
    assert_eq!(json["count"], 5);
    assert_eq!(json["truncated"], true);
    assert_eq!(
        ok(&["dump", "-f", "csv", "-n", "1"], "i4_2d.npy"),
        "0,1,2\n0,1,2\n"
    );
    assert_eq!(
        ok(&["dump", "-f", "csv", "-n", "1"], "record_nested.npy")
            .lines()
            .count(),
        2
    );
}

#[test]
fn unreadable_files_fail_with_a_message() {
    for (fixture, message) in [
        (
            "truncated.npy",
            "data is truncated: the header promises 96 bytes, the file holds 91",
        ),
        ("bad_magic.npy", "magic string is not correct"),
        ("bad_header.npy", "Maybe"),
        ("header_only.npy", "EOF"),
        ("object.npy", "pickle"),
        ("does_not_exist.npy", "cannot open"),
    ] {
        let run = npy_on(&["dump"], fixture);
        assert_eq!(run.code, 1, "{fixture}");
        assert_eq!(
            run.stdout, "",
            "{fixture}: nothing printed before the error"
        );
        assert!(run.stderr.starts_with("npy: "), "{fixture}: {}", run.stderr);
        assert!(run.stderr.contains(fixture), "{fixture}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{fixture}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{fixture}: {}", run.stderr);
    }
}

#[test]
fn bad_format_is_a_usage_error() {
    let run = npy_on(&["dump", "--format", "xml"], "f8.npy");
    assert_eq!(run.code, 2);
}

#[test]
fn closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.npy");
    let values: Vec<f64> = (0..2_000_000).map(f64::from).collect();
    npy_core::Array::from_vec(vec![2_000_000], values)
        .expect("array")
        .save(&path)
        .expect("save");
    for format in ["text", "json", "csv"] {
        let mut child = command(["dump", "--format", format])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn npy");
        let mut head = [0u8; 64];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut head)
            .expect("some output");
        // Dropping the read end closes the pipe, as `| head` does.
        let output = child.wait_with_output().expect("npy exits");
        assert_eq!(output.status.code(), Some(0), "{format}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{format}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn reads_from_a_pipe() {
    use std::io::Write;
    let bytes = std::fs::read(data("f8_be.npy")).expect("fixture");
    let mut child = command(["dump", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn npy");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(&bytes).expect("write");
    drop(stdin);
    let output = child.wait_with_output().expect("npy exits");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text_values(&String::from_utf8(output.stdout).expect("utf-8")),
        F8_VALUES
    );
}
