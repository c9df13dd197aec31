//! Soundness: a real trace with one corrupted cell must not yield a proof that verifies.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use stwo::core::fields::m31::M31;
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleChannel;

use super::witness::{Witness, generate};
use super::{ProveError, prove_witness};
use crate::air::{ComponentKind, PreprocessedTables};
use crate::config::StarkConfig;
use crate::executor::{ExecConfig, trace};
use crate::program::Program;
use crate::proof::ProgramKey;
use crate::verifier::verify;

const CONFIG: StarkConfig = StarkConfig::insecure_for_tests();

/// The honest witness of `program` on `input`.
pub(crate) fn honest_witness(program: &Program, input: &[u8]) -> (PreprocessedTables, Witness) {
    let (_, record) = trace(program, input, &ExecConfig::default()).expect("the program runs");
    let tables = PreprocessedTables::new(program);
    let witness = generate(&tables, program.code_start, &record.steps).expect("witness");
    (tables, witness)
}

/// Whether a (possibly tampered) witness yields a proof that verifies with these public values.
pub(crate) fn accepted(
    program: &Program,
    key: &ProgramKey,
    tables: &PreprocessedTables,
    witness: Witness,
    public_values: &[u8],
) -> bool {
    match prove_witness::<Blake2sMerkleChannel>(
        program,
        tables,
        witness,
        &CONFIG,
        crate::class::SizeClass::C16,
    ) {
        Ok(proof) => verify(&proof, key, public_values, &CONFIG).is_ok(),
        Err(ProveError::Stark(_)) => false,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// Rows of `kind` that take part in the execution (padding rows may hold anything in columns no
/// constraint reads there).
fn live_rows(witness: &Witness, kind: ComponentKind, index: usize) -> usize {
    match kind {
        // Tables: every row is live (multiplicities, preprocessed contents).
        ComponentKind::Program
        | ComponentKind::Range(_)
        | ComponentKind::Image
        | ComponentKind::BitwiseTable
        | ComponentKind::ShiftTable => witness.columns[index].first().map_or(0, Vec::len),
        // Chips and the boundary: the enabled flag is their first column.
        _ => witness.columns[index][0].iter().take_while(|&&v| v == M31::from(1)).count(),
    }
}

/// Corrupts `per_component` seeded random cells of the live rows of every component of `program`'s
/// trace, one at a time, and asserts each corrupted trace is rejected.
pub(crate) fn assert_every_mutation_rejected(
    program: &Program,
    input: &[u8],
    per_component: usize,
    seed: u64,
) {
    assert_mutations_rejected(program, input, seed, |rng, _, n_columns, rows| {
        (0..per_component).map(|_| (rng.random_range(0..n_columns), rng.random_range(0..rows))).collect()
    });
}

/// Corrupts `per_column` seeded random live cells of every column of the components in `kinds` (a
/// chip and its tables), one at a time, and asserts each corrupted trace is rejected: every column
/// is tried while the test stays short.
pub(crate) fn assert_every_column_mutation_rejected(
    program: &Program,
    input: &[u8],
    kinds: &[ComponentKind],
    per_column: usize,
    seed: u64,
) {
    assert_mutations_rejected(program, input, seed, |rng, kind, n_columns, rows| {
        let mut cells = Vec::new();
        if kinds.contains(&kind) {
            for column in 0..n_columns {
                for _ in 0..per_column {
                    cells.push((column, rng.random_range(0..rows)));
                }
            }
        }
        cells
    });
}

/// Corrupts each cell `(column, row)` that `cells(rng, kind, n_columns, live rows)` picks in each
/// component, one at a time, by a seeded random nonzero amount, and asserts each corrupted trace is
/// rejected.
fn assert_mutations_rejected(
    program: &Program,
    input: &[u8],
    seed: u64,
    mut cells: impl FnMut(&mut StdRng, ComponentKind, usize, usize) -> Vec<(usize, usize)>,
) {
    let (execution, _) = trace(program, input, &ExecConfig::default()).expect("the program runs");
    let public = execution.public_values;
    let (tables, honest) = honest_witness(program, input);
    let (_, _, key) = super::program_key(program);
    assert!(accepted(program, &key, &tables, honest.clone(), &public), "the honest witness must be accepted");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tried = 0;
    for (index, kind) in ComponentKind::all().into_iter().enumerate() {
        let n_columns = honest.columns[index].len();
        let rows = live_rows(&honest, kind, index);
        if n_columns == 0 || rows == 0 {
            continue;
        }
        for (column, row) in cells(&mut rng, kind, n_columns, rows) {
            let delta = M31::from(rng.random_range(1..(1u32 << 31) - 1));
            let mut witness = honest.clone();
            witness.columns[index][column][row] += delta;
            assert!(
                !accepted(program, &key, &tables, witness, &public),
                "{kind:?} column {column} row {row} + {delta:?} was accepted (seed {seed})"
            );
            tried += 1;
        }
    }
    assert!(tried > 0);
}

#[test]
fn corrupting_any_cell_of_the_add_sub_ecall_halt_trace_is_rejected() {
    use nzero_abi::syscall;

    use crate::isa::asm::li;
    use crate::isa::{AluOp, Instruction};

    let mut code = vec![];
    code.extend(li(5, 0xffff_fff0));
    code.extend(li(6, 0x7fff_ffff));
    code.push(Instruction::Alu { op: AluOp::Add, rd: 7, rs1: 5, rs2: 6 }.encode());
    code.push(Instruction::Alu { op: AluOp::Sub, rd: 8, rs1: 5, rs2: 6 }.encode());
    code.extend(li(17, syscall::READ_INPUT_WORD));
    code.push(0x73);
    let program = halting_program(code);
    assert_every_mutation_rejected(&program, &[9, 9, 9, 9], 8, 7);
}

/// Loads of every width, stores of every width, `jal` and `jalr`, then a halt.
fn memory_and_jump_program() -> Program {
    use nzero_abi::layout::PROGRAM_START;

    use crate::isa::asm::li;
    use crate::isa::{Instruction, LoadOp, StoreOp};
    let mut code = li(5, 0x0010_0010).to_vec();
    code.extend(li(6, 0xa1b2_c3d4));
    for (op, imm) in
        [(LoadOp::Lw, -16), (LoadOp::Lb, -13), (LoadOp::Lbu, -13), (LoadOp::Lh, -14), (LoadOp::Lhu, -14)]
    {
        code.push(Instruction::Load { op, rd: 10, rs1: 5, imm: imm as u32 }.encode());
    }
    for (op, imm) in [(StoreOp::Sw, -12), (StoreOp::Sh, -10), (StoreOp::Sb, -9)] {
        code.push(Instruction::Store { op, rs1: 5, rs2: 6, imm: imm as u32 }.encode());
    }
    code.push(Instruction::Jal { rd: 1, imm: 4 }.encode());
    code.push(Instruction::Auipc { rd: 7, imm: 0 }.encode());
    code.push(Instruction::Jalr { rd: 1, rs1: 7, imm: 13 }.encode());
    code.push(Instruction::Ebreak.encode());
    for (reg, value) in [(10, 0), (11, 0x0020_0000), (17, 0)] {
        code.extend(li(reg, value));
    }
    code.push(Instruction::Ecall.encode());
    let mut program = Program::from_code(PROGRAM_START, code);
    use sha2::Digest;
    for (i, chunk) in sha2::Sha256::digest(b"").chunks(4).enumerate() {
        program.image.insert(0x0020_0000 + 4 * i as u32, u32::from_le_bytes(chunk.try_into().unwrap()));
    }
    program.image.insert(0x0010_0000, 0x80ff_7f01);
    program
}

#[test]
fn honest_witnesses_satisfy_every_constraint() {
    let (tables, witness) = honest_witness(&memory_and_jump_program(), &[]);
    let failures = super::debug::failing_constraints(&tables, &witness);
    assert!(failures.is_empty(), "(component, row, constraint): {failures:?}");
}

#[test]
fn corrupting_any_cell_of_the_load_store_jump_trace_is_rejected() {
    let kinds = [ComponentKind::Load, ComponentKind::Store, ComponentKind::Jump, ComponentKind::Boundary];
    assert_every_column_mutation_rejected(&memory_and_jump_program(), &[], &kinds, 1, 11);
}

#[test]
fn every_constraint_fits_the_degree_bound() {
    use stwo_constraint_framework::FrameworkEval;
    use stwo_constraint_framework::expr::ExprEvaluator;

    use crate::air::{Relations, with_eval};
    // `max_constraint_log_degree_bound = log_size + 1` admits degree 3: a pair of lookups whose
    // tuple entries are linear, or a plain constraint of degree at most 3.
    for kind in ComponentKind::all() {
        with_eval!(kind, 5, Relations::dummy(), |eval| {
            let degrees = eval.evaluate(ExprEvaluator::new()).constraint_degree_bounds();
            for (i, degree) in degrees.into_iter().enumerate() {
                assert!(degree <= 3, "{kind:?} constraint {i} has degree {degree}");
            }
        });
    }
}

#[test]
fn corrupting_any_column_of_the_compare_and_branch_traces_is_rejected() {
    use crate::isa::asm::li;
    use crate::isa::{AluOp, BranchOp, Instruction};

    let slt = |op, rd, rs1, rs2| Instruction::Alu { op, rd, rs1, rs2 }.encode();
    let slti = |op, rd, rs1, imm| Instruction::AluImm { op, rd, rs1, imm }.encode();
    let branch = |op, rs1, rs2| Instruction::Branch { op, rs1, rs2, imm: 8 }.encode();
    let addi = |rd, rs1, imm: i32| Instruction::AluImm { op: AluOp::Add, rd, rs1, imm: imm as u32 }.encode();
    let mut code = vec![];
    for (reg, value) in [(5, u32::MAX), (6, 1), (7, 0x8000_0000), (8, 0x7fff_ffff)] {
        code.extend(li(reg, value));
    }
    // Signed and unsigned disagree on each of these.
    code.push(slt(AluOp::Slt, 9, 5, 6));
    code.push(slt(AluOp::Sltu, 9, 5, 6));
    code.push(slt(AluOp::Slt, 9, 8, 7));
    code.push(slt(AluOp::Sltu, 9, 8, 7));
    code.push(slti(AluOp::Slt, 9, 7, u32::MAX));
    code.push(slti(AluOp::Sltu, 9, 6, u32::MAX));
    code.push(slt(AluOp::Sltu, 0, 5, 5));
    // Each branch taken (rs1, rs2) and not taken (rs2, rs1 or unequal), over an increment.
    for (op, taken, not_taken) in [
        (BranchOp::Beq, (5, 5), (5, 6)),
        (BranchOp::Bne, (5, 6), (6, 6)),
        (BranchOp::Blt, (5, 6), (6, 5)),
        (BranchOp::Bge, (6, 5), (7, 8)),
        (BranchOp::Bltu, (6, 5), (5, 6)),
        (BranchOp::Bgeu, (5, 6), (6, 5)),
    ] {
        for (rs1, rs2) in [taken, not_taken] {
            code.push(branch(op, rs1, rs2));
            code.push(addi(10, 10, 1));
        }
    }
    // A backward branch closing a loop that runs twice.
    code.extend(li(9, 2));
    code.push(addi(9, 9, -1));
    code.push(Instruction::Branch { op: BranchOp::Bne, rs1: 9, rs2: 0, imm: (-4i32) as u32 }.encode());
    let program = halting_program(code);
    assert_every_column_mutation_rejected(
        &program,
        &[],
        &[ComponentKind::Compare, ComponentKind::Branch],
        1,
        11,
    );
}

/// `code`, then a halt with exit code 0 and the digest of empty public values.
fn halting_program(mut code: Vec<u32>) -> Program {
    use nzero_abi::layout::PROGRAM_START;
    use nzero_abi::syscall;
    use sha2::Digest;

    use crate::isa::asm::li;

    for (reg, value) in [(10, 0), (11, 0x0010_0000), (17, syscall::HALT)] {
        code.extend(li(reg, value));
    }
    code.push(0x73);
    let mut program = Program::from_code(PROGRAM_START, code);
    for (i, chunk) in sha2::Sha256::digest(b"").chunks(4).enumerate() {
        program.image.insert(0x0010_0000 + 4 * i as u32, u32::from_le_bytes(chunk.try_into().unwrap()));
    }
    program
}

#[test]
fn corrupting_any_cell_of_the_bitwise_trace_is_rejected() {
    use crate::isa::asm::li;
    use crate::isa::{AluOp, Instruction};

    let mut code = vec![];
    code.extend(li(5, 0xf0f0_a5a5));
    code.extend(li(6, 0x8001_7fff));
    for op in [AluOp::And, AluOp::Or, AluOp::Xor] {
        code.push(Instruction::Alu { op, rd: 7, rs1: 5, rs2: 6 }.encode());
        code.push(Instruction::AluImm { op, rd: 8, rs1: 7, imm: 0xa5c }.encode());
    }
    let kinds = [ComponentKind::Bitwise, ComponentKind::BitwiseTable];
    assert_every_column_mutation_rejected(&halting_program(code), &[], &kinds, 1, 11);
}

#[test]
fn corrupting_any_cell_of_the_shift_trace_is_rejected() {
    use crate::isa::asm::li;
    use crate::isa::{AluOp, Instruction};

    let mut code = vec![];
    code.extend(li(5, 0x9234_5678));
    code.extend(li(6, 0xffff_ffe5)); // shift amount 5, in a register holding more
    code.extend(li(9, 20));
    for op in [AluOp::Sll, AluOp::Srl, AluOp::Sra] {
        code.push(Instruction::Alu { op, rd: 7, rs1: 5, rs2: 6 }.encode());
        code.push(Instruction::Alu { op, rd: 7, rs1: 5, rs2: 9 }.encode());
        code.push(Instruction::AluImm { op, rd: 8, rs1: 5, imm: 17 }.encode());
    }
    let kinds = [ComponentKind::Shift, ComponentKind::ShiftTable];
    assert_every_column_mutation_rejected(&halting_program(code), &[], &kinds, 1, 13);
}

/// `rd = op(x, y)` for each `(op, x, y)`, through x5 and x6.
fn alu_cases(cases: &[(crate::isa::AluOp, u32, u32)]) -> Vec<u32> {
    use crate::isa::Instruction;
    use crate::isa::asm::li;

    let mut code = vec![];
    for (i, &(op, x, y)) in (0u8..).zip(cases) {
        code.extend(li(5, x));
        code.extend(li(6, y));
        code.push(Instruction::Alu { op, rd: 7 + i % 8, rs1: 5, rs2: 6 }.encode());
    }
    code
}

#[test]
fn corrupting_any_cell_of_the_mul_trace_is_rejected() {
    use crate::isa::AluOp::{Mul, Mulh, Mulhsu, Mulhu};

    let code = alu_cases(&[
        (Mul, 0xffff_fff9, 0x1234_5679),
        (Mulh, 0x8000_0000, 0x8000_0000),
        (Mulh, 0xffff_fff9, 0x0001_2345),
        (Mulhsu, 0xffff_fff9, 0xffff_ffff),
        (Mulhu, 0xffff_ffff, 0xffff_ffff),
        (Mulhsu, 0x7fff_ffff, 0x8000_0000),
    ]);
    assert_every_column_mutation_rejected(&halting_program(code.clone()), &[], &[ComponentKind::Mul], 1, 21);
}

#[test]
fn corrupting_any_cell_of_the_divrem_trace_is_rejected() {
    use crate::isa::AluOp::{Div, Divu, Rem, Remu};

    let code = alu_cases(&[
        (Div, -7i32 as u32, 2),
        (Divu, 7, 0),
        (Rem, 0x8000_0000, u32::MAX),
        (Remu, u32::MAX, 0x1_0000),
        (Div, 0x8000_0000, u32::MAX),
        (Rem, 5, 0),
        (Divu, 100, 7),
        (Rem, -100i32 as u32, -7i32 as u32),
        (Div, 0x8000_0000, 0xffff),
    ]);
    assert_every_column_mutation_rejected(
        &halting_program(code.clone()),
        &[],
        &[ComponentKind::DivRem],
        1,
        22,
    );
}

/// Whether a proof of `program` verifies when the record claims `rd_value` as the result of the
/// first step executing `opcode` (the program must not read that result again).
fn accepts_claimed_result(program: &Program, opcode: crate::air::opcode::Opcode, rd_value: u32) -> bool {
    let (execution, mut record) = trace(program, &[], &ExecConfig::default()).expect("the program runs");
    let tables = PreprocessedTables::new(program);
    let step = record
        .steps
        .iter_mut()
        .find(|s| tables.program[((s.pc - program.code_start) / 4) as usize].opcode == opcode)
        .expect("the opcode executes");
    step.rd_value = rd_value;
    let witness = generate(&tables, program.code_start, &record.steps).expect("witness");
    let (_, _, key) = super::program_key(program);
    accepted(program, &key, &tables, witness, &execution.public_values)
}

#[test]
fn divrem_rejects_every_quotient_and_remainder_but_the_risc_v_ones() {
    use crate::air::opcode::Opcode;
    use crate::isa::AluOp::{self, Div, Divu, Rem, Remu};

    const MIN: u32 = 0x8000_0000;
    let neg = |x: i32| x as u32;
    // Each forged result keeps q·b + r = a (the witness derives the other value from it) and
    // breaks exactly one of the chip's other constraints.
    let cases: [(AluOp, Opcode, u32, u32, u32, &str); 7] = [
        (Div, Opcode::Div, neg(-7), 2, neg(-4), "floor division: the remainder 1 has the wrong sign"),
        (Rem, Opcode::Rem, 7, neg(-2), neg(-1), "the remainder -1 has the wrong sign"),
        (Div, Opcode::Div, 0, neg(-2), MIN, "the overflow bit without b = -1"),
        (Div, Opcode::Div, MIN, u32::MAX, 0x7fff_ffff, "|r| = 1 is not below |b| = 1"),
        (Divu, Opcode::Divu, 7, 0, 5, "b = 0 but the quotient is not all ones"),
        (Divu, Opcode::Divu, 7, 2, 2, "the remainder 3 is not below 2"),
        (Remu, Opcode::Remu, 7, 2, 3, "the remainder 3 is not below 2"),
    ];
    for (op, opcode, a, b, forged, why) in cases {
        let program = halting_program(alu_cases(&[(op, a, b)]));
        assert!(accepts_claimed_result(&program, opcode, op.apply(a, b)), "{op:?}({a:#x}, {b:#x}) honest");
        assert!(
            !accepts_claimed_result(&program, opcode, forged),
            "{op:?}({a:#x}, {b:#x}) = {forged:#x}: {why}"
        );
    }
}

/// A load that returns a value never written, with every other cell made consistent with it (the
/// load row's decomposition and result, the byte range counts, the boundary's final values): every
/// constraint holds, and only the memory argument can object — and it does.
#[test]
fn a_forged_read_cannot_balance_the_memory_argument() {
    use crate::air::boundary::BoundaryCols;
    use crate::air::chips::load::LoadCols;
    use crate::air::opcode::SCRATCH_REGISTER;
    use crate::air::tables::word_limbs;
    use crate::isa::asm::li;
    use crate::isa::{Instruction, LoadOp, StoreOp};

    const DATA: u32 = 0x0030_0000; // clear of the digest `halting_program` places
    const WRITTEN: u32 = 0x1234_5678;
    const FORGED: u32 = 0x0bad_f00d;
    let mut code = li(5, DATA).to_vec();
    code.extend(li(6, WRITTEN));
    code.push(Instruction::Store { op: StoreOp::Sw, rs1: 5, rs2: 6, imm: 0 }.encode());
    // Load into x0 (the scratch register), so the forged value goes nowhere else.
    code.push(Instruction::Load { op: LoadOp::Lw, rd: 0, rs1: 5, imm: 0 }.encode());
    let program = halting_program(code);
    let (tables, mut witness) = honest_witness(&program, &[]);
    let index = |kind| ComponentKind::all().iter().position(|&k| k == kind).expect("listed");

    // The load row reads FORGED instead of WRITTEN.
    let load = &mut witness.columns[index(ComponentKind::Load)];
    let mut cells = load.iter().map(|column| column[0]);
    let mut row = LoadCols::read(&mut || cells.next().expect("a cell per column"));
    let old_bytes = [WRITTEN & 0xff, (WRITTEN >> 8) & 0xff];
    row.mem.value = word_limbs(FORGED);
    row.half = M31::from(FORGED & 0xffff);
    row.bytes = [M31::from(FORGED & 0xff), M31::from((FORGED >> 8) & 0xff)];
    row.byte = row.bytes[0];
    row.result = word_limbs(FORGED);
    let mut fresh: Vec<Vec<M31>> = vec![Vec::new(); load.len()];
    row.write(&mut fresh.iter_mut());
    for (column, cell) in load.iter_mut().zip(fresh) {
        column[0] = cell[0];
    }
    // The byte range checks move with the bytes.
    let bytes8 = &mut witness.columns[index(ComponentKind::Range(8))][0];
    for (old, new) in old_bytes.iter().zip([FORGED & 0xff, (FORGED >> 8) & 0xff]) {
        bytes8[*old as usize] -= M31::from(1);
        bytes8[new as usize] += M31::from(1);
    }
    // The RAM word and the scratch register end holding FORGED.
    let boundary = &mut witness.columns[index(ComponentKind::Boundary)];
    let rows = boundary[0].len();
    for r in 0..rows {
        let mut cells = boundary.iter().map(|column| column[r]);
        let mut row = BoundaryCols::read(&mut || cells.next().expect("a cell per column"));
        let addr = row.addr[0].0 + (row.addr[1].0 << 16);
        if row.enabled == M31::from(1) && (addr == DATA || addr == SCRATCH_REGISTER) {
            row.final_value = word_limbs(FORGED);
            let mut fresh: Vec<Vec<M31>> = vec![Vec::new(); boundary.len()];
            row.write(&mut fresh.iter_mut());
            for (column, cell) in boundary.iter_mut().zip(fresh) {
                column[r] = cell[0];
            }
        }
    }

    let failures = super::debug::failing_constraints(&tables, &witness);
    assert!(failures.is_empty(), "the forgery satisfies every constraint: {failures:?}");
    let (_, _, key) = super::program_key(&program);
    let proof = prove_witness::<Blake2sMerkleChannel>(
        &program,
        &tables,
        witness,
        &CONFIG,
        crate::class::SizeClass::C16,
    )
    .expect("the constraints hold, so Stwo proves");
    assert!(matches!(
        verify(&proof, &key, &[], &CONFIG),
        Err(crate::verifier::VerifyError::LogupSumMismatch)
    ));
}
