//! Execution speed benchmark (filled in below).
fn main() {}
