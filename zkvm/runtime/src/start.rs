//! Start-up, normal exit and panics.

use crate::io::exit;

#[cfg(target_arch = "riscv32")]
core::arch::global_asm!(
    ".section .text._start, \"ax\"",
    ".global _start",
    "_start:",
    ".option push",
    ".option norelax",
    "la gp, __global_pointer$",
    ".option pop",
    "la sp, __nzero_stack_top",
    "call {start}",
    start = sym start,
);

unsafe extern "C" {
    /// The guest's `main`, declared with [`crate::entry!`].
    fn __nzero_main();
}

/// Called by `_start` once the stack is set up.
extern "C" fn start() -> ! {
    // SAFETY: `entry!` defines `__nzero_main` as a plain function without arguments.
    unsafe { __nzero_main() };
    exit(nzero_abi::exit_code::SUCCESS)
}

#[cfg(target_os = "none")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    use core::fmt::Write;
    struct Stderr;
    impl Write for Stderr {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            crate::write_fd(2, s.as_bytes());
            Ok(())
        }
    }
    // A panic while panicking (say, inside the message's formatting) halts at once.
    static PANICKING: crate::cell::GuestCell<bool> = crate::cell::GuestCell::new(false);
    if PANICKING.with(|p| core::mem::replace(p, true)) {
        crate::syscall::halt(nzero_abi::exit_code::PANIC, &[0; 8]);
    }
    let _ = writeln!(Stderr, "guest panicked: {info}");
    exit(nzero_abi::exit_code::PANIC)
}
