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
    match prove_witness(program, tables, witness, &CONFIG, crate::class::SizeClass::C16) {
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

/// Corrupts `per_component` seeded random cells of the live rows of every component of `program`'s
/// trace, one at a time, and asserts each corrupted trace is rejected.
pub(crate) fn assert_every_mutation_rejected(
    program: &Program,
    input: &[u8],
    per_component: usize,
    seed: u64,
) {
    assert_mutations_rejected(program, input, &ComponentKind::all(), per_component, seed);
}

/// [`assert_every_mutation_rejected`] for the components in `kinds` only.
pub(crate) fn assert_mutations_rejected(
    program: &Program,
    input: &[u8],
    kinds: &[ComponentKind],
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
        if !kinds.contains(&kind) {
            continue;
        }
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
    assert_mutations_rejected(&memory_and_jump_program(), &[], &kinds, 10, 11);
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
