//! Timing, percentiles, and the result table (printed and written as JSON).

use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Milliseconds of one run of `f`.
pub fn time_ms<T, E>(f: impl FnOnce() -> Result<T, E>) -> Result<(f64, T), E> {
    let start = Instant::now();
    let value = f()?;
    Ok((ms(start.elapsed()), value))
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Nearest-rank percentile of already measured samples (`p` in 0..=100).
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Runs `f` once per input and returns the milliseconds of each run.
pub fn samples<I, E>(inputs: &[I], mut f: impl FnMut(&I) -> Result<(), E>) -> Result<Vec<f64>, E> {
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let start = Instant::now();
        f(input)?;
        out.push(ms(start.elapsed()));
    }
    Ok(out)
}

/// One line of the table: a figure, its baseline from the same run, and the target.
pub struct Row {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    pub baseline_name: String,
    pub baseline: Option<f64>,
    /// The DESIGN.md target in the same unit (the figure must be at most this).
    pub target: Option<f64>,
}

impl Row {
    pub fn new(name: impl Into<String>, value: f64, unit: &'static str) -> Row {
        Row {
            name: name.into(),
            value,
            unit,
            baseline_name: String::new(),
            baseline: None,
            target: None,
        }
    }

    pub fn baseline(mut self, name: impl Into<String>, value: f64) -> Row {
        self.baseline_name = name.into();
        self.baseline = Some(value);
        self
    }

    pub fn target(mut self, target: f64) -> Row {
        self.target = Some(target);
        self
    }

    fn ratio(&self) -> Option<f64> {
        self.baseline.filter(|b| *b > 0.0).map(|b| self.value / b)
    }

    fn verdict(&self) -> &'static str {
        match self.target {
            Some(t) if self.value <= t => "met",
            Some(_) => "MISSED",
            None => "",
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline_name,
            "baseline_value": self.baseline,
            "ratio": self.ratio(),
            "target": self.target,
            "target_met": self.target.map(|t| self.value <= t),
        })
    }
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// The table as Markdown, so it can be pasted into the README as it is.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| measurement | value | baseline (same run) | baseline value | ratio | target | |\n\
         |---|---:|---|---:|---:|---:|---|\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} {} | {} | {} | {} | {} | {} |\n",
            r.name,
            number(r.value),
            r.unit,
            r.baseline_name,
            r.baseline
                .map_or(String::new(), |b| format!("{} {}", number(b), r.unit)),
            r.ratio()
                .map_or(String::new(), |x| format!("{}×", number(x))),
            r.target
                .map_or(String::new(), |t| format!("≤ {} {}", number(t), r.unit)),
            r.verdict(),
        ));
    }
    out
}
