//! Writes `rows.npy` from a derive struct, then reads it back.
//!
//! ```console
//! $ cargo run -p npy-serde --example rows
//! $ python -c "import numpy as np; a = np.load('rows.npy'); print(a.dtype); print(a['x'].sum())"
//! ```

use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Row {
    id: i64,
    x: f64,
    label: String,
}

fn main() -> Result<(), npy_serde::Error> {
    let rows = vec![
        Row {
            id: 1,
            x: 0.5,
            label: "alpha".into(),
        },
        Row {
            id: 2,
            x: -1.25,
            label: "beta".into(),
        },
        Row {
            id: 3,
            x: 1e-3,
            label: "gamma".into(),
        },
    ];
    npy_serde::to_path("rows.npy", &rows)?;
    let back: Vec<Row> = npy_serde::from_path("rows.npy")?;
    assert_eq!(back, rows);
    println!(
        "wrote rows.npy: {} rows of {}",
        rows.len(),
        npy_serde::trace_dtype(&rows, &Default::default())?
    );
    Ok(())
}
