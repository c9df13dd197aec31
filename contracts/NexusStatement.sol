// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title The statement of a Nexus Zero proof as its Groth16 public input
/// @notice publicInput = sha256(programVKey ‖ sha256(publicValues)) masked to 253 bits, read big-endian:
///         the same value as `nzero_wrapper::public_input` in Rust. The mask keeps it below 2^253 < r, so it
///         is a canonical BN254 scalar without reduction.
library NexusStatement {
    /// @dev 2^253 - 1.
    uint256 internal constant MASK = 0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff;

    /// @notice The Groth16 public input for a program key and the public values its run committed.
    function publicInput(bytes32 programVKey, bytes calldata publicValues) internal view returns (uint256 input) {
        assembly ("memory-safe") {
            // Scratch memory past the free pointer: nothing here outlives the function.
            let p := mload(0x40)
            calldatacopy(p, publicValues.offset, publicValues.length)
            // sha256(publicValues) lands right after programVKey, forming the 64-byte preimage in place.
            // The SHA-256 precompile fails only when out of gas; then there is nothing to report but that.
            if iszero(staticcall(gas(), 0x02, p, publicValues.length, add(p, 0x20), 0x20)) { revert(0, 0) }
            mstore(p, programVKey)
            if iszero(staticcall(gas(), 0x02, p, 0x40, p, 0x20)) { revert(0, 0) }
            input := and(mload(p), MASK)
        }
    }
}
