mod gkr;
mod mle;
