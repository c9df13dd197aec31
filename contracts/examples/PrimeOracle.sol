// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {IComputeBridge, IComputeCallback} from "../bridge/IComputeBridge.sol";

/// @title PrimeOracle: asks the ComputeBridge how many primes lie below n
/// @notice Counting primes below a large n would cost more gas than a block holds; proving it off-chain
///         costs one verification. The guest is examples/primes (input: n as 4 big-endian bytes, output:
///         the count as 4 big-endian bytes).
contract PrimeOracle is IComputeCallback {
    IComputeBridge public immutable bridge;
    /// @notice examples/primes's program key.
    bytes32 public immutable programVKey;
    /// @notice Gas the callback needs (a store and an event, with margin).
    uint32 public constant CALLBACK_GAS = 100_000;

    struct Question {
        bool open;
        uint32 n;
        address asker;
    }

    mapping(uint256 requestId => Question) public questions;
    mapping(uint32 n => uint32 count) public primesBelow;
    mapping(uint32 n => bool) public answered;

    event Asked(uint256 indexed requestId, uint32 n);
    event Answered(uint256 indexed requestId, uint32 n, uint32 count);

    event Reclaimed(uint256 indexed requestId, address indexed asker, uint256 fee);

    error OnlyBridge(address caller);
    error UnknownQuestion(uint256 requestId);
    error OutputLength(uint256 length);
    error PaymentFailed(address to, uint256 amount);

    constructor(IComputeBridge bridge_, bytes32 programVKey_) {
        bridge = bridge_;
        programVKey = programVKey_;
    }

    /// @notice Asks for the number of primes below `n`, paying msg.value to the prover, by `deadline`.
    function ask(uint32 n, uint64 deadline) external payable returns (uint256 requestId) {
        requestId =
            bridge.request{value: msg.value}(programVKey, abi.encodePacked(n), address(this), deadline, CALLBACK_GAS);
        questions[requestId] = Question({open: true, n: n, asker: msg.sender});
        emit Asked(requestId, n);
    }

    /// @notice After an unanswered question's deadline: the bridge refunds its fee here, and it goes back
    ///         to the asker.
    function reclaim(uint256 requestId) external {
        Question memory q = questions[requestId];
        if (!q.open) revert UnknownQuestion(requestId);
        delete questions[requestId];
        uint256 fee = bridge.requests(requestId).fee;
        bridge.refund(requestId);
        (bool paid,) = q.asker.call{value: fee}("");
        if (!paid) revert PaymentFailed(q.asker, fee);
        emit Reclaimed(requestId, q.asker, fee);
    }

    /// @notice Refunds arrive from the bridge only.
    receive() external payable {
        if (msg.sender != address(bridge)) revert OnlyBridge(msg.sender);
    }

    function onComputeResult(uint256 requestId, bytes calldata output) external {
        if (msg.sender != address(bridge)) revert OnlyBridge(msg.sender);
        Question memory q = questions[requestId];
        if (!q.open) revert UnknownQuestion(requestId);
        if (output.length != 4) revert OutputLength(output.length);
        uint32 count = uint32(bytes4(output));
        delete questions[requestId];
        primesBelow[q.n] = count;
        answered[q.n] = true;
        emit Answered(requestId, q.n, count);
    }
}
