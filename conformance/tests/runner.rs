//! The runner against the fixture corpus (tests/fixtures/corpus, made by make_fixtures.py) and a
//! deliberately unreliable implementation (tests/fixtures/fake-impl.sh) whose behaviour for
//! every case and mode is fixed, so every outcome below is known in advance.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use npy_conformance::exec::{execute, Limits, Status};
use npy_conformance::scoreboard::{markdown_row, render_judgement};
use npy_conformance::{
    render_markdown, render_text, run, Corpus, Error, ExpectedFailures, FailureKind, Filter, Mode,
    Outcome, Report, Runner, TextOptions,
};

/// Long enough for `sh` to start on a loaded machine, short enough to keep the hanging case
/// quick.
const TIMEOUT: Duration = Duration::from_secs(2);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fake_runner() -> Runner {
    let script = fixtures().join("fake-impl.sh");
    let mut runner = Runner::new(vec!["sh".into(), script.to_string_lossy().into_owned()]);
    runner.timeout = TIMEOUT;
    runner
}

fn fixture_corpus() -> Corpus {
    Corpus::load(fixtures().join("corpus")).expect("fixture corpus loads")
}

/// An outcome as a short label: `pass`, `unsupported`, or `fail:<kind>`.
fn label(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Pass => "pass".into(),
        Outcome::Unsupported { .. } => "unsupported".into(),
        Outcome::Fail(failure) => format!(
            "fail:{}",
            serde_json::to_value(failure.kind)
                .unwrap()
                .as_str()
                .unwrap()
        ),
    }
}

fn labels(report: &Report) -> BTreeMap<String, Vec<(Mode, String)>> {
    report
        .cases
        .iter()
        .map(|case| {
            let results = case
                .results
                .iter()
                .map(|r| (r.mode, label(&r.outcome)))
                .collect();
            (case.id.clone(), results)
        })
        .collect()
}

fn message<'r>(report: &'r Report, id: &str, mode: Mode) -> &'r str {
    let case = report.cases.iter().find(|c| c.id == id).unwrap();
    &case.outcome(mode).unwrap().failure().unwrap().message
}

#[test]
fn fake_implementation_gets_exactly_the_planned_outcomes() {
    let corpus = fixture_corpus();
    let start = Instant::now();
    let report = run(&corpus, &fake_runner(), &Filter::all()).unwrap();
    let elapsed = start.elapsed();

    use Mode::{Decode as D, Encode as E, Validate as V};
    let want: BTreeMap<String, Vec<(Mode, String)>> = [
        (
            "valid/scalars/i4",
            vec![(D, "pass"), (V, "pass"), (E, "pass")],
        ),
        (
            "valid/scalars/u1",
            vec![(D, "pass"), (V, "pass"), (E, "fail:no_output_file")],
        ),
        (
            "valid/scalars/f8-big",
            vec![(D, "fail:mismatch"), (V, "pass"), (E, "fail:bytes_differ")],
        ),
        (
            "valid/records/point",
            vec![(D, "fail:mismatch"), (V, "unsupported"), (E, "unsupported")],
        ),
        (
            "valid/shapes/bool-fortran",
            vec![
                (D, "fail:not_json"),
                (V, "fail:wrong_exit"),
                (E, "fail:signal"),
            ],
        ),
        (
            "valid/versions/v2",
            vec![(D, "fail:timeout"), (V, "fail:wrong_exit")],
        ),
        ("valid/npz/pair", vec![(D, "pass"), (V, "pass")]),
        (
            "invalid/header/bad-magic",
            vec![(D, "pass"), (V, "fail:wrong_exit")],
        ),
        (
            "invalid/truncated/short-data",
            vec![(D, "fail:wrong_exit"), (V, "pass")],
        ),
    ]
    .into_iter()
    .map(|(id, modes)| {
        let modes = modes.into_iter().map(|(m, l)| (m, l.to_owned())).collect();
        (id.to_owned(), modes)
    })
    .collect();
    assert_eq!(labels(&report), want);

    // The hanging case's shell started `sleep 30`: only killing the whole process group lets
    // the runner finish long before that.
    assert!(elapsed < Duration::from_secs(15), "run took {elapsed:?}");
    assert!(!report.corpus_damaged());

    // Failure messages say where and why.
    let f8 = message(&report, "valid/scalars/f8-big", D);
    assert!(
        f8.starts_with(r#"values[2]: expected "0x3ff8000000000000", got "0x4000000000000000""#),
        "{f8}"
    );
    assert!(message(&report, "valid/records/point", D).starts_with("values[1].y: "));
    assert!(message(&report, "valid/scalars/f8-big", E).contains("wrote 161 bytes, expected 160"));
    assert!(message(&report, "valid/shapes/bool-fortran", E).contains("SIGSEGV"));
    assert!(message(&report, "valid/shapes/bool-fortran", V).starts_with("exit 3"));
    assert!(message(&report, "invalid/header/bad-magic", V).contains("exit 0"));
    let point = report
        .cases
        .iter()
        .find(|c| c.id == "valid/records/point")
        .unwrap();
    assert_eq!(
        point.outcome(V),
        Some(&Outcome::Unsupported {
            reason: "fake-impl: records are not supported".into()
        })
    );

    // Totals per mode and per topic.
    let totals = report.totals();
    assert_eq!(totals.cases, 9);
    let counts = |t: npy_conformance::Tally| (t.pass, t.fail, t.unsupported);
    assert_eq!(counts(totals.mode(D)), (4, 5, 0));
    assert_eq!(counts(totals.mode(V)), (5, 3, 1));
    assert_eq!(counts(totals.mode(E)), (1, 3, 1));
    let topics = report.topics();
    assert_eq!(
        topics.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "header",
            "npz",
            "records",
            "scalars",
            "shapes",
            "truncated",
            "versions"
        ]
    );
    assert_eq!(counts(topics["scalars"].mode(D)), (2, 1, 0));
    assert_eq!(topics["npz"].mode(E).total(), 0);

    // The machine-readable report carries the same facts.
    let json = report.to_json(None);
    assert_eq!(json["totals"]["encode"]["total"], 5);
    assert_eq!(json["topics"]["records"]["validate"]["unsupported"], 1);
    let v2 = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "valid/versions/v2")
        .unwrap();
    assert_eq!(v2["results"][0]["mode"], "decode");
    assert_eq!(v2["results"][0]["outcome"], "fail");
    assert_eq!(v2["results"][0]["kind"], "timeout");

    // The scoreboard: one row per topic, failures capped unless verbose.
    let text = render_text(
        &report,
        &TextOptions {
            verbose: false,
            failure_limit: 3,
        },
    );
    assert!(text.contains("failures (11):"), "{text}");
    assert!(text.contains("… 8 more (--verbose shows all)"), "{text}");
    let scalars = text.lines().find(|l| l.starts_with("scalars")).unwrap();
    assert_eq!(
        scalars.split_whitespace().collect::<Vec<_>>(),
        ["scalars", "2/3", "3/3", "1/3"]
    );
    let records = text.lines().find(|l| l.starts_with("records")).unwrap();
    assert!(records.contains("0/1 (1 unsup.)"), "{records}");
    let verbose = render_text(
        &report,
        &TextOptions {
            verbose: true,
            failure_limit: 3,
        },
    );
    assert!(!verbose.contains("more (--verbose"));
    assert!(verbose.contains("| fake-impl: bad magic") || verbose.contains("unsupported (2):"));
    assert!(verbose.contains("unsupported (2):"), "{verbose}");

    let markdown = render_markdown(&report, "fake");
    assert_eq!(
        markdown.lines().nth(2).unwrap(),
        "| fake | 4/9 | 5/9 | 1/5 | 2 | v1, NumPy 2.4.6, 9 cases |"
    );
}

/// Copies the fixture corpus to a temporary folder that a test may damage.
fn corpus_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&fixtures().join("corpus"), dir.path());
    dir
}

#[test]
fn damaged_files_are_reported_as_damage_not_as_failures() {
    let dir = corpus_copy();
    let i4 = dir.path().join("valid/scalars/i4.npy");
    let mut bytes = fs::read(&i4).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&i4, bytes).unwrap();
    fs::remove_file(dir.path().join("valid/scalars/u1.json")).unwrap();
    fs::write(dir.path().join("valid/records/point.json"), "{not json").unwrap();

    let corpus = Corpus::load(dir.path()).unwrap();
    let filter = Filter {
        patterns: vec!["scalars".into(), "records".into()],
        modes: Vec::new(),
    };
    let report = run(&corpus, &fake_runner(), &filter).unwrap();
    assert!(report.corpus_damaged());
    let damage: BTreeMap<&str, Option<&str>> = report
        .cases
        .iter()
        .map(|c| (c.id.as_str(), c.damage.as_deref()))
        .collect();
    assert!(damage["valid/scalars/i4"].unwrap().contains("sha256"));
    assert!(damage["valid/scalars/u1"]
        .unwrap()
        .contains("cannot read valid/scalars/u1.json"));
    assert!(damage["valid/records/point"]
        .unwrap()
        .contains("not valid JSON"));
    assert_eq!(damage["valid/scalars/f8-big"], None);
    // Damaged cases are not run; the intact one is.
    let runs: BTreeMap<&str, usize> = report
        .cases
        .iter()
        .map(|c| (c.id.as_str(), c.results.len()))
        .collect();
    assert_eq!(runs["valid/scalars/i4"], 0);
    assert_eq!(runs["valid/scalars/f8-big"], 3);
    let totals = report.totals();
    assert_eq!((totals.cases, totals.damaged), (4, 3));
    let text = render_text(&report, &TextOptions::default());
    assert!(text.contains("DAMAGED CORPUS: 3 cases not run"), "{text}");
    assert!(report.to_json(None)["cases"][0]["damage"].is_string());
}

#[test]
fn manifest_problems_are_errors() {
    let dir = corpus_copy();
    let manifest = dir.path().join("manifest.json");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace("\"valid/scalars/u1.npy\"", "\"../u1.npy\""),
    )
    .unwrap();
    match Corpus::load(dir.path()) {
        Err(Error::ManifestContent { message, .. }) => assert!(message.contains("../u1.npy")),
        other => panic!("{other:?}"),
    }
    fs::write(
        &manifest,
        text.replace("valid/scalars/u1\"", "valid/scalars/i4\""),
    )
    .unwrap();
    match Corpus::load(dir.path()) {
        Err(Error::ManifestContent { message, .. }) => assert!(message.contains("twice")),
        other => panic!("{other:?}"),
    }
    fs::write(&manifest, "{\"cases\": []}").unwrap();
    assert!(matches!(
        Corpus::load(dir.path()),
        Err(Error::ManifestSyntax { .. })
    ));
}

#[test]
fn filters_select_cases_and_modes() {
    let corpus = fixture_corpus();
    let filter = Filter {
        patterns: vec!["invalid/".into()],
        modes: vec![Mode::Validate],
    };
    let report = run(&corpus, &fake_runner(), &filter).unwrap();
    assert_eq!(labels(&report).len(), 2);
    assert!(report
        .cases
        .iter()
        .all(|c| c.results.len() == 1 && c.results[0].mode == Mode::Validate));
}

#[test]
fn a_missing_program_is_a_spawn_error_for_every_case() {
    let corpus = fixture_corpus();
    let mut runner = Runner::new(vec!["/nonexistent/npy-conformance-impl".into()]);
    runner.timeout = TIMEOUT;
    let report = run(&corpus, &runner, &Filter::matching("scalars")).unwrap();
    assert!(report.failures().count() > 0);
    assert!(report
        .failures()
        .all(|(_, _, f)| f.kind == FailureKind::SpawnError));
    assert!(matches!(
        run(&corpus, &Runner::new(Vec::new()), &Filter::all()),
        Err(Error::EmptyCommand)
    ));
}

#[test]
fn expected_failures_list_syntax() {
    let list = ExpectedFailures::parse(
        "# header comment\n\
         \n\
         valid/a  decode   # prints long doubles differently\n\
         valid/b  decode,validate  # one reason, two modes\n",
        "list.txt",
    )
    .unwrap();
    let entries: Vec<(&str, Mode, &str, usize)> = list
        .entries()
        .iter()
        .map(|e| (e.case.as_str(), e.mode, e.reason.as_str(), e.line))
        .collect();
    assert_eq!(
        entries,
        [
            (
                "valid/a",
                Mode::Decode,
                "prints long doubles differently",
                3
            ),
            ("valid/b", Mode::Decode, "one reason, two modes", 4),
            ("valid/b", Mode::Validate, "one reason, two modes", 4),
        ]
    );

    let error = |text: &str| match ExpectedFailures::parse(text, "list.txt") {
        Err(Error::ExpectedFailures { line, message, .. }) => (line, message),
        other => panic!("{text:?} gave {other:?}"),
    };
    assert!(error("valid/a decode\n").1.contains("needs a reason"));
    assert!(error("valid/a decode #  \n").1.contains("needs a reason"));
    assert!(error("valid/a dekode # typo\n").1.contains("unknown mode"));
    assert!(error("valid/a # no mode\n").1.contains("CASE-ID MODE"));
    assert!(error("valid/a decode extra # x\n")
        .1
        .contains("CASE-ID MODE"));
    assert_eq!(
        error("# ok\nvalid/a decode # x\nvalid/a decode # y\n"),
        (3, "`valid/a decode` is listed twice".into())
    );
}

#[test]
fn the_shipped_list_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("expected-failures.txt");
    ExpectedFailures::load(path).unwrap();
}

fn unexpected(judgement: &npy_conformance::Judgement) -> Vec<(String, Mode)> {
    judgement
        .unexpected_failures
        .iter()
        .map(|u| (u.case.clone(), u.mode))
        .collect()
}

#[test]
fn expected_failures_must_match_the_report_both_ways() {
    let corpus = fixture_corpus();
    let report = run(&corpus, &fake_runner(), &Filter::matching("scalars")).unwrap();
    let list = ExpectedFailures::parse(
        "valid/scalars/f8-big decode,encode  # fails, as listed\n\
         valid/scalars/i4     decode         # passes now\n\
         valid/records/point  decode         # not run by this filter: neither way\n\
         valid/gone/case      decode         # not in the corpus\n\
         valid/versions/v2    encode         # not canonical, so encode is never scored\n",
        "list.txt",
    )
    .unwrap();
    let judgement = list.judge(&corpus, &report);
    assert!(!judgement.is_clean());
    let keys = |v: &[npy_conformance::ExpectedFailure]| {
        v.iter()
            .map(|e| (e.case.clone(), e.mode))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(&judgement.expected),
        [
            ("valid/scalars/f8-big".to_owned(), Mode::Decode),
            ("valid/scalars/f8-big".to_owned(), Mode::Encode)
        ]
    );
    assert_eq!(
        keys(&judgement.unexpected_passes),
        [("valid/scalars/i4".to_owned(), Mode::Decode)]
    );
    assert_eq!(
        unexpected(&judgement),
        [("valid/scalars/u1".to_owned(), Mode::Encode)]
    );
    assert_eq!(
        judgement.unexpected_failures[0]
            .outcome
            .failure()
            .unwrap()
            .kind,
        FailureKind::NoOutputFile
    );
    let stale: Vec<(&str, &str)> = judgement
        .stale
        .iter()
        .map(|s| (s.entry.case.as_str(), s.problem.as_str()))
        .collect();
    assert_eq!(
        stale,
        [
            ("valid/gone/case", "no such case in the corpus"),
            ("valid/versions/v2", "this mode is not scored for the case")
        ]
    );
    let text = render_judgement(&judgement, "list.txt", &TextOptions::default());
    assert!(
        text.contains("UNEXPECTED FAILURE  valid/scalars/u1  encode    exited 0 without writing"),
        "{text}"
    );
    assert!(
        text.contains("UNEXPECTED PASS     valid/scalars/i4 decode"),
        "{text}"
    );
    assert!(text.contains("line 2 of list.txt"), "{text}");
    assert!(
        text.contains("2 confirmed, 1 unexpected failure, 1 unexpected pass, 2 stale"),
        "{text}"
    );
    let json = report.to_json(Some(&judgement));
    assert_eq!(json["expected_failures"]["unexpected_passes"][0]["line"], 2);
    assert_eq!(
        json["expected_failures"]["unexpected_failures"][0]["kind"],
        "no_output_file"
    );

    // A list that names exactly what fails is clean; an unsupported outcome counts as not
    // passing, so it needs an entry too.
    let exact = ExpectedFailures::parse(
        "valid/scalars/f8-big decode,encode # a\nvalid/scalars/u1 encode # b\n",
        "list.txt",
    )
    .unwrap();
    assert!(exact.judge(&corpus, &report).is_clean());
    let records = run(&corpus, &fake_runner(), &Filter::matching("records")).unwrap();
    let judgement = ExpectedFailures::parse("valid/records/point decode # a\n", "l")
        .unwrap()
        .judge(&corpus, &records);
    assert_eq!(
        unexpected(&judgement),
        [
            ("valid/records/point".to_owned(), Mode::Validate),
            ("valid/records/point".to_owned(), Mode::Encode),
        ]
    );
    let text = render_judgement(&judgement, "l", &TextOptions::default());
    assert!(text.contains("encode    unsupported\n"), "{text}");
    assert!(
        text.contains("validate  unsupported: fake-impl: records are not supported"),
        "{text}"
    );
    assert!(
        ExpectedFailures::empty()
            .judge(&corpus, &report)
            .unexpected_failures
            .len()
            == 3
    );
    assert!(markdown_row(&records, "x").starts_with("| x | 0/1 | 0/1 | 0/1 | 2 |"));
}

#[test]
fn execution_caps_output_and_reports_signals() {
    let limits = Limits {
        timeout: Duration::from_secs(5),
        stdout_limit: 1000,
        stderr_limit: 10,
    };
    let run = execute(
        "sh",
        &[
            "-c",
            "head -c 100000 /dev/zero; echo 0123456789abcdef >&2; exit 7",
        ],
        &limits,
    )
    .unwrap();
    assert_eq!(run.status, Status::Exited(7));
    assert_eq!(run.stdout.bytes.len(), 1000);
    assert!(run.stdout.overflowed);
    assert_eq!(run.stderr.bytes, b"0123456789");
    assert!(run.stderr.overflowed);

    let run = execute("sh", &["-c", "kill -ABRT $$"], &limits).unwrap();
    assert_eq!(run.status, Status::Signaled(6));

    // A background grandchild holding stdout open is killed with the group once the leader
    // exits, so the runner does not wait for it.
    let start = Instant::now();
    let run = execute("sh", &["-c", "sleep 30 & echo started"], &limits).unwrap();
    assert_eq!(run.status, Status::Exited(0));
    assert_eq!(run.stdout.bytes, b"started\n");
    assert!(start.elapsed() < Duration::from_secs(5));

    assert!(execute("/nonexistent/program", &["x"], &limits).is_err());
}
