pub mod gkr;
mod mle;
