//! Executing programs: the RV32IM interpreter, its syscalls, and how a run ends.

mod error;
mod syscall;

use sha2::{Digest, Sha256};

pub use error::ExecError;

use crate::isa::{IllegalInstruction, Instruction};
use crate::memory::Memory;
use crate::program::Program;
use crate::record::{ExecutionRecord, Step, Tracer};

/// The most bytes a guest may commit as public values, and separately write to stdout or stderr.
pub const MAX_OUTPUT: usize = 64 << 20;

/// Register index of `a0`, the first argument and the return value of a syscall.
const A0: usize = 10;

/// Limits for one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecConfig {
    /// The run fails with [`ExecError::CycleLimitExceeded`] after this many instructions.
    pub max_cycles: u64,
}

impl Default for ExecConfig {
    fn default() -> Self {
        Self { max_cycles: 1 << 32 }
    }
}

/// How a run ended: the guest halted with an exit code. A non-zero exit code (a panic, say) is a
/// normal outcome, not an [`ExecError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    /// The exit code the guest passed to the halt syscall; `0` is success.
    pub exit_code: u32,
    /// Every byte the guest committed, in order.
    pub public_values: Vec<u8>,
    /// SHA-256 of `public_values`, as computed by the guest inside the VM.
    pub public_values_digest: [u8; 32],
    /// Instructions executed, the halting `ecall` included.
    pub cycles: u64,
    /// What the guest wrote to its standard output (debug only, not proven).
    pub stdout: Vec<u8>,
    /// What the guest wrote to its standard error (debug only, not proven).
    pub stderr: Vec<u8>,
}

/// The machine state of a run in progress.
pub struct Vm<'p> {
    program: &'p Program,
    code: Vec<Result<Instruction, IllegalInstruction>>,
    regs: [u32; 32],
    pc: u32,
    memory: Memory,
    cycles: u64,
    input: Vec<u8>,
    input_pos: usize,
    public_values: Vec<u8>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs `program` on `input` until it halts.
///
/// # Errors
/// An [`ExecError`] when the guest does something the machine does not allow (illegal instruction,
/// bad memory access or jump, unknown syscall, a digest that does not match its public values) or
/// runs past `config.max_cycles`.
pub fn execute(program: &Program, input: &[u8], config: &ExecConfig) -> Result<Execution, ExecError> {
    Vm::new(program, input).run(config.max_cycles, &mut ())
}

/// Runs `program` on `input` like [`execute`], recording every step for the prover.
///
/// # Errors
/// As [`execute`].
pub fn trace(
    program: &Program,
    input: &[u8],
    config: &ExecConfig,
) -> Result<(Execution, ExecutionRecord), ExecError> {
    let mut record = ExecutionRecord::default();
    let execution = Vm::new(program, input).run(config.max_cycles, &mut record)?;
    Ok((execution, record))
}

impl<'p> Vm<'p> {
    /// A machine about to execute `program`'s entry point, with `input` as private input.
    pub fn new(program: &'p Program, input: &[u8]) -> Self {
        Self {
            program,
            code: program.decode(),
            regs: [0; 32],
            pc: program.entry,
            memory: Memory::new(&program.image),
            cycles: 0,
            input: input.to_vec(),
            input_pos: 0,
            public_values: Vec::new(),
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    /// The registers; `x0` is always zero.
    pub fn registers(&self) -> &[u32; 32] {
        &self.regs
    }

    /// The address of the next instruction.
    pub fn pc(&self) -> u32 {
        self.pc
    }

    /// The data memory.
    pub fn memory(&self) -> &Memory {
        &self.memory
    }

    /// Instructions executed so far.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Runs until the guest halts or `max_cycles` instructions have executed in total.
    ///
    /// # Errors
    /// As [`execute`].
    pub fn run<T: Tracer>(mut self, max_cycles: u64, tracer: &mut T) -> Result<Execution, ExecError> {
        loop {
            if self.cycles >= max_cycles {
                return Err(ExecError::CycleLimitExceeded { limit: max_cycles, pc: self.pc });
            }
            if let Some(exit) = self.step(tracer)? {
                return Ok(exit);
            }
        }
    }

    /// Executes one instruction. Returns the outcome when it halted the machine.
    ///
    /// # Errors
    /// As [`execute`], except for the cycle limit, which only [`Vm::run`] enforces.
    #[inline(always)]
    pub fn step<T: Tracer>(&mut self, tracer: &mut T) -> Result<Option<Execution>, ExecError> {
        let pc = self.pc;
        let index = (pc.wrapping_sub(self.program.code_start) / 4) as usize;
        let insn = match self.code.get(index) {
            Some(Ok(insn)) => *insn,
            Some(Err(IllegalInstruction { word })) => {
                return Err(ExecError::IllegalInstruction { pc, word: *word });
            }
            None => return Err(ExecError::PcOutOfCode { pc }),
        };
        self.cycles += 1;
        let mut step = Step { pc, next_pc: pc.wrapping_add(4), ..Step::default() };
        let mut rd = 0u8;
        match insn {
            Instruction::Alu { op, rd: d, rs1, rs2 } => {
                step.rs1_value = self.reg(rs1);
                step.rs2_value = self.reg(rs2);
                step.rd_value = op.apply(step.rs1_value, step.rs2_value);
                rd = d;
            }
            Instruction::AluImm { op, rd: d, rs1, imm } => {
                step.rs1_value = self.reg(rs1);
                step.rd_value = op.apply(step.rs1_value, imm);
                rd = d;
            }
            Instruction::Load { op, rd: d, rs1, imm } => {
                step.rs1_value = self.reg(rs1);
                let addr = step.rs1_value.wrapping_add(imm);
                self.check_access(pc, addr, op.width())?;
                let word = self.memory.word(addr);
                (step.mem_addr, step.mem_before, step.mem_after) = (addr, word, word);
                step.rd_value = op.extract(word, addr);
                rd = d;
            }
            Instruction::Store { op, rs1, rs2, imm } => {
                step.rs1_value = self.reg(rs1);
                step.rs2_value = self.reg(rs2);
                let addr = step.rs1_value.wrapping_add(imm);
                self.check_access(pc, addr, op.width())?;
                let before = self.memory.word(addr);
                let after = op.merge(before, step.rs2_value, addr);
                self.memory.set_word(addr, after);
                (step.mem_addr, step.mem_before, step.mem_after) = (addr, before, after);
            }
            Instruction::Branch { op, rs1, rs2, imm } => {
                step.rs1_value = self.reg(rs1);
                step.rs2_value = self.reg(rs2);
                if op.taken(step.rs1_value, step.rs2_value) {
                    step.next_pc = Self::jump_target(pc, pc.wrapping_add(imm))?;
                }
            }
            Instruction::Jal { rd: d, imm } => {
                step.next_pc = Self::jump_target(pc, pc.wrapping_add(imm))?;
                step.rd_value = pc.wrapping_add(4);
                rd = d;
            }
            Instruction::Jalr { rd: d, rs1, imm } => {
                step.rs1_value = self.reg(rs1);
                step.next_pc = Self::jump_target(pc, step.rs1_value.wrapping_add(imm) & !1)?;
                step.rd_value = pc.wrapping_add(4);
                rd = d;
            }
            Instruction::Lui { rd: d, imm } => {
                step.rd_value = imm;
                rd = d;
            }
            Instruction::Auipc { rd: d, imm } => {
                step.rd_value = pc.wrapping_add(imm);
                rd = d;
            }
            Instruction::Fence => {}
            Instruction::Ebreak => return Err(ExecError::Breakpoint { pc }),
            Instruction::Ecall => {
                step.rs1_value = self.regs[A0];
                match self.syscall(pc)? {
                    syscall::Outcome::Continue => {}
                    syscall::Outcome::Return(value) => {
                        step.rd_value = value;
                        rd = A0 as u8;
                    }
                    syscall::Outcome::Halt(exit) => {
                        tracer.step(&step);
                        return Ok(Some(exit));
                    }
                }
            }
        }
        // Writes to x0 are discarded; the record keeps the computed value.
        self.regs[usize::from(rd & 31)] = step.rd_value;
        self.regs[0] = 0;
        self.pc = step.next_pc;
        tracer.step(&step);
        Ok(None)
    }

    #[inline(always)]
    fn reg(&self, index: u8) -> u32 {
        self.regs[usize::from(index & 31)]
    }

    /// Jump and branch targets must be word-aligned: there is no compressed extension.
    #[inline(always)]
    fn jump_target(pc: u32, target: u32) -> Result<u32, ExecError> {
        if !target.is_multiple_of(4) {
            return Err(ExecError::MisalignedJump { pc, target });
        }
        Ok(target)
    }

    /// Data accesses must be naturally aligned and inside guest memory.
    #[inline(always)]
    fn check_access(&self, pc: u32, addr: u32, width: u32) -> Result<(), ExecError> {
        if !addr.is_multiple_of(width) {
            return Err(ExecError::MisalignedAccess { pc, addr, width });
        }
        if !Memory::contains(addr) {
            return Err(ExecError::MemoryOutOfBounds { pc, addr });
        }
        Ok(())
    }

    fn finish(&mut self, exit_code: u32, public_values_digest: [u8; 32]) -> Execution {
        Execution {
            exit_code,
            public_values: std::mem::take(&mut self.public_values),
            public_values_digest,
            cycles: self.cycles,
            stdout: std::mem::take(&mut self.stdout),
            stderr: std::mem::take(&mut self.stderr),
        }
    }

    fn committed_digest(&self) -> [u8; 32] {
        Sha256::digest(&self.public_values).into()
    }
}

#[cfg(test)]
mod tests;
