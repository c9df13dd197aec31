//! Raw `ecall`s; see `nzero_abi::syscall` for their meaning.

#[cfg(target_arch = "riscv32")]
#[inline(always)]
fn ecall(number: u32, a0: u32, a1: u32, a2: u32) -> u32 {
    let ret;
    // SAFETY: the VM's syscalls read only the registers and memory ranges given to them.
    unsafe {
        core::arch::asm!("ecall", in("a7") number, inlateout("a0") a0 => ret, in("a1") a1, in("a2") a2);
    }
    ret
}

#[cfg(not(target_arch = "riscv32"))]
fn ecall(_: u32, _: u32, _: u32, _: u32) -> u32 {
    unimplemented!("the Nexus Zero runtime only runs inside the zkVM (riscv32im)")
}

pub(crate) fn halt(exit_code: u32, digest: &[u32; 8]) -> ! {
    ecall(nzero_abi::syscall::HALT, exit_code, digest.as_ptr() as u32, 0);
    unreachable!("the VM does not return from HALT")
}

pub(crate) fn input_len() -> usize {
    ecall(nzero_abi::syscall::INPUT_LEN, 0, 0, 0) as usize
}

pub(crate) fn read_input_word() -> u32 {
    ecall(nzero_abi::syscall::READ_INPUT_WORD, 0, 0, 0)
}

pub(crate) fn commit(bytes: &[u8]) {
    ecall(nzero_abi::syscall::COMMIT, bytes.as_ptr() as u32, bytes.len() as u32, 0);
}

pub(crate) fn write(fd: u32, bytes: &[u8]) {
    ecall(nzero_abi::syscall::WRITE, fd, bytes.as_ptr() as u32, bytes.len() as u32);
}
