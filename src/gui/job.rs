//! Long register work (imports, screening) off the UI thread, reporting progress as
//! messages: the work runs on tokio's blocking pool through [`RegisterHandle::call`] and
//! sends its progress through a channel that the runtime turns into messages.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::futures::channel::mpsc;
use iced::futures::{SinkExt, Stream};

use super::handle::{GuiError, RegisterHandle};
use crate::register::{Register, RegisterError};

/// How far the work is: `done` of `total` (rows, or bytes where rows are not counted);
/// `total` is an estimate and may be exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

impl Progress {
    /// The share done, 0.0 to 1.0, for a progress bar.
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f32 / self.total as f32).min(1.0)
        }
    }
}

/// What a running job reports: progress while it runs, then its result once.
#[derive(Debug, Clone)]
pub enum JobEvent<T> {
    Progress(Progress),
    Finished(Result<T, GuiError>),
}

/// A progress report from inside the work: `(done, total)`.
pub type Report<'a> = &'a mut dyn FnMut(u64, u64);

/// At most this often a progress message: a message per row would flood the UI.
const PROGRESS_EVERY: Duration = Duration::from_millis(80);

/// Runs `work` with the register and streams its progress and result.
pub fn run<T, F>(handle: &RegisterHandle, work: F) -> impl Stream<Item = JobEvent<T>>
where
    T: Send + 'static,
    F: FnOnce(&mut Register, Report<'_>) -> Result<T, RegisterError> + Send + 'static,
{
    let handle = handle.clone();
    iced::stream::channel(16, async move |mut out: mpsc::Sender<JobEvent<T>>| {
        let mut rows_out = out.clone();
        let result = handle
            .call(move |reg| {
                let mut last: Option<Instant> = None;
                let mut report = |done: u64, total: u64| {
                    if last.is_none_or(|l| l.elapsed() >= PROGRESS_EVERY) {
                        last = Some(Instant::now());
                        // A full channel drops this report; the next one comes soon.
                        let _ = rows_out.try_send(JobEvent::Progress(Progress { done, total }));
                    }
                };
                work(reg, &mut report)
            })
            .await;
        // The receiver is gone only when the screen was closed: nobody waits for the result.
        let _ = out.send(JobEvent::Finished(result)).await;
    })
}

/// A cancel flag shared between the screen and the work.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// The flag as the register's `ImportControl` takes it.
    pub fn shared(&self) -> Arc<AtomicBool> {
        self.0.clone()
    }
}

/// Roughly how many data rows the CSV files hold: their lines, less one header each. A
/// quoted field spanning lines makes it an overestimate; it only sizes a progress bar.
pub fn estimate_rows(paths: &[&std::path::Path]) -> u64 {
    use std::io::Read;
    let mut total = 0u64;
    for p in paths {
        let Ok(mut f) = std::fs::File::open(p) else {
            continue;
        };
        let mut buf = vec![0u8; 64 * 1024];
        let mut lines = 0u64;
        let mut last = b'\n';
        while let Ok(n) = f.read(&mut buf) {
            if n == 0 {
                break;
            }
            lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
            last = buf[n - 1];
        }
        if last != b'\n' {
            lines += 1;
        }
        total += lines.saturating_sub(1);
    }
    total
}
