//! `npy`: inspect, validate, dump and convert NumPy `.npy` files, and list and extract `.npz`
//! archives, without Python. Where a `.npy` file is expected, a member of an archive can be
//! named as `ARCHIVE.npz:NAME`.
//!
//! Commands: `info`, `validate`, `dump`, `convert`, `ls`, `extract`, and the two that with
//! `validate` make up the conformance runner contract of `corpus/README.md`: `decode` (print
//! the lossless JSON value document of a `.npy` or `.npz`) and `encode` (write the `.npy`
//! `np.save` writes for a value document).
//!
//! Exit status: 0 on success; 1 on any error (the message goes to stderr as `npy: <message>`)
//! and when `validate` finds an invalid file; 2 for a usage error, and when `decode`, `encode`
//! or `validate` meet valid input this tool cannot handle (`npy: unsupported: <why>`), as the
//! contract asks. A closed standard output (`npy dump big.npy | head`) ends the command quietly
//! with status 0.

mod convert;
mod datetime;
mod decode;
mod document;
mod dump;
mod encode;
mod error;
mod extract;
mod format;
mod info;
mod json;
mod load;
mod ls;
mod member;
mod open;
mod validate;
mod value;

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{CliError, Result};

const INFO_HELP: &str = "\
Text output is one `key: value` line per item below; a record dtype adds a `fields:` table of
its leaf fields (dotted path, byte offset, descr).

With --json, one JSON object on one line, with these keys in this order:
  file           the path as given (string)
  version        format version: \"1.0\", \"2.0\" or \"3.0\"
  descr          the header's descr as the Python literal in the file, e.g. \"'<f8'\" or
                 \"[('a', '<i4'), ('b', '<f8')]\"
  shape          array of integers ([] for a 0-d array)
  fortran_order  boolean
  data_offset    byte offset of the data in the file
  itemsize       bytes per element
  element_count  number of elements (the product of the shape)
  data_bytes     bytes of data the header promises; null for object dtypes (a pickle)
  file_bytes     the file's length; null when it is not a regular file
  data           \"complete\", \"trailing_bytes\" (more bytes than promised; NumPy ignores them),
                 \"truncated\", \"pickle\" (object dtype) or \"unknown\" (not a regular file)
  fields         null, or for a record dtype an array of {\"name\", \"descr\", \"offset\"}, one
                 per leaf field: name is a dotted path (pos.x), offset is within the element";

const DUMP_HELP: &str = "\
Values are printed in C (row-major) order, whatever the file's order, and in the file's byte
order decoded correctly.

text  one element per line: `[i, j] value` (a 0-d array prints just the value). Booleans True/
      False; integers exact; floats as NumPy's str(): the shortest text that reads back as the
      same value (float16/32/64 each in its own precision), nan, inf, -inf; complex as Python's
      repr, (1+2j); bytes (S) as b'...' with \\xhh escapes, trailing NULs stripped; unicode (U)
      as '...', trailing NULs stripped; void (V) and long double (f16, c32) as hex of the raw
      bytes; datetime64 as ISO 8601 (2024-01-02T03:04:05.123); timedelta64 as count[unit]
      (5[s]); NaT; records as tuples (1, 2.5); subarray fields as lists [1, 2].
json  one object on one line: {\"descr\", \"shape\", \"fortran_order\", \"count\" (values printed),
      \"truncated\" (whether --limit left some out), \"values\"}. values nests by shape like
      ndarray.tolist() (a bare value for a 0-d array; with --limit, the C-order prefix of that
      nesting). Booleans and integers are JSON booleans and numbers; finite floats are numbers,
      non-finite ones the strings \"nan\", \"inf\", \"-inf\"; complex is [re, im]; bytes are
      strings with \\xhh escapes; void and long double are hex strings; datetimes, timedeltas
      and NaT are strings as in text; records are objects; subarrays are nested arrays.
csv   a header row, then rows. Records: one row per element, one column per leaf field (nested
      fields as dotted paths a.b, subarray fields as v[0], v[1], m[0][1]). Other 2-D arrays:
      one row per array row, columns 0, 1, ...; there --limit counts rows. Everything else:
      one column `value`. Cells as in text, except bytes and unicode unquoted (bytes with \\xhh
      escapes); RFC 4180 quoting.";

const MEMBER_HELP: &str = "\
Where a .npy FILE is expected, a member of an .npz archive can be named ARCHIVE.npz:NAME, with
NAME as np.load takes it (x or x.npy). A path that exists is always taken as a file.";

const LS_HELP: &str = "\
Text output is a table: the member's file name in the archive, its descr and shape (F after the
shape for Fortran order), how it is stored, and its size in bytes. Members that are not .npy
data (np.load returns them as bytes) show `(not .npy data)`.

With --json, one JSON array on one line, one object per member in archive order, with keys
name, key (the name without .npy, as np.load's files), npy (boolean), descr, shape,
fortran_order (null for members that are not .npy data), method (\"stored\" or \"deflated\"),
size, compressed_size, and error (null, or why the member could not be read).";

const EXTRACT_HELP: &str = "\
Each member is written to DIR under its file name in the archive (a `/` in the name makes
subfolders), with the bytes the archive holds for it, decompressed and CRC-checked: a .npy
member becomes the .npy file NumPy saved. Existing files are replaced. Names that would land
outside DIR (absolute, `..`, backslashes, drive letters) are refused before anything is written.
The path of each file written is printed.";

const CONVERT_HELP: &str = "\
With no options OUT is the canonical file np.save writes for the same array: for a file NumPy
wrote, the same bytes. --order changes the memory layout (NumPy writes 0-d, 1-d and other arrays
that are both C- and F-contiguous as C order); --endian byte-swaps every field of the dtype;
--version writes the header in that format version (1.0 fits headers under 64 KiB, 1.0 and 2.0
need a latin-1 header). OUT is replaced atomically and may be IN. Object arrays are refused.";

const DECODE_HELP: &str = "\
The value document is one line of JSON, as corpus/README.md specifies:
  {\"dtype\": ..., \"shape\": [...], \"fortran_order\": ..., \"values\": ...}
dtype     NumPy's dtype_to_descr of the array np.load returns, tuples as JSON lists: \"<f8\",
          [[\"a\", \"<i4\"], [\"\", \"|V4\"], [\"b\", \">f8\", [2]]] (padding entries as NumPy writes
          them; [title, name] for titled fields). A top-level subarray is part of the shape.
shape     list of integers ([] for 0-d); fortran_order: the header's flag.
values    the elements in C order, one list level per axis (a 0-d array's is the element;
          an array without elements has [], whatever its shape):
          b1 true/false; integers, datetime64 and timedelta64 (the int64 count) as decimal
          strings; f2/f4/f8 as \"0x\" and the IEEE bits in 4/8/16 lowercase hex digits; c8/c16 as
          [re, im] of those; long doubles (f16, c32) as hex of the bytes as stored; S as hex of
          the bytes without trailing NULs; U as the string without trailing NULs; V as hex of all
          bytes; records as objects (no padding); subarray fields as nested lists.
An .npz archive gives {\"npz\": [[name, document], ...]}: its members in archive order, named as
np.load names them (without .npy), each the member np.load returns for that name.

Files are judged as np.load(FILE, allow_pickle=False) judges them, with its default limit of
10000 header characters lifted (np.save writes longer headers): exit 1 for a file it refuses
(bad header, truncated data, object dtype, a top-level subarray descr NumPy 2.3+ cannot read);
exit 2 (\"unsupported\") for one it reads that npy cannot represent, such as an archive member
that is not .npy data or records nested deeper than npy reads. Output is meaningful only on
exit 0.";

const ENCODE_HELP: &str = "\
JSON is a value document as `npy decode` prints it (see `npy decode --help`). OUT gets exactly the
bytes np.save writes for that array: the header version it would pick, its padding and descr
text, then the data in the dtype's byte order, in Fortran order when fortran_order is true and
the array is not also C-contiguous (np.save writes 0-d and 1-d arrays as C order). Record padding
is written as zero bytes. OUT is replaced atomically.

For an array without elements (a 0 in its shape), values is [] (the nested empty lists of
tolist() are accepted too).

Exit 1, with the place in the document, for anything malformed: not JSON, missing or unknown keys,
an invalid dtype, values nested differently from the shape, an element of the wrong kind, bad
hex, or a value out of range for its dtype. Exit 2 (\"unsupported\") for an .npz document ({\"npz\":
...}) or an object dtype.";

/// Inspect, validate, dump and convert NumPy .npy files; list and extract .npz archives; decode
/// and encode lossless JSON value documents.
#[derive(Debug, Parser)]
#[command(
    name = "npy",
    version,
    about,
    long_about = None,
    after_help = "A member of an .npz archive is named ARCHIVE.npz:NAME wherever a .npy FILE is \
                  expected.\n\nExit status: 0 on success; 1 on an error (message on stderr) or \
                  when validate finds an invalid file; 2 on a usage error, and when decode, \
                  encode or validate meet valid input npy cannot handle (the message starts \
                  `npy: unsupported:`). The conformance runner contract (decode, encode, \
                  validate) reads 2 as \"unsupported\", so a usage error never passes for a \
                  success or a verdict."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Show a file's header: version, descr, shape, order, sizes, and whether the data is all there.
    #[command(after_long_help = format!("{INFO_HELP}\n\n{MEMBER_HELP} For a member, file_bytes \
                                          is the member's size."))]
    Info {
        /// The .npy file (or ARCHIVE.npz:NAME).
        file: PathBuf,
        /// Print one JSON object (keys: see --help).
        #[arg(long)]
        json: bool,
    },
    /// Check that each file is a valid .npy with all its data present; exit 1 if any is not.
    ///
    /// Prints `FILE: reason` for each invalid file. Valid means np.load(FILE,
    /// allow_pickle=False) reads it (its default limit on header size aside): object arrays are
    /// invalid (their data is a Python pickle). Bytes after the data are allowed (np.load
    /// ignores them). An .npz archive is checked member by member
    /// (`ARCHIVE:NAME: reason`), each read through so its CRC is verified; members that are not
    /// .npy data only need a good CRC. Files NumPy reads that npy cannot check are reported as
    /// `FILE: unsupported: reason`, and make the exit status 2 when no file is invalid.
    #[command(after_long_help = MEMBER_HELP)]
    Validate {
        /// The files to check (.npy files, .npz archives, or ARCHIVE.npz:NAME members).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also print `FILE: ok` for each valid file.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Print the values of an array in C order, as text, JSON or CSV.
    #[command(after_long_help = format!("{DUMP_HELP}\n\n{MEMBER_HELP}"))]
    Dump {
        /// The .npy file (or ARCHIVE.npz:NAME).
        file: PathBuf,
        /// Output format (details: see --help).
        #[arg(short, long, value_enum, default_value_t = dump::Format::Text)]
        format: dump::Format,
        /// Print only the first N elements (for CSV of a 2-D array, N rows).
        #[arg(short = 'n', long, value_name = "N")]
        limit: Option<u64>,
    },
    /// Rewrite IN as OUT in another byte order, memory order or format version.
    #[command(after_long_help = format!("{CONVERT_HELP}\n\n{MEMBER_HELP}"))]
    Convert {
        /// The input .npy file (or ARCHIVE.npz:NAME).
        #[arg(value_name = "IN")]
        input: PathBuf,
        /// The output file (replaced if it exists).
        #[arg(value_name = "OUT")]
        output: PathBuf,
        /// Byte order of the output.
        #[arg(long, value_enum)]
        endian: Option<convert::Endian>,
        /// Memory order of the output: C (row-major) or F (column-major).
        #[arg(long, value_enum)]
        order: Option<convert::Order>,
        /// Format version of the output header: 1, 2 or 3.
        #[arg(long, value_enum)]
        version: Option<convert::FormatVersion>,
    },
    /// Print the lossless JSON value document of a .npy file or .npz archive (for conformance).
    #[command(after_long_help = format!("{DECODE_HELP}\n\n{MEMBER_HELP}"))]
    Decode {
        /// The .npy file, .npz archive, or ARCHIVE.npz:NAME member.
        file: PathBuf,
    },
    /// Write the .npy file np.save writes for the array a JSON value document describes.
    #[command(after_long_help = ENCODE_HELP)]
    Encode {
        /// The value document (a JSON file, as `npy decode` prints).
        json: PathBuf,
        /// The .npy file to write (replaced if it exists).
        #[arg(value_name = "OUT")]
        output: PathBuf,
    },
    /// List the members of an .npz archive, with the dtype and shape of each array.
    #[command(after_long_help = LS_HELP)]
    Ls {
        /// The .npz archive.
        archive: PathBuf,
        /// Print one JSON array (keys: see --help).
        #[arg(long)]
        json: bool,
    },
    /// Write the members of an .npz archive (or the one NAME names) to files in DIR.
    #[command(after_long_help = EXTRACT_HELP)]
    Extract {
        /// The .npz archive.
        archive: PathBuf,
        /// The member to extract, as np.load names it (x or x.npy); all when omitted.
        name: Option<String>,
        /// The folder to write to (created if missing).
        #[arg(short, long = "output", value_name = "DIR", default_value = ".")]
        output: PathBuf,
    },
}

/// How a command that ran to its end came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Exit 0.
    Success,
    /// Completed, but exit 1: `validate` found an invalid file.
    Invalid,
    /// Completed, but exit 2: `validate` found files it cannot check, and no invalid one.
    Unsupported,
}

/// Runs a command.
fn run(command: Command, out: &mut impl Write) -> Result<Status> {
    let done = |()| Status::Success;
    match command {
        Command::Info { file, json } => info::run(&file, json, out).map(done),
        Command::Validate { files, verbose } => {
            validate::run(&files, verbose, out).map(|verdict| match verdict {
                validate::Verdict::Valid => Status::Success,
                validate::Verdict::Invalid => Status::Invalid,
                validate::Verdict::Unsupported => Status::Unsupported,
            })
        }
        Command::Dump {
            file,
            format,
            limit,
        } => dump::run(&file, format, limit, out).map(done),
        Command::Convert {
            input,
            output,
            endian,
            order,
            version,
        } => {
            let options = convert::Options {
                endian,
                order,
                version,
            };
            convert::run(&input, &output, options).map(done)
        }
        Command::Decode { file } => decode::run(&file, out).map(done),
        Command::Encode { json, output } => encode::run(&json, &output).map(done),
        Command::Ls { archive, json } => ls::run(&archive, json, out).map(done),
        Command::Extract {
            archive,
            name,
            output,
        } => extract::run(&archive, name.as_deref(), &output, out).map(done),
    }
}

/// Turns any panic into an `npy: internal error` line and exit 1, without a backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unexpected failure".to_owned());
        let _ = writeln!(io::stderr(), "npy: internal error: {message}");
        std::process::exit(1);
    }));
}

fn main() -> ExitCode {
    install_panic_hook();
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = run(cli.command, &mut out).and_then(|status| {
        out.flush().map_err(CliError::from)?;
        Ok(status)
    });
    match result {
        Ok(Status::Success) | Err(CliError::BrokenPipe) => ExitCode::SUCCESS,
        Ok(Status::Invalid) => ExitCode::from(1),
        Ok(Status::Unsupported) => ExitCode::from(2),
        Err(err) => {
            // Whatever was printed before the error goes out first.
            let _ = out.flush();
            let _ = writeln!(io::stderr(), "npy: {err}");
            ExitCode::from(if err.is_unsupported() { 2 } else { 1 })
        }
    }
}
