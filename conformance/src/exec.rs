//! Runs one invocation of the implementation with a time limit and capped output capture.
//!
//! On Linux the child is started as the leader of a new process group, and the whole group is
//! killed when the time runs out, and again once the leader has exited: an implementation
//! that is a shell script or an interpreter wrapper often leaves a grandchild (`sleep`, a
//! worker) holding stdout open, and killing only the direct child would leave the runner
//! waiting on that pipe.

use std::ffi::OsStr;
use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How long to wait for stdout and stderr to reach end-of-file once the process group is gone.
/// Only a descendant that escaped the group (`setsid`) can hold them open longer.
const STREAM_GRACE: Duration = Duration::from_secs(2);

/// Limits for one invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time before the process group is killed.
    pub timeout: Duration,
    /// Bytes of stdout kept; the rest is read and discarded.
    pub stdout_limit: usize,
    /// Bytes of stderr kept; the rest is read and discarded.
    pub stderr_limit: usize,
}

impl Default for Limits {
    /// The contract's 10 seconds; room for the value document of any corpus case on stdout;
    /// enough stderr for a diagnostic.
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(10),
            stdout_limit: 64 << 20,
            stderr_limit: 64 << 10,
        }
    }
}

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It exited with this code.
    Exited(i32),
    /// A signal ended it (Unix).
    Signaled(i32),
    /// It ran past the time limit and was killed.
    TimedOut,
    /// The platform reported neither an exit code nor a signal.
    Unknown,
}

/// One captured stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    /// The first bytes, up to the limit.
    pub bytes: Vec<u8>,
    /// More bytes were written than the limit kept.
    pub overflowed: bool,
    /// The stream was still open two seconds after the process group ended; `bytes` is
    /// empty then.
    pub left_open: bool,
}

/// The result of [`execute`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    /// How the process ended.
    pub status: Status,
    /// Standard output.
    pub stdout: Captured,
    /// Standard error.
    pub stderr: Captured,
    /// Wall-clock time from spawn to exit.
    pub elapsed: Duration,
}

/// Runs `program args...` with stdin closed, capturing stdout and stderr within `limits`.
///
/// `Err` means the process could not be started at all (no such program, not executable).
pub fn execute<S: AsRef<OsStr>>(
    program: impl AsRef<OsStr>,
    args: &[S],
    limits: &Limits,
) -> io::Result<Execution> {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let start = Instant::now();
    let mut child = command.spawn()?;
    let stdout = child.stdout.take().map(|s| capture(s, limits.stdout_limit));
    let stderr = child.stderr.take().map(|s| capture(s, limits.stderr_limit));

    let (exit, timed_out) = wait_with_timeout(&mut child, limits.timeout)?;
    let elapsed = start.elapsed();
    let status = if timed_out {
        Status::TimedOut
    } else {
        status_of(exit)
    };
    Ok(Execution {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
        elapsed,
    })
}

/// Reads a stream to its end on a thread, keeping at most `limit` bytes.
fn capture(
    mut stream: impl Read + Send + 'static,
    limit: usize,
) -> mpsc::Receiver<(Vec<u8>, bool)> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut overflowed = false;
        let mut buf = vec![0u8; 64 << 10];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let room = limit.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    overflowed |= n > room;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        // The receiver may have given up waiting; nothing to do then.
        let _ = tx.send((kept, overflowed));
    });
    rx
}

fn collect(stream: Option<mpsc::Receiver<(Vec<u8>, bool)>>) -> Captured {
    let Some(rx) = stream else {
        return Captured::default();
    };
    match rx.recv_timeout(STREAM_GRACE) {
        Ok((bytes, overflowed)) => Captured {
            bytes,
            overflowed,
            left_open: false,
        },
        Err(_) => Captured {
            left_open: true,
            ..Captured::default()
        },
    }
}

#[cfg(unix)]
fn status_of(status: ExitStatus) -> Status {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => Status::Exited(code),
        (None, Some(signal)) => Status::Signaled(signal),
        (None, None) => Status::Unknown,
    }
}

#[cfg(not(unix))]
fn status_of(status: ExitStatus) -> Status {
    status.code().map_or(Status::Unknown, Status::Exited)
}

/// Waits for the child to exit or for `timeout`, killing its process group in both cases.
/// Returns the exit status and whether the time ran out.
///
/// A thread blocks in `waitid(WNOWAIT)`, which reports the exit without reaping the child: as
/// long as the leader is an unreaped zombie its pid, and so the group id, cannot be reused, so
/// killing the group afterwards can never hit an unrelated process (another worker may be
/// spawning a new group leader at the same moment).
#[cfg(target_os = "linux")]
fn wait_with_timeout(child: &mut Child, timeout: Duration) -> io::Result<(ExitStatus, bool)> {
    use rustix::io::Errno;
    use rustix::process::{kill_process_group, waitid, Pid, Signal, WaitId, WaitIdOptions};

    let pid = Pid::from_child(child);
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        // Retry only when a signal interrupted the wait; any other answer means it is over.
        while let Err(Errno::INTR) = waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
        ) {}
        let _ = tx.send(());
    });
    let timed_out = matches!(
        rx.recv_timeout(timeout),
        Err(mpsc::RecvTimeoutError::Timeout)
    );
    // ESRCH (the group is already empty) is the usual answer after a clean exit.
    let _ = kill_process_group(pid, Signal::KILL);
    if timed_out {
        // The leader may have left the group (setpgid); it is still unreaped, so killing it by
        // pid is safe too. Then let the waiter thread see the exit before reaping.
        let _ = child.kill();
        let _ = rx.recv();
    }
    Ok((child.wait()?, timed_out))
}

/// Portable fallback: polls for the exit and kills only the child on timeout.
#[cfg(not(target_os = "linux"))]
fn wait_with_timeout(child: &mut Child, timeout: Duration) -> io::Result<(ExitStatus, bool)> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status, false));
        }
        let now = Instant::now();
        if now >= deadline {
            let _ = child.kill();
            return Ok((child.wait()?, true));
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}
