//! Private input, public values, debug output and exit.

use alloc::vec::Vec;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::cell::GuestCell;
use crate::syscall;

/// The private input, fetched from the VM on first use, and how much of it was read.
static INPUT: GuestCell<Option<(Vec<u8>, usize)>> = GuestCell::new(None);

/// SHA-256 over every committed byte so far.
static PUBLIC_VALUES: GuestCell<Option<Sha256>> = GuestCell::new(None);

fn with_input<R>(f: impl FnOnce(&[u8], &mut usize) -> R) -> R {
    INPUT.with(|input| {
        let (bytes, pos) = input.get_or_insert_with(|| {
            let len = syscall::input_len();
            let mut bytes = Vec::with_capacity(len.next_multiple_of(4));
            while bytes.len() < len {
                bytes.extend_from_slice(&syscall::read_input_word().to_le_bytes());
            }
            bytes.truncate(len);
            (bytes, 0)
        });
        f(bytes, pos)
    })
}

/// Reads the next value of the private input, as written by the host's `Input::write`.
///
/// # Panics
/// When the input is exhausted or does not decode as a `T` (the guest then exits with code 101).
pub fn read<T: DeserializeOwned>() -> T {
    with_input(|bytes, pos| match postcard::take_from_bytes(&bytes[*pos..]) {
        Ok((value, rest)) => {
            *pos = bytes.len() - rest.len();
            value
        }
        Err(e) => panic!("cannot decode the private input at byte {pos}: {e}"),
    })
}

/// Fills `buf` with the next `buf.len()` bytes of private input.
///
/// # Panics
/// When fewer bytes remain.
pub fn read_slice(buf: &mut [u8]) {
    with_input(|bytes, pos| {
        let remaining = bytes.len() - *pos;
        assert!(buf.len() <= remaining, "private input has {remaining} bytes left, {} requested", buf.len());
        buf.copy_from_slice(&bytes[*pos..*pos + buf.len()]);
        *pos += buf.len();
    });
}

/// Every remaining byte of private input.
pub fn read_vec() -> Vec<u8> {
    with_input(|bytes, pos| {
        let rest = bytes[*pos..].to_vec();
        *pos = bytes.len();
        rest
    })
}

/// Appends `bytes` to the public values.
pub fn commit_slice(bytes: &[u8]) {
    PUBLIC_VALUES.with(|hasher| hasher.get_or_insert_with(Sha256::new).update(bytes));
    syscall::commit(bytes);
}

/// Appends a value to the public values, postcard-encoded (the host decodes it with
/// `postcard::from_bytes`).
///
/// # Panics
/// When the value's `Serialize` implementation fails.
pub fn commit<T: Serialize>(value: &T) {
    match postcard::to_allocvec(value) {
        Ok(bytes) => commit_slice(&bytes),
        Err(e) => panic!("cannot encode a public value: {e}"),
    }
}

/// Writes debug output to a file descriptor of the VM (1 = stdout, 2 = stderr). Not part of the proof.
pub fn write_fd(fd: u32, bytes: &[u8]) {
    syscall::write(fd, bytes);
}

/// Writes debug output to the VM's standard output. Not part of the proof.
pub fn print_str(s: &str) {
    write_fd(1, s.as_bytes());
}

/// Ends the run with `exit_code`, handing the VM the digest of the public values.
pub fn exit(exit_code: u32) -> ! {
    let digest = PUBLIC_VALUES.with(|hasher| hasher.take().unwrap_or_default().finalize());
    let mut words = [0u32; 8];
    for (word, bytes) in words.iter_mut().zip(digest.chunks_exact(4)) {
        *word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    syscall::halt(exit_code, &words)
}
