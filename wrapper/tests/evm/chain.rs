//! An in-process EVM (revm, Prague rules, mainnet precompiles) to deploy and call contracts.

use revm::context::TxEnv;
use revm::context_interface::result::{ExecutionResult, Output};
use revm::database::{CacheDB, EmptyDB};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{Address, Bytes, TxKind, keccak256};
use revm::{Context, ExecuteCommitEvm, MainBuilder, MainContext, MainnetEvm};

type Evm = MainnetEvm<revm::handler::MainnetContext<CacheDB<EmptyDB>>>;

/// How a call ended, with the gas figures of its transaction.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Returned; `execution_gas` excludes the 21,000 base cost and the calldata cost.
    Success { execution_gas: u64 },
    /// Reverted with this data.
    Revert(Vec<u8>),
    /// Halted (out of gas, invalid opcode...): never expected from our contracts.
    Halt(#[allow(dead_code, reason = "read through Debug in failure messages")] String),
}

pub(crate) struct Chain {
    evm: Evm,
    caller: Address,
    nonce: u64,
}

impl Chain {
    pub(crate) fn new() -> Self {
        // Prague, as foundry.toml's evm_version: the same rules as the Foundry tests.
        let evm = Context::mainnet()
            .modify_cfg_chained(|cfg| cfg.set_spec_and_mainnet_gas_params(SpecId::PRAGUE))
            .with_db(CacheDB::new(EmptyDB::default()))
            .build_mainnet();
        Self { evm, caller: Address::repeat_byte(0xca), nonce: 0 }
    }

    fn transact(&mut self, kind: TxKind, data: Vec<u8>) -> ExecutionResult {
        let tx = TxEnv::builder()
            .caller(self.caller)
            .kind(kind)
            .data(Bytes::from(data))
            .gas_limit(10_000_000)
            .nonce(self.nonce)
            .build()
            .expect("a valid transaction");
        self.nonce += 1;
        self.evm.transact_commit(tx).expect("the EVM runs the transaction")
    }

    /// Deploys creation bytecode; returns the contract's address.
    pub(crate) fn deploy(&mut self, creation_code: Vec<u8>) -> Address {
        match self.transact(TxKind::Create, creation_code) {
            ExecutionResult::Success { output: Output::Create(_, Some(address)), .. } => address,
            other => panic!("deployment failed: {other:?}"),
        }
    }

    /// Calls `to` with `data` in a transaction.
    pub(crate) fn call(&mut self, to: Address, data: Vec<u8>) -> Outcome {
        let intrinsic = 21_000 + data.iter().map(|&b| if b == 0 { 4 } else { 16 }).sum::<u64>();
        match self.transact(TxKind::Call(to), data) {
            ExecutionResult::Success { gas, .. } => {
                Outcome::Success { execution_gas: gas.tx_gas_used() - intrinsic }
            }
            ExecutionResult::Revert { output, .. } => Outcome::Revert(output.to_vec()),
            ExecutionResult::Halt { reason, .. } => Outcome::Halt(format!("{reason:?}")),
        }
    }
}

/// The 4-byte selector of a function or error signature.
pub(crate) fn selector_of(signature: &str) -> [u8; 4] {
    keccak256(signature.as_bytes())[..4].try_into().expect("four bytes")
}

/// ABI encoding of a revert with a custom error whose arguments are all static words.
pub(crate) fn error_data(signature: &str, words: &[[u8; 32]]) -> Vec<u8> {
    let mut data = selector_of(signature).to_vec();
    words.iter().for_each(|w| data.extend_from_slice(w));
    data
}

/// A uint256 word.
pub(crate) fn uint(value: u64) -> [u8; 32] {
    let mut word = [0u8; 32];
    word[24..].copy_from_slice(&value.to_be_bytes());
    word
}

/// Calldata of `verifyProof(bytes32 programVKey, bytes publicValues, bytes proof)`.
pub(crate) fn verify_proof_calldata(program_vkey: [u8; 32], public_values: &[u8], proof: &[u8]) -> Vec<u8> {
    fn padded(bytes: &[u8]) -> Vec<u8> {
        let mut out = uint(bytes.len() as u64).to_vec();
        out.extend_from_slice(bytes);
        out.resize(32 + bytes.len().div_ceil(32) * 32, 0);
        out
    }
    let values = padded(public_values);
    let mut data = selector_of("verifyProof(bytes32,bytes,bytes)").to_vec();
    data.extend_from_slice(&program_vkey);
    data.extend_from_slice(&uint(0x60));
    data.extend_from_slice(&uint(0x60 + values.len() as u64));
    data.extend_from_slice(&values);
    data.extend_from_slice(&padded(proof));
    data
}
