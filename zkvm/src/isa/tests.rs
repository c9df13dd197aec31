use super::*;

/// Words assembled by GNU as, with the instruction they encode.
const KNOWN: &[(u32, Instruction)] = &[
    (0x0010_0093, Instruction::AluImm { op: AluOp::Add, rd: 1, rs1: 0, imm: 1 }), // addi x1, x0, 1
    (0xfff0_0093, Instruction::AluImm { op: AluOp::Add, rd: 1, rs1: 0, imm: u32::MAX }), // addi x1, x0, -1
    (0x0020_81b3, Instruction::Alu { op: AluOp::Add, rd: 3, rs1: 1, rs2: 2 }),    // add x3, x1, x2
    (0x4020_81b3, Instruction::Alu { op: AluOp::Sub, rd: 3, rs1: 1, rs2: 2 }),    // sub x3, x1, x2
    (0x0220_81b3, Instruction::Alu { op: AluOp::Mul, rd: 3, rs1: 1, rs2: 2 }),    // mul x3, x1, x2
    (0x0220_c1b3, Instruction::Alu { op: AluOp::Div, rd: 3, rs1: 1, rs2: 2 }),    // div x3, x1, x2
    (0x0220_f1b3, Instruction::Alu { op: AluOp::Remu, rd: 3, rs1: 1, rs2: 2 }),   // remu x3, x1, x2
    (0x4030_d093, Instruction::AluImm { op: AluOp::Sra, rd: 1, rs1: 1, imm: 3 }), // srai x1, x1, 3
    (0x01f0_9093, Instruction::AluImm { op: AluOp::Sll, rd: 1, rs1: 1, imm: 31 }), // slli x1, x1, 31
    (0x1234_52b7, Instruction::Lui { rd: 5, imm: 0x1234_5000 }),                  // lui x5, 0x12345
    (0x0000_0517, Instruction::Auipc { rd: 10, imm: 0 }),                         // auipc a0, 0
    (0x0080_00ef, Instruction::Jal { rd: 1, imm: 8 }),                            // jal ra, +8
    (0xffdf_f06f, Instruction::Jal { rd: 0, imm: (-4i32) as u32 }),               // j -4
    (0x0000_8067, Instruction::Jalr { rd: 0, rs1: 1, imm: 0 }),                   // ret
    (0xfe20_8ee3, Instruction::Branch { op: BranchOp::Beq, rs1: 1, rs2: 2, imm: (-4i32) as u32 }), // beq x1, x2, -4
    (0x0020_c463, Instruction::Branch { op: BranchOp::Blt, rs1: 1, rs2: 2, imm: 8 }), // blt x1, x2, +8
    (0x0081_2283, Instruction::Load { op: LoadOp::Lw, rd: 5, rs1: 2, imm: 8 }),       // lw x5, 8(x2)
    (0xffc1_4283, Instruction::Load { op: LoadOp::Lbu, rd: 5, rs1: 2, imm: (-4i32) as u32 }), // lbu x5, -4(x2)
    (0x0051_2423, Instruction::Store { op: StoreOp::Sw, rs1: 2, rs2: 5, imm: 8 }),            // sw x5, 8(x2)
    (0xfe51_1e23, Instruction::Store { op: StoreOp::Sh, rs1: 2, rs2: 5, imm: (-4i32) as u32 }), // sh x5, -4(x2)
    (0x0000_0073, Instruction::Ecall),
    (0x0010_0073, Instruction::Ebreak),
    (0x0ff0_000f, Instruction::Fence), // fence iorw, iorw
];

#[test]
fn decodes_known_encodings() {
    for &(word, insn) in KNOWN {
        assert_eq!(Instruction::decode(word), Ok(insn), "decoding {word:#010x}");
    }
}

#[test]
fn encodes_known_encodings() {
    for &(word, insn) in KNOWN.iter().filter(|(_, i)| *i != Instruction::Fence) {
        assert_eq!(insn.encode(), word, "encoding {insn:?}");
    }
}

#[test]
fn rejects_words_outside_rv32im() {
    let illegal = [
        0x0000_0000, // all zeros (the defined illegal instruction)
        0xffff_ffff, // all ones
        0x0000_4501, // c.li a0, 0 (compressed) in the low half
        0x1000_0073, // sret
        0x3000_2573, // csrrs a0, mstatus, x0
        0x0000_100f, // fence.i
        0x1005_252f, // lr.w a0, (a0) (A extension)
        0x0005_2507, // flw fa0, 0(a0) (F extension)
        0x0200_9093, // slli with shamt bit 5 set (RV64 only)
        0x0000_3003, // ld (RV64)
        0x0000_3023, // sd (RV64)
        0x0000_2063, // branch funct3 = 010 (reserved)
        0x0000_1067, // jalr funct3 = 001
        0x8020_81b3, // add with funct7 = 0x40 | 0x80
        0x0000_601b, // OP-IMM-32 (RV64)
    ];
    for word in illegal {
        assert_eq!(Instruction::decode(word), Err(IllegalInstruction { word }), "{word:#010x}");
    }
}

#[test]
fn decode_encode_round_trips_on_every_opcode_pattern() {
    // Sweep the fixed fields exhaustively, with varied register and immediate bits.
    let mut decoded = 0;
    for opcode in 0..128u32 {
        for funct3 in 0..8u32 {
            for funct7 in 0..128u32 {
                for fill in [0u32, 0x0001_f000 | 0x0f80, 0x000f_8000 | 0x0010_0000] {
                    let word = opcode | (funct3 << 12) | (funct7 << 25) | fill;
                    if let Ok(insn) = Instruction::decode(word) {
                        decoded += 1;
                        assert_eq!(Instruction::decode(insn.encode()), Ok(insn), "{word:#010x}");
                    }
                }
            }
        }
    }
    assert!(decoded > 10_000, "only {decoded} words decoded");
}

#[test]
fn immediates_sign_extend() {
    let lw = Instruction::Load { op: LoadOp::Lw, rd: 1, rs1: 2, imm: 0xffff_f800 }; // -2048
    assert_eq!(Instruction::decode(lw.encode()), Ok(lw));
    let beq = Instruction::Branch { op: BranchOp::Beq, rs1: 1, rs2: 2, imm: 0xffff_f000 }; // -4096
    assert_eq!(Instruction::decode(beq.encode()), Ok(beq));
    let jal = Instruction::Jal { rd: 1, imm: 0xfff0_0000 }; // -1 MiB
    assert_eq!(Instruction::decode(jal.encode()), Ok(jal));
    let jal_max = Instruction::Jal { rd: 1, imm: 0x000f_fffe };
    assert_eq!(Instruction::decode(jal_max.encode()), Ok(jal_max));
}

const MIN: u32 = i32::MIN as u32;
const NEG1: u32 = u32::MAX;

#[test]
fn alu_edge_cases() {
    use AluOp::*;
    let cases: &[(AluOp, u32, u32, u32)] = &[
        (Add, NEG1, 1, 0),
        (Add, 0x7fff_ffff, 1, MIN),
        (Sub, 0, 1, NEG1),
        (Sub, MIN, 1, 0x7fff_ffff),
        (Sll, 1, 31, MIN),
        (Sll, 1, 32, 1), // only the low five bits count
        (Sll, 3, 0xffff_ffe1, 6),
        (Srl, MIN, 31, 1),
        (Srl, NEG1, 0, NEG1),
        (Sra, MIN, 31, NEG1),
        (Sra, MIN, 33, 0xc000_0000),
        (Sra, 0x7fff_ffff, 30, 1),
        (Slt, NEG1, 0, 1),
        (Slt, 0, NEG1, 0),
        (Slt, MIN, 0x7fff_ffff, 1),
        (Sltu, NEG1, 0, 0),
        (Sltu, 0, NEG1, 1),
        (Sltu, 5, 5, 0),
        (Xor, 0xf0f0_f0f0, 0xffff_0000, 0x0f0f_f0f0),
        (Or, 0xf0f0_0000, 0x0000_0f0f, 0xf0f0_0f0f),
        (And, 0xf0f0_f0f0, 0xffff_0000, 0xf0f0_0000),
        (Mul, 0x1234_5678, 0x9abc_def0, 0x242d_2080), // low word of the product
        (Mul, NEG1, NEG1, 1),
        (Mul, MIN, NEG1, MIN),
        (Mulh, NEG1, NEG1, 0), // (-1)(-1) = 1
        (Mulh, MIN, MIN, 0x4000_0000),
        (Mulh, MIN, 1, NEG1),
        (Mulh, 0x7fff_ffff, 0x7fff_ffff, 0x3fff_ffff),
        (Mulhu, NEG1, NEG1, 0xffff_fffe),
        (Mulhu, MIN, 2, 1),
        (Mulhsu, NEG1, NEG1, NEG1), // -1 * (2^32 - 1) = -2^32 + 1
        (Mulhsu, MIN, NEG1, 0x8000_0000),
        (Mulhsu, 1, NEG1, 0),
        (Div, 7, 2, 3),
        (Div, (-7i32) as u32, 2, (-3i32) as u32), // rounds towards zero
        (Div, 7, (-2i32) as u32, (-3i32) as u32),
        (Div, 5, 0, NEG1),     // division by zero
        (Div, MIN, NEG1, MIN), // overflow
        (Divu, 7, 2, 3),
        (Divu, NEG1, 2, 0x7fff_ffff),
        (Divu, 5, 0, NEG1),
        (Rem, 7, 2, 1),
        (Rem, (-7i32) as u32, 2, NEG1), // the sign of the dividend
        (Rem, 7, (-2i32) as u32, 1),
        (Rem, 5, 0, 5),
        (Rem, MIN, NEG1, 0),
        (Remu, 7, 2, 1),
        (Remu, NEG1, 10, 5),
        (Remu, 5, 0, 5),
    ];
    for &(op, a, b, want) in cases {
        assert_eq!(op.apply(a, b), want, "{op:?}({a:#x}, {b:#x})");
    }
}

#[test]
fn branch_comparisons() {
    use BranchOp::*;
    let cases: &[(BranchOp, u32, u32, bool)] = &[
        (Beq, 5, 5, true),
        (Beq, 5, 6, false),
        (Bne, 5, 6, true),
        (Bne, NEG1, NEG1, false),
        (Blt, NEG1, 0, true),
        (Blt, 0, NEG1, false),
        (Blt, MIN, 0x7fff_ffff, true),
        (Blt, 3, 3, false),
        (Bge, 3, 3, true),
        (Bge, 0, NEG1, true),
        (Bge, MIN, 0, false),
        (Bltu, 0, NEG1, true),
        (Bltu, NEG1, 0, false),
        (Bgeu, NEG1, 0, true),
        (Bgeu, 0, 1, false),
        (Bgeu, 7, 7, true),
    ];
    for &(op, a, b, want) in cases {
        assert_eq!(op.taken(a, b), want, "{op:?}({a:#x}, {b:#x})");
    }
}

#[test]
fn loads_extract_and_extend() {
    let word = 0x80ff_7f01;
    use LoadOp::*;
    let cases: &[(LoadOp, u32, u32)] = &[
        (Lb, 0x100, 0x01),
        (Lb, 0x101, 0x7f),
        (Lb, 0x102, 0xffff_ffff),
        (Lb, 0x103, 0xffff_ff80),
        (Lbu, 0x102, 0xff),
        (Lbu, 0x103, 0x80),
        (Lh, 0x100, 0x7f01),
        (Lh, 0x102, 0xffff_80ff),
        (Lhu, 0x102, 0x80ff),
        (Lw, 0x100, word),
    ];
    for &(op, addr, want) in cases {
        assert_eq!(op.extract(word, addr), want, "{op:?} at {addr:#x}");
    }
}

#[test]
fn stores_merge_into_the_word() {
    let old = 0x1122_3344;
    use StoreOp::*;
    let cases: &[(StoreOp, u32, u32)] = &[
        (Sb, 0x100, 0x1122_33aa),
        (Sb, 0x101, 0x1122_aa44),
        (Sb, 0x103, 0xaa22_3344),
        (Sh, 0x100, 0x1122_bbaa),
        (Sh, 0x102, 0xbbaa_3344),
        (Sw, 0x100, 0xddcc_bbaa),
    ];
    for &(op, addr, want) in cases {
        assert_eq!(op.merge(old, 0xddcc_bbaa, addr), want, "{op:?} at {addr:#x}");
    }
}
