//! What the AIR sees of each instruction: an [`Opcode`] and operands, fixed per program counter.
//!
//! Decoding happens once per program, when the preprocessed program table is built, so chips never
//! decode instruction words. Several RISC-V instructions collapse into one opcode because their
//! operands are static:
//! - every immediate form uses the register form's opcode with `rs2 = x0`, so the second operand is
//!   always `rs2 + imm` (one of the two is zero);
//! - `lui rd, imm` is `add rd, x0, imm`, `auipc rd, imm` is `add rd, x0, pc + imm`, `fence` is
//!   `add x32, x0, 0`;
//! - a write to `x0` goes to the scratch register 32, which no instruction reads.

use crate::isa::{AluOp, BranchOp, Instruction, LoadOp, StoreOp};

/// The register that writes to `x0` go to. Reads of `x0` always see zero because nothing writes it.
pub const SCRATCH_REGISTER: u32 = 32;

/// The operation a chip performs. The numeric values appear in the program table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
#[allow(missing_docs)] // The variants are the RISC-V operations of the same name.
pub enum Opcode {
    /// Not an instruction (an illegal word, `ebreak`, padding): no chip accepts it, so a proof of an
    /// execution reaching it cannot exist.
    Invalid = 0,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Jal,
    Jalr,
    Lb,
    Lh,
    Lw,
    Lbu,
    Lhu,
    Sb,
    Sh,
    Sw,
    Ecall,
}

/// One row of the program table: the decoded instruction at `pc`.
///
/// `imm` is the 32-bit second operand (ALU ops), the offset (loads, stores, `jalr`) or the link
/// value `pc + 4` (`jal`). `target` is the static jump target of a branch or `jal`, or
/// [`UNREACHABLE_TARGET`] when that target is not a code address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramRow {
    /// Address of the instruction.
    pub pc: u32,
    /// The operation.
    pub opcode: Opcode,
    /// Destination register, [`SCRATCH_REGISTER`] for `x0`.
    pub rd: u32,
    /// First source register.
    pub rs1: u32,
    /// Second source register (`x0` for immediate forms).
    pub rs2: u32,
    /// Immediate operand.
    pub imm: u32,
    /// Static jump target.
    pub target: u32,
}

/// The target recorded for a jump whose destination is outside the code: not a multiple of 4, so
/// it matches no program row and the jump cannot be proven (the executor rejects it too).
pub const UNREACHABLE_TARGET: u32 = 1;

impl ProgramRow {
    /// Decodes the word at `pc`. `code` is the range of code addresses, for jump targets.
    pub fn new(pc: u32, word: u32, code: std::ops::Range<u32>) -> Self {
        let row = |opcode, rd: u8, rs1: u8, rs2: u8, imm: u32| Self {
            pc,
            opcode,
            rd: if rd == 0 { SCRATCH_REGISTER } else { u32::from(rd) },
            rs1: u32::from(rs1),
            rs2: u32::from(rs2),
            imm,
            target: 0,
        };
        let target = |offset: u32| {
            let target = pc.wrapping_add(offset);
            if code.contains(&target) && target.is_multiple_of(4) { target } else { UNREACHABLE_TARGET }
        };
        let Ok(insn) = Instruction::decode(word) else {
            return row(Opcode::Invalid, 0, 0, 0, 0);
        };
        match insn {
            Instruction::Alu { op, rd, rs1, rs2 } => row(alu_opcode(op), rd, rs1, rs2, 0),
            Instruction::AluImm { op, rd, rs1, imm } => row(alu_opcode(op), rd, rs1, 0, imm),
            Instruction::Lui { rd, imm } => row(Opcode::Add, rd, 0, 0, imm),
            Instruction::Auipc { rd, imm } => row(Opcode::Add, rd, 0, 0, pc.wrapping_add(imm)),
            Instruction::Fence => row(Opcode::Add, 0, 0, 0, 0),
            Instruction::Jal { rd, imm } => {
                Self { target: target(imm), ..row(Opcode::Jal, rd, 0, 0, pc.wrapping_add(4)) }
            }
            Instruction::Jalr { rd, rs1, imm } => row(Opcode::Jalr, rd, rs1, 0, imm),
            Instruction::Branch { op, rs1, rs2, imm } => {
                let opcode = match op {
                    BranchOp::Beq => Opcode::Beq,
                    BranchOp::Bne => Opcode::Bne,
                    BranchOp::Blt => Opcode::Blt,
                    BranchOp::Bge => Opcode::Bge,
                    BranchOp::Bltu => Opcode::Bltu,
                    BranchOp::Bgeu => Opcode::Bgeu,
                };
                Self { target: target(imm), ..row(opcode, 0, rs1, rs2, 0) }
            }
            Instruction::Load { op, rd, rs1, imm } => {
                let opcode = match op {
                    LoadOp::Lb => Opcode::Lb,
                    LoadOp::Lh => Opcode::Lh,
                    LoadOp::Lw => Opcode::Lw,
                    LoadOp::Lbu => Opcode::Lbu,
                    LoadOp::Lhu => Opcode::Lhu,
                };
                row(opcode, rd, rs1, 0, imm)
            }
            Instruction::Store { op, rs1, rs2, imm } => {
                let opcode = match op {
                    StoreOp::Sb => Opcode::Sb,
                    StoreOp::Sh => Opcode::Sh,
                    StoreOp::Sw => Opcode::Sw,
                };
                row(opcode, 0, rs1, rs2, imm)
            }
            Instruction::Ecall => row(Opcode::Ecall, 0, 0, 0, 0),
            Instruction::Ebreak => row(Opcode::Invalid, 0, 0, 0, 0),
        }
    }
}

fn alu_opcode(op: AluOp) -> Opcode {
    match op {
        AluOp::Add => Opcode::Add,
        AluOp::Sub => Opcode::Sub,
        AluOp::Sll => Opcode::Sll,
        AluOp::Slt => Opcode::Slt,
        AluOp::Sltu => Opcode::Sltu,
        AluOp::Xor => Opcode::Xor,
        AluOp::Srl => Opcode::Srl,
        AluOp::Sra => Opcode::Sra,
        AluOp::Or => Opcode::Or,
        AluOp::And => Opcode::And,
        AluOp::Mul => Opcode::Mul,
        AluOp::Mulh => Opcode::Mulh,
        AluOp::Mulhsu => Opcode::Mulhsu,
        AluOp::Mulhu => Opcode::Mulhu,
        AluOp::Div => Opcode::Div,
        AluOp::Divu => Opcode::Divu,
        AluOp::Rem => Opcode::Rem,
        AluOp::Remu => Opcode::Remu,
    }
}
