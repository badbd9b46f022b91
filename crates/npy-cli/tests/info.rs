//! `npy info`: the header as text or one JSON object, and whether the data is all there.

mod common;

use common::{data, npy, npy_on, ok};
use serde_json::{json, Value};

#[test]
fn text_lists_every_header_item() {
    let path = data("f8.npy");
    let run = npy([std::ffi::OsStr::new("info"), path.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "file:           {}\n\
             version:        1.0\n\
             descr:          '<f8'\n\
             shape:          (12,)\n\
             fortran_order:  False\n\
             data_offset:    128\n\
             itemsize:       8\n\
             element_count:  12\n\
             data_bytes:     96\n\
             file_bytes:     224\n\
             data:           complete\n",
            path.display()
        )
    );
}

#[test]
fn text_shows_record_fields() {
    let out = ok(&["info"], "record_nested.npy");
    let table = out.split_once("fields:\n").expect("a fields table").1;
    assert_eq!(
        table,
        "  name   offset  descr\n\
         \x20 id          0  '<i8'\n\
         \x20 pos.x       8  '<f4'\n\
         \x20 pos.y      12  '<f4'\n\
         \x20 tag        16  '|S4'\n\
         \x20 name       20  '<U5'\n\
         \x20 v          40  ('<i2', (3,))\n\
         \x20 ok         46  '|b1'\n"
    );
}

#[test]
fn text_explains_incomplete_data() {
    let out = ok(&["info"], "truncated.npy");
    assert!(
        out.contains("data:           truncated (91 of 96 bytes present)\n"),
        "{out}"
    );
    let out = ok(&["info"], "object.npy");
    assert!(out.contains("data:           pickle"), "{out}");
}

fn info_json(fixture: &str) -> Value {
    let out = ok(&["info", "--json"], fixture);
    assert_eq!(out.lines().count(), 1, "one line: {out}");
    serde_json::from_str(&out).expect("valid JSON")
}

#[test]
fn json_of_a_record_file() {
    let info = info_json("record_nested.npy");
    let mut expected = json!({
        "version": "1.0",
        "descr": "[('id', '<i8'), ('pos', [('x', '<f4'), ('y', '<f4')]), ('tag', '|S4'), \
                  ('name', '<U5'), ('v', '<i2', (3,)), ('ok', '|b1')]",
        "shape": [2],
        "fortran_order": false,
        "data_offset": 256,
        "itemsize": 47,
        "element_count": 2,
        "data_bytes": 94,
        "file_bytes": 350,
        "data": "complete",
        "fields": [
            {"name": "id", "descr": "'<i8'", "offset": 0},
            {"name": "pos.x", "descr": "'<f4'", "offset": 8},
            {"name": "pos.y", "descr": "'<f4'", "offset": 12},
            {"name": "tag", "descr": "'|S4'", "offset": 16},
            {"name": "name", "descr": "'<U5'", "offset": 20},
            {"name": "v", "descr": "('<i2', (3,))", "offset": 40},
            {"name": "ok", "descr": "'|b1'", "offset": 46},
        ],
    });
    expected["file"] = json!(data("record_nested.npy").display().to_string());
    assert_eq!(info, expected);
}

#[test]
fn json_reports_versions_orders_and_shapes() {
    assert_eq!(info_json("v2.npy")["version"], "2.0");
    assert_eq!(info_json("v3_unicode_field.npy")["version"], "3.0");
    assert_eq!(
        info_json("v3_unicode_field.npy")["descr"],
        "[('\u{6574}\u{5f62}', '<i4')]"
    );
    let fortran = info_json("u1_3d_fortran.npy");
    assert_eq!(fortran["fortran_order"], true);
    assert_eq!(fortran["shape"], json!([2, 3, 4]));
    assert_eq!(fortran["fields"], Value::Null);
    let scalar = info_json("scalar0d.npy");
    assert_eq!(scalar["shape"], json!([]));
    assert_eq!(scalar["element_count"], 1);
    assert_eq!(info_json("empty.npy")["data_bytes"], 0);
    assert_eq!(info_json("m8_25s.npy")["descr"], "'<M8[25s]'");
}

#[test]
fn incomplete_and_pickled_data_are_reported_not_fatal() {
    let truncated = info_json("truncated.npy");
    assert_eq!(truncated["data"], "truncated");
    assert_eq!(truncated["data_bytes"], 96);
    assert_eq!(truncated["file_bytes"], 219);
    let object = info_json("object.npy");
    assert_eq!(object["descr"], "'|O'");
    assert_eq!(object["data"], "pickle");
    assert_eq!(object["data_bytes"], Value::Null);
}

#[test]
fn bad_headers_fail() {
    for (fixture, message) in [
        ("bad_magic.npy", "magic string is not correct"),
        ("header_only.npy", "EOF"),
        ("bad_header.npy", "Maybe"),
        ("missing.npy", "cannot open"),
    ] {
        for args in [&["info"][..], &["info", "--json"][..]] {
            let run = npy_on(args, fixture);
            assert_eq!(run.code, 1, "{fixture}");
            assert_eq!(run.stdout, "");
            assert!(run.stderr.starts_with("npy: "), "{}", run.stderr);
            assert!(run.stderr.contains(message), "{}", run.stderr);
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let run = npy([std::ffi::OsStr::new("info"), dir.path().as_os_str()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
}

#[test]
fn help_documents_the_json_keys() {
    let run = npy(["info", "--help"]);
    assert_eq!(run.code, 0);
    for key in [
        "version",
        "descr",
        "shape",
        "fortran_order",
        "data_offset",
        "itemsize",
        "element_count",
        "data_bytes",
        "file_bytes",
        "fields",
    ] {
        assert!(run.stdout.contains(key), "--help lacks {key}");
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(npy(["info"]).code, 2);
    assert_eq!(npy(["frobnicate"]).code, 2);
    assert_eq!(npy::<[&str; 0], &str>([]).code, 2);
}
