//! The syscalls a guest makes with `ecall` (see `nzero_abi::syscall` and `docs/ABI.md`).

use nzero_abi::layout::MEMORY_END;
use nzero_abi::syscall;

use super::{A0, ExecError, Execution, MAX_OUTPUT, Vm};
use crate::memory::Memory;

/// `a7`: the syscall number.
const A7: usize = 17;

/// What a syscall did.
pub(super) enum Outcome {
    /// Nothing the registers see.
    Continue,
    /// Wrote a value to `a0`.
    Return(u32),
    /// Halted the machine.
    Halt(Execution),
}

impl Vm<'_> {
    pub(super) fn syscall(&mut self, pc: u32) -> Result<Outcome, ExecError> {
        let [a0, a1, a2] = [self.regs[A0], self.regs[A0 + 1], self.regs[A0 + 2]];
        Ok(match self.regs[A7] {
            syscall::HALT => {
                let claimed = self.read_digest(pc, a1)?;
                let committed = self.committed_digest();
                if claimed != committed {
                    return Err(ExecError::DigestMismatch { pc, committed, claimed });
                }
                Outcome::Halt(self.finish(a0, claimed))
            }
            syscall::INPUT_LEN => Outcome::Return(u32::try_from(self.input.len()).unwrap_or(u32::MAX)),
            syscall::READ_INPUT_WORD => {
                let mut word = [0u8; 4];
                let rest = self.input.get(self.input_pos..).unwrap_or_default();
                let n = rest.len().min(4);
                word[..n].copy_from_slice(&rest[..n]);
                self.input_pos += 4;
                Outcome::Return(u32::from_le_bytes(word))
            }
            syscall::COMMIT => {
                let bytes = self.read_bytes(pc, a0, a1)?;
                append_capped(&mut self.public_values, &bytes, pc)?;
                Outcome::Continue
            }
            syscall::WRITE => {
                let bytes = self.read_bytes(pc, a1, a2)?;
                let sink = match a0 {
                    1 => &mut self.stdout,
                    2 => &mut self.stderr,
                    fd => return Err(ExecError::BadFileDescriptor { pc, fd }),
                };
                append_capped(sink, &bytes, pc)?;
                Outcome::Continue
            }
            number => return Err(ExecError::UnknownSyscall { pc, number }),
        })
    }

    /// The 32-byte digest the guest passes to `HALT`: eight words from an aligned address.
    fn read_digest(&self, pc: u32, addr: u32) -> Result<[u8; 32], ExecError> {
        let mut digest = [0u8; 32];
        for (i, chunk) in digest.chunks_exact_mut(4).enumerate() {
            let word_addr = addr.wrapping_add(4 * i as u32);
            self.check_access(pc, word_addr, 4)?;
            chunk.copy_from_slice(&self.memory.word(word_addr).to_le_bytes());
        }
        Ok(digest)
    }

    /// `len` bytes of guest memory from `addr`, any alignment (at most [`MAX_OUTPUT`]: longer
    /// outputs fail anyway, and the copy must not exhaust the host).
    fn read_bytes(&self, pc: u32, addr: u32, len: u32) -> Result<Vec<u8>, ExecError> {
        if len == 0 {
            return Ok(Vec::new());
        }
        if len as usize > MAX_OUTPUT {
            return Err(ExecError::OutputLimitExceeded { pc, limit: MAX_OUTPUT });
        }
        let last = addr.checked_add(len - 1).ok_or(ExecError::MemoryOutOfBounds { pc, addr: u32::MAX })?;
        if !Memory::contains(addr) {
            return Err(ExecError::MemoryOutOfBounds { pc, addr });
        }
        if !Memory::contains(last) {
            return Err(ExecError::MemoryOutOfBounds { pc, addr: MEMORY_END });
        }
        Ok((addr..=last).map(|a| self.memory.byte(a)).collect())
    }
}

/// Appends guest output to a host buffer, refusing to grow it past [`MAX_OUTPUT`].
fn append_capped(buffer: &mut Vec<u8>, bytes: &[u8], pc: u32) -> Result<(), ExecError> {
    if buffer.len() + bytes.len() > MAX_OUTPUT {
        return Err(ExecError::OutputLimitExceeded { pc, limit: MAX_OUTPUT });
    }
    buffer.extend_from_slice(bytes);
    Ok(())
}
