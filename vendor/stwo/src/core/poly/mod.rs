pub mod circle;
pub mod line;
pub mod utils;
