pub mod logging_channel;
