//! Encoding [`Instruction`]s back into words: a minimal assembler for tests, fuzzers and tools.

use super::{AluOp, BranchOp, Instruction, LoadOp, StoreOp};

fn r_type(opcode: u32, funct3: u32, funct7: u32, rd: u8, rs1: u8, rs2: u8) -> u32 {
    opcode
        | (u32::from(rd) << 7)
        | (funct3 << 12)
        | (u32::from(rs1) << 15)
        | (u32::from(rs2) << 20)
        | (funct7 << 25)
}

fn i_type(opcode: u32, funct3: u32, rd: u8, rs1: u8, imm: u32) -> u32 {
    opcode | (u32::from(rd) << 7) | (funct3 << 12) | (u32::from(rs1) << 15) | (imm << 20)
}

fn s_type(opcode: u32, funct3: u32, rs1: u8, rs2: u8, imm: u32) -> u32 {
    opcode
        | ((imm & 0x1f) << 7)
        | (funct3 << 12)
        | (u32::from(rs1) << 15)
        | (u32::from(rs2) << 20)
        | ((imm >> 5) << 25)
}

fn b_type(funct3: u32, rs1: u8, rs2: u8, imm: u32) -> u32 {
    0b110_0011
        | (((imm >> 11) & 1) << 7)
        | (((imm >> 1) & 0xf) << 8)
        | (funct3 << 12)
        | (u32::from(rs1) << 15)
        | (u32::from(rs2) << 20)
        | (((imm >> 5) & 0x3f) << 25)
        | (((imm >> 12) & 1) << 31)
}

fn j_type(rd: u8, imm: u32) -> u32 {
    0b110_1111
        | (u32::from(rd) << 7)
        | (imm & 0x000f_f000)
        | (((imm >> 11) & 1) << 20)
        | (((imm >> 1) & 0x3ff) << 21)
        | (((imm >> 20) & 1) << 31)
}

impl AluOp {
    /// `(funct7, funct3)` of the register-register form.
    fn funct(self) -> (u32, u32) {
        match self {
            Self::Add => (0, 0b000),
            Self::Sub => (0b010_0000, 0b000),
            Self::Sll => (0, 0b001),
            Self::Slt => (0, 0b010),
            Self::Sltu => (0, 0b011),
            Self::Xor => (0, 0b100),
            Self::Srl => (0, 0b101),
            Self::Sra => (0b010_0000, 0b101),
            Self::Or => (0, 0b110),
            Self::And => (0, 0b111),
            Self::Mul => (1, 0b000),
            Self::Mulh => (1, 0b001),
            Self::Mulhsu => (1, 0b010),
            Self::Mulhu => (1, 0b011),
            Self::Div => (1, 0b100),
            Self::Divu => (1, 0b101),
            Self::Rem => (1, 0b110),
            Self::Remu => (1, 0b111),
        }
    }
}

impl Instruction {
    /// Encodes the instruction as a 32-bit word. Immediates are truncated to the bits their format
    /// holds, so `Instruction::decode(i.encode())` returns `i` exactly when `i`'s immediate is
    /// representable.
    pub fn encode(self) -> u32 {
        match self {
            Self::Alu { op, rd, rs1, rs2 } => {
                let (funct7, funct3) = op.funct();
                r_type(0b011_0011, funct3, funct7, rd, rs1, rs2)
            }
            Self::AluImm { op, rd, rs1, imm } => {
                let (funct7, funct3) = op.funct();
                let imm = match op {
                    AluOp::Sll | AluOp::Srl | AluOp::Sra => (funct7 << 5) | (imm & 0x1f),
                    _ => imm & 0xfff,
                };
                i_type(0b001_0011, funct3, rd, rs1, imm)
            }
            Self::Load { op, rd, rs1, imm } => {
                let funct3 = match op {
                    LoadOp::Lb => 0b000,
                    LoadOp::Lh => 0b001,
                    LoadOp::Lw => 0b010,
                    LoadOp::Lbu => 0b100,
                    LoadOp::Lhu => 0b101,
                };
                i_type(0b000_0011, funct3, rd, rs1, imm & 0xfff)
            }
            Self::Store { op, rs1, rs2, imm } => {
                let funct3 = match op {
                    StoreOp::Sb => 0b000,
                    StoreOp::Sh => 0b001,
                    StoreOp::Sw => 0b010,
                };
                s_type(0b010_0011, funct3, rs1, rs2, imm & 0xfff)
            }
            Self::Branch { op, rs1, rs2, imm } => {
                let funct3 = match op {
                    BranchOp::Beq => 0b000,
                    BranchOp::Bne => 0b001,
                    BranchOp::Blt => 0b100,
                    BranchOp::Bge => 0b101,
                    BranchOp::Bltu => 0b110,
                    BranchOp::Bgeu => 0b111,
                };
                b_type(funct3, rs1, rs2, imm)
            }
            Self::Jal { rd, imm } => j_type(rd, imm),
            Self::Jalr { rd, rs1, imm } => i_type(0b110_0111, 0, rd, rs1, imm & 0xfff),
            Self::Lui { rd, imm } => 0b011_0111 | (u32::from(rd) << 7) | (imm & 0xffff_f000),
            Self::Auipc { rd, imm } => 0b001_0111 | (u32::from(rd) << 7) | (imm & 0xffff_f000),
            Self::Ecall => 0x0000_0073,
            Self::Ebreak => 0x0010_0073,
            Self::Fence => 0x0ff0_000f,
        }
    }
}

/// `rd = value` as `lui` + `addi` (two instructions, whatever the value).
pub fn li(rd: u8, value: u32) -> [u32; 2] {
    let low = ((value as i32) << 20 >> 20) as u32;
    let high = value.wrapping_sub(low);
    [
        Instruction::Lui { rd, imm: high }.encode(),
        Instruction::AluImm { op: AluOp::Add, rd, rs1: rd, imm: low }.encode(),
    ]
}
