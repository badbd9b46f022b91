//! Renders a [`Report`] for people: a topic × mode table, the failures, and a Markdown row for
//! the scores section of `corpus/README.md`.

use std::fmt::Write as _;

use crate::expected::Judgement;
use crate::mode::Mode;
use crate::report::{Outcome, Report, Tally, Totals};

/// Failures listed when not verbose.
pub const DEFAULT_FAILURE_LIMIT: usize = 25;

/// What [`render_text`] includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// List every failure with its stderr excerpt, and every unsupported outcome.
    pub verbose: bool,
    /// Failures listed when not verbose.
    pub failure_limit: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            verbose: false,
            failure_limit: DEFAULT_FAILURE_LIMIT,
        }
    }
}

/// The scoreboard: a header line, the topic × mode table (`passed/scored`, plus unsupported
/// counts), damaged cases, and the failures (capped unless verbose).
pub fn render_text(report: &Report, options: &TextOptions) -> String {
    let mut out = String::new();
    let totals = report.totals();
    let _ = writeln!(
        out,
        "corpus {} (version {}, NumPy {}): {} case{}; implementation `{}`; timeout {} s",
        report.corpus.display(),
        report.corpus_version,
        report.numpy_version,
        totals.cases,
        plural(totals.cases),
        report.command.join(" "),
        report.timeout.as_secs_f64()
    );
    out.push('\n');
    out.push_str(&table(report, &totals));

    let damaged: Vec<_> = report.damaged().collect();
    if !damaged.is_empty() {
        let _ = writeln!(
            out,
            "\nDAMAGED CORPUS: {} case{} not run (the checkout differs from the manifest):",
            damaged.len(),
            plural(damaged.len())
        );
        for case in damaged {
            let _ = writeln!(
                out,
                "  {}  {}",
                case.id,
                case.damage.as_deref().unwrap_or("")
            );
        }
    }

    let failures: Vec<_> = report.failures().collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nfailures ({}):", failures.len());
        let id_width = failures
            .iter()
            .map(|(c, _, _)| c.id.len())
            .max()
            .unwrap_or(0);
        let shown = if options.verbose {
            failures.len()
        } else {
            options.failure_limit.min(failures.len())
        };
        for (case, mode, failure) in &failures[..shown] {
            let _ = writeln!(
                out,
                "  {:id_width$}  {:8}  {}",
                case.id,
                mode.name(),
                failure.message
            );
            if options.verbose && !failure.stderr.is_empty() {
                for line in failure.stderr.lines() {
                    let _ = writeln!(out, "      | {line}");
                }
            }
        }
        if shown < failures.len() {
            let _ = writeln!(
                out,
                "  … {} more (--verbose shows all)",
                failures.len() - shown
            );
        }
    }

    if options.verbose {
        let unsupported: Vec<_> = report.unsupported().collect();
        if !unsupported.is_empty() {
            let _ = writeln!(out, "\nunsupported ({}):", unsupported.len());
            let id_width = unsupported
                .iter()
                .map(|(c, _, _)| c.id.len())
                .max()
                .unwrap_or(0);
            for (case, mode, reason) in unsupported {
                let _ = writeln!(out, "  {:id_width$}  {:8}  {reason}", case.id, mode.name());
            }
        }
    }
    out
}

/// The table: one row per topic and a total row; a cell is `passed/scored`, with `(N unsup.)`
/// appended when the implementation declined some cases, and `-` when no case of the topic is
/// scored in that mode.
fn table(report: &Report, totals: &Totals) -> String {
    let mut rows: Vec<[String; 4]> = vec![[
        "topic".into(),
        "decode".into(),
        "validate".into(),
        "encode".into(),
    ]];
    let row = |name: &str, totals: &Totals| {
        let cell = |mode| cell(totals.mode(mode));
        [
            name.to_owned(),
            cell(Mode::Decode),
            cell(Mode::Validate),
            cell(Mode::Encode),
        ]
    };
    for (topic, topic_totals) in report.topics() {
        rows.push(row(&topic, &topic_totals));
    }
    rows.push(row("total", totals));
    let mut widths = [0usize; 4];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let last = rows.len() - 1;
    for (i, row) in rows.iter().enumerate() {
        if i == last {
            let rule: usize = widths.iter().sum::<usize>() + 3 * 3;
            let _ = writeln!(out, "{}", "-".repeat(rule));
        }
        let line = format!(
            "{:w0$}   {:w1$}   {:w2$}   {:w3$}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

fn cell(tally: Tally) -> String {
    match (tally.total(), tally.unsupported) {
        (0, _) => "-".into(),
        (total, 0) => format!("{}/{total}", tally.pass),
        (total, unsupported) => format!("{}/{total} ({unsupported} unsup.)", tally.pass),
    }
}

/// How a report compares with an expected-failures list (`list` names it): unexpected
/// failures (capped like the failure list unless verbose), unexpected passes and stale entries,
/// one per line, then a one-line summary.
pub fn render_judgement(judgement: &Judgement, list: &str, options: &TextOptions) -> String {
    let mut out = String::new();
    let unexpected = &judgement.unexpected_failures;
    let shown = if options.verbose {
        unexpected.len()
    } else {
        options.failure_limit.min(unexpected.len())
    };
    if !unexpected.is_empty() {
        let _ = writeln!(
            out,
            "unexpected failures (fix them, or list them in {list} with a reason):"
        );
    }
    let id_width = unexpected[..shown]
        .iter()
        .map(|u| u.case.len())
        .max()
        .unwrap_or(0);
    for item in &unexpected[..shown] {
        let what = match &item.outcome {
            Outcome::Fail(failure) => failure.message.clone(),
            Outcome::Unsupported { reason } if reason.is_empty() => "unsupported".to_owned(),
            Outcome::Unsupported { reason } => format!("unsupported: {reason}"),
            Outcome::Pass => "passed".to_owned(),
        };
        let _ = writeln!(
            out,
            "  UNEXPECTED FAILURE  {:id_width$}  {:8}  {what}",
            item.case,
            item.mode.name()
        );
    }
    if shown < unexpected.len() {
        let _ = writeln!(
            out,
            "  … {} more (--verbose shows all)",
            unexpected.len() - shown
        );
    }
    for entry in &judgement.unexpected_passes {
        let _ = writeln!(
            out,
            "  UNEXPECTED PASS     {} {}  (passes now: remove line {} of {list})",
            entry.case, entry.mode, entry.line
        );
    }
    for stale in &judgement.stale {
        let _ = writeln!(
            out,
            "  STALE ENTRY         {} {}  ({list} line {}: {})",
            stale.entry.case, stale.entry.mode, stale.entry.line, stale.problem
        );
    }
    let _ = writeln!(
        out,
        "expected failures ({list}): {} confirmed, {} unexpected failure{}, {} unexpected pass{}, {} stale",
        judgement.expected.len(),
        unexpected.len(),
        plural(unexpected.len()),
        judgement.unexpected_passes.len(),
        if judgement.unexpected_passes.len() == 1 { "" } else { "es" },
        judgement.stale.len()
    );
    out
}

/// The header of the Markdown scores table (two lines), to go above [`markdown_row`]s.
pub fn markdown_header() -> String {
    "| implementation | decode | validate | encode | unsupported | corpus |\n\
     |---|---:|---:|---:|---:|---|\n"
        .to_owned()
}

/// One Markdown table row for `report`, naming the implementation `name`: `passed/scored` per
/// mode, unsupported outcomes over all modes, and the corpus it was scored on.
pub fn markdown_row(report: &Report, name: &str) -> String {
    let totals = report.totals();
    let cell = |mode| {
        let tally = totals.mode(mode);
        if tally.total() == 0 {
            "-".to_owned()
        } else {
            format!("{}/{}", tally.pass, tally.total())
        }
    };
    let damaged = if totals.damaged > 0 {
        format!(", {} damaged", totals.damaged)
    } else {
        String::new()
    };
    format!(
        "| {} | {} | {} | {} | {} | v{}, NumPy {}, {} cases{damaged} |\n",
        name.replace('|', "\\|"),
        cell(Mode::Decode),
        cell(Mode::Validate),
        cell(Mode::Encode),
        totals.unsupported(),
        report.corpus_version,
        report.numpy_version,
        totals.cases
    )
}

/// [`markdown_header`] followed by [`markdown_row`]: a complete table for one implementation.
pub fn render_markdown(report: &Report, name: &str) -> String {
    let mut out = markdown_header();
    out.push_str(&markdown_row(report, name));
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
