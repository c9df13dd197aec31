// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {INexusVerifier} from "./INexusVerifier.sol";

/// @title PrimeCounter
/// @notice Accepts "there are `count` primes below `n`" only with a proof that the guest program
///         (identified by `programVKey`) computed it: the verifier checks the proof against this program
///         key and these exact public values, so neither can be swapped.
contract PrimeCounter {
    /// @notice The Nexus Zero gateway (or one verifier).
    INexusVerifier public immutable verifier;
    /// @notice The guest program's verifying key (`nzero vkey guest.elf`).
    bytes32 public immutable programVKey;
    /// @notice Proven counts, by `n`.
    mapping(uint32 n => uint32 count) public primesBelow;

    event Proven(uint32 indexed n, uint32 count);

    error PublicValuesLength(uint256 length);

    constructor(INexusVerifier verifier_, bytes32 programVKey_) {
        verifier = verifier_;
        programVKey = programVKey_;
    }

    /// @notice Records the guest's result after verifying its proof (reverts with the verifier's error).
    /// @param publicValues The guest's public values: `n` and the count, 4 little-endian bytes each.
    /// @param proof `selector ‖ Groth16 proof`, as `nzero wrap` writes it.
    function submit(bytes calldata publicValues, bytes calldata proof) external returns (uint32 n, uint32 count) {
        verifier.verifyProof(programVKey, publicValues, proof);
        if (publicValues.length != 8) revert PublicValuesLength(publicValues.length);
        n = _le32(publicValues[0:4]);
        count = _le32(publicValues[4:8]);
        primesBelow[n] = count;
        emit Proven(n, count);
    }

    function _le32(bytes calldata b) private pure returns (uint32 v) {
        v = uint32(uint8(b[0])) | uint32(uint8(b[1])) << 8 | uint32(uint8(b[2])) << 16 | uint32(uint8(b[3])) << 24;
    }
}
