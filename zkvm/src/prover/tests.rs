//! Soundness: a real trace with one corrupted cell must not yield a proof that verifies.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use stwo::core::fields::m31::M31;

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
    match prove_witness(program, tables, witness, &CONFIG) {
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
        ComponentKind::Program | ComponentKind::Range(_) | ComponentKind::Image => {
            witness.columns[index].first().map_or(0, Vec::len)
        }
        // Chips and the boundary: the enabled flag is their first column.
        _ => witness.columns[index][0].iter().take_while(|&&v| v == M31::from(1)).count(),
    }
}

/// Corrupts `per_component` seeded random cells of every live row range of every component of
/// `program`'s trace, one at a time, and asserts each corrupted trace is rejected.
pub(crate) fn assert_every_mutation_rejected(
    program: &Program,
    input: &[u8],
    per_component: usize,
    seed: u64,
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
        for _ in 0..per_component {
            let (column, row) = (rng.random_range(0..n_columns), rng.random_range(0..rows));
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
    use nzero_abi::layout::PROGRAM_START;
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
    for (reg, value) in [(10, 0), (11, 0x0010_0000), (17, syscall::HALT)] {
        code.extend(li(reg, value));
    }
    code.push(0x73);
    let mut program = Program::from_code(PROGRAM_START, code);
    use sha2::Digest;
    for (i, chunk) in sha2::Sha256::digest(b"").chunks(4).enumerate() {
        program.image.insert(0x0010_0000 + 4 * i as u32, u32::from_le_bytes(chunk.try_into().unwrap()));
    }
    assert_every_mutation_rejected(&program, &[9, 9, 9, 9], 12, 7);
}

/// Corrupts one cell of every column of `kind`'s trace (column `i` in live row `i mod rows`, by a
/// seeded random nonzero delta), one at a time, and asserts each corrupted trace is rejected.
pub(crate) fn assert_every_column_mutation_rejected(
    program: &Program,
    input: &[u8],
    kind: ComponentKind,
    seed: u64,
) {
    let (execution, _) = trace(program, input, &ExecConfig::default()).expect("the program runs");
    let public = execution.public_values;
    let (tables, honest) = honest_witness(program, input);
    let (_, _, key) = super::program_key(program);
    assert!(accepted(program, &key, &tables, honest.clone(), &public), "the honest witness must be accepted");
    let index = ComponentKind::all().iter().position(|&k| k == kind).expect("a listed kind");
    let rows = live_rows(&honest, kind, index);
    assert!(rows > 0, "{kind:?} has no live rows");
    let mut rng = StdRng::seed_from_u64(seed);
    for column in 0..honest.columns[index].len() {
        let row = column % rows;
        let delta = M31::from(rng.random_range(1..(1u32 << 31) - 1));
        let mut witness = honest.clone();
        witness.columns[index][column][row] += delta;
        assert!(
            !accepted(program, &key, &tables, witness, &public),
            "{kind:?} column {column} row {row} + {delta:?} was accepted (seed {seed})"
        );
    }
}

/// `code` followed by a halt with exit code 0 and empty public values.
fn halting_with_empty_public_values(code: &[u32]) -> Program {
    use nzero_abi::layout::PROGRAM_START;
    use nzero_abi::syscall;
    use sha2::Digest;

    use crate::isa::asm::li;

    let mut code = code.to_vec();
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
    assert_every_column_mutation_rejected(
        &halting_with_empty_public_values(&code),
        &[],
        ComponentKind::Mul,
        21,
    );
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
        &halting_with_empty_public_values(&code),
        &[],
        ComponentKind::DivRem,
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
        let program = halting_with_empty_public_values(&alu_cases(&[(op, a, b)]));
        assert!(accepts_claimed_result(&program, opcode, op.apply(a, b)), "{op:?}({a:#x}, {b:#x}) honest");
        assert!(
            !accepts_claimed_result(&program, opcode, forged),
            "{op:?}({a:#x}, {b:#x}) = {forged:#x}: {why}"
        );
    }
}
