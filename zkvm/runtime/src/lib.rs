//! The guest side of the Nexus Zero zkVM.
//!
//! A guest is a `no_std` binary that names its `main` with [`entry!`]:
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//! nzero_runtime::entry!(main);
//!
//! fn main() {
//!     let n: u32 = nzero_runtime::read();
//!     nzero_runtime::commit(&(n * 2));
//! }
//! ```
//!
//! The runtime provides the entry point (stack and global pointer set-up), a heap allocator, a panic
//! handler (exit code 101), private input ([`read`], [`read_slice`], [`read_vec`]), public values
//! ([`commit`], [`commit_slice`]), the ComputeBridge's request convention ([`read_request`]) and debug
//! output ([`print!`], [`println!`]). It hashes every
//! committed byte with SHA-256 inside the VM and hands the digest to the VM when the guest halts;
//! that digest is what a proof's statement binds.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;

mod bridge;
mod cell;
mod heap;
mod io;
mod start;
mod syscall;

#[doc(hidden)]
pub use alloc::format as __format;
pub use bridge::read_request;
pub use io::{commit, commit_slice, exit, print_str, read, read_slice, read_vec, write_fd};

/// Declares the guest's `main` function, which the runtime calls after start-up. When it returns,
/// the guest halts with exit code 0.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[unsafe(no_mangle)]
        extern "C" fn __nzero_main() {
            let main: fn() = $main;
            main()
        }
    };
}

/// Prints to the VM's standard output (debugging only: not part of the proof).
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::print_str(&$crate::__format!($($arg)*))
    };
}

/// Prints a line to the VM's standard output (debugging only: not part of the proof).
#[macro_export]
macro_rules! println {
    ($($arg:tt)*) => {{
        $crate::print_str(&$crate::__format!($($arg)*));
        $crate::print_str("\n");
    }};
}
