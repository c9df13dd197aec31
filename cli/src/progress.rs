//! Progress display on stderr for long stages (hidden when stderr is not a terminal).

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use nzero_wrapper::groth16::Stage;

/// Runs `work` behind a spinner labelled `label`; returns its result and the seconds it took.
pub(crate) fn stage<T>(label: &str, work: impl FnOnce() -> T) -> (T, f64) {
    stages(label, |_: &mut dyn FnMut(Stage)| work())
}

/// [`stage`] for work that reports its Groth16 stages: the spinner shows the current one.
pub(crate) fn stages<T>(label: &str, work: impl FnOnce(&mut dyn FnMut(Stage)) -> T) -> (T, f64) {
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner:.cyan} {msg} [{elapsed}]").expect("a valid template"),
    );
    spinner.set_message(label.to_owned());
    spinner.enable_steady_tick(Duration::from_millis(120));
    let start = Instant::now();
    let result = work(&mut |stage: Stage| spinner.set_message(format!("{label}: {}", stage.name())));
    let seconds = start.elapsed().as_secs_f64();
    spinner.finish_and_clear();
    tracing::info!(stage = label, seconds, "done");
    (result, seconds)
}
