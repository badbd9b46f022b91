//! `npy encode`: write the `.npy` file `np.save` writes for the array a value document (see
//! [`crate::document`]) describes.
//!
//! The header is npy-core's rendering of np.save's (version, padding, descr text); the data is
//! the document's values in the dtype's byte order, in Fortran order when `fortran_order` is
//! true and the array is not also C-contiguous (np.save writes 0-d and 1-d arrays, and any with
//! at most one axis longer than 1, as C order). Record padding is written as zero bytes. The
//! output is written to a temporary file and renamed into place.

use std::path::Path;

use npy_core::{Header, NpyArray};

use crate::convert::write_atomically;
use crate::document::{dtype_from_json, encode_values};
use crate::error::{CliError, Result};
use crate::json::{self, Json};

/// The keys of a value document.
const KEYS: [&str; 4] = ["dtype", "shape", "fortran_order", "values"];

/// Reads the document in `json_path` and writes its array to `output`.
///
/// # Errors
/// The document cannot be read or is malformed (not JSON, missing or unknown keys, a bad
/// dtype, values that do not match the shape or dtype, or are out of range); an `.npz`
/// document or an object dtype ([`CliError::Unsupported`]); the output cannot be written.
pub fn run(json_path: &Path, output: &Path) -> Result<()> {
    let context = |e: CliError| e.context(json_path.display());
    let bytes = std::fs::read(json_path)
        .map_err(|e| CliError::io(e, "cannot read"))
        .map_err(context)?;
    let text = String::from_utf8(bytes)
        .map_err(|e| {
            CliError::msg(format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })
        .map_err(context)?;
    let document = json::parse(&text)
        .map_err(|e| CliError::msg(format!("not JSON: {e}")))
        .map_err(context)?;
    let array = document_array(&document).map_err(context)?;
    let prelude = array.header().to_bytes()?;
    write_atomically(output, &[&prelude, array.data()]).map_err(|e| e.context(output.display()))
}

/// The array a value document describes, in the memory order np.save would write.
///
/// # Errors
/// As [`run`].
pub fn document_array(document: &Json) -> Result<NpyArray> {
    let Json::Object(members) = document else {
        return Err(CliError::msg(format!(
            "a value document is a JSON object with keys {}, not {}",
            KEYS.join(", "),
            document.kind()
        )));
    };
    if document.get("npz").is_some() {
        return Err(CliError::unsupported(
            "this is an .npz document; npy encode writes .npy files only (encode each member's \
             document on its own)",
        ));
    }
    if let Some((key, _)) = members.iter().find(|(k, _)| !KEYS.contains(&k.as_str())) {
        return Err(CliError::msg(format!(
            "unknown key {key:?} (a value document has {})",
            KEYS.join(", ")
        )));
    }
    let get = |key: &str| {
        document
            .get(key)
            .ok_or_else(|| CliError::msg(format!("the key {key:?} is missing")))
    };

    let dtype = dtype_from_json(get("dtype")?).map_err(|e| e.context("dtype"))?;
    if dtype.has_object() {
        return Err(CliError::unsupported(
            "object dtypes: np.save writes their data as a Python pickle, which npy does not",
        ));
    }
    let shape = shape(get("shape")?).map_err(|e| e.context("shape"))?;
    let fortran_order = match get("fortran_order")? {
        Json::Bool(b) => *b,
        other => {
            return Err(CliError::msg(format!(
                "fortran_order: expected true or false, got {}",
                other.kind()
            )))
        }
    };
    // An array cannot have a subarray dtype: NumPy folds its shape into the array's.
    let header = Header::new(dtype, shape).absorb_subarray();
    header.data_len()?;
    let data = encode_values(get("values")?, &header.shape, &header.dtype)?;
    let array = NpyArray::new(header, data)?;
    Ok(if fortran_order {
        array.to_fortran_order()
    } else {
        array
    })
}

/// A shape: a list of integers from 0 to 2**63 - 1 (NumPy's dimensions are signed 64-bit).
fn shape(json: &Json) -> Result<Vec<u64>> {
    let Json::Array(dims) = json else {
        return Err(CliError::msg(format!(
            "expected a list of integers, got {}",
            json.kind()
        )));
    };
    dims.iter()
        .map(|dim| match dim {
            Json::Number(text) => text
                .parse::<u64>()
                .ok()
                .filter(|&d| d <= i64::MAX as u64)
                .ok_or_else(|| {
                    CliError::msg(format!(
                        "{text} is not a dimension (an integer from 0 to 2**63 - 1)"
                    ))
                }),
            other => Err(CliError::msg(format!(
                "expected a list of integers, got {} in it",
                other.kind()
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn array(document: &str) -> Result<NpyArray> {
        document_array(&json::parse(document).expect("JSON"))
    }

    #[test]
    fn fortran_order_is_written_as_np_save_would() {
        let doc = r#"{"dtype": "|u1", "shape": [2, 3], "fortran_order": true,
                      "values": [["0", "1", "2"], ["3", "4", "5"]]}"#;
        let a = array(doc).expect("valid");
        assert!(a.header().fortran_order);
        assert_eq!(a.data(), [0, 3, 1, 4, 2, 5]);
        // A 1-d array is C-contiguous too: np.save says fortran_order False.
        let doc = r#"{"dtype": "|u1", "shape": [2], "fortran_order": true, "values": ["0", "1"]}"#;
        assert!(!array(doc).expect("valid").header().fortran_order);
    }

    #[test]
    fn subarray_dtypes_fold_into_the_shape() {
        let doc = r#"{"dtype": ["<i2", [2]], "shape": [1], "fortran_order": false,
                      "values": [["1", "2"]]}"#;
        let a = array(doc).expect("valid");
        assert_eq!(a.shape(), [1, 2]);
        assert_eq!(a.data(), [1, 0, 2, 0]);
    }

    #[test]
    fn malformed_documents_say_what_is_wrong() {
        for (doc, message) in [
            ("[]", "a value document is a JSON object"),
            (
                r#"{"dtype": "<i4", "shape": [], "values": "1"}"#,
                "\"fortran_order\" is missing",
            ),
            (
                r#"{"dtype": "<i4", "shape": [], "fortran_order": false, "values": "1", "x": 1}"#,
                "unknown key \"x\"",
            ),
            (
                r#"{"dtype": "<i4", "shape": [-1], "fortran_order": false, "values": []}"#,
                "shape: -1 is not a dimension",
            ),
            (
                r#"{"dtype": "<i4", "shape": [2], "fortran_order": 0, "values": []}"#,
                "fortran_order: expected true or false, got a number",
            ),
            (
                r#"{"dtype": "<x4", "shape": [], "fortran_order": false, "values": "1"}"#,
                "dtype: descr is not a valid dtype descriptor",
            ),
            (
                r#"{"dtype": "<i8", "shape": [4294967296, 4294967296], "fortran_order": false,
                    "values": []}"#,
                "than fit in 64 bits",
            ),
        ] {
            let err = array(doc).expect_err(doc);
            assert!(!err.is_unsupported(), "{doc}");
            assert!(err.to_string().contains(message), "{doc}: {err}");
        }
    }

    #[test]
    fn npz_documents_and_objects_are_unsupported() {
        for doc in [
            r#"{"npz": []}"#,
            r#"{"dtype": "|O", "shape": [], "fortran_order": false, "values": null}"#,
        ] {
            assert!(array(doc).expect_err(doc).is_unsupported(), "{doc}");
        }
    }
}
