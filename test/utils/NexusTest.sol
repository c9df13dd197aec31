// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {vm} from "./Vm.sol";

/// @notice A proof fixture written by Rust (`nzero_wrapper::Fixture`, test/fixtures/<name>.json).
struct Fixture {
    string verifier;
    bytes4 selector;
    bytes32 programVKey;
    bytes publicValues;
    bytes32 publicInput;
    bytes proof;
}

/// @notice Base of our tests: fixture loading and the assertions we use (a failed one reverts, which forge
///         reports as the test's failure with the message).
abstract contract NexusTest {
    function loadFixture(string memory name) internal view returns (Fixture memory f) {
        string memory json = vm.readFile(string.concat("test/fixtures/", name, ".json"));
        f.verifier = vm.parseJsonString(json, ".verifier");
        f.selector = bytes4(vm.parseJsonBytes(json, ".selector"));
        f.programVKey = vm.parseJsonBytes32(json, ".program_vkey");
        f.publicValues = vm.parseJsonBytes(json, ".public_values");
        f.publicInput = vm.parseJsonBytes32(json, ".public_input");
        f.proof = vm.parseJsonBytes(json, ".proof");
    }

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": ", vm.toString(a), " != ", vm.toString(b)));
    }

    function assertEq(address a, address b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": addresses differ"));
    }

    function assertEq(bytes32 a, bytes32 b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": values differ"));
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert(what);
    }

    /// @notice `proof` with byte `index` XOR `mask`.
    function flipped(bytes memory proof, uint256 index, bytes1 mask) internal pure returns (bytes memory out) {
        out = bytes.concat(proof);
        out[index] ^= mask;
    }

    /// @notice `proof` with the 32-byte word at `offset` replaced.
    function withWord(bytes memory proof, uint256 offset, uint256 word) internal pure returns (bytes memory out) {
        out = bytes.concat(proof);
        assembly ("memory-safe") {
            mstore(add(add(out, 0x20), offset), word)
        }
    }

    /// @notice The first `length` bytes of `proof`.
    function truncated(bytes memory proof, uint256 length) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i = 0; i < length; i++) {
            out[i] = proof[i];
        }
    }
}
