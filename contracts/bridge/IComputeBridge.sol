// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title The receiving side of a ComputeBridge request
interface IComputeCallback {
    /// @notice Called by the bridge with a proven result: `output` is what the program committed after
    ///         its input's digest (public values minus their first 32 bytes).
    function onComputeResult(uint256 requestId, bytes calldata output) external;
}

interface IComputeBridgeErrors {
    error DeadlineNotInFuture(uint64 deadline);
    error CallbackGasTooHigh(uint32 callbackGasLimit, uint32 max);
    error FeeTooHigh(uint256 fee);
    error UnknownRequest(uint256 requestId);
    error NotPending(uint256 requestId, IComputeBridge.Status status);
    error DeadlinePassed(uint256 requestId, uint64 deadline);
    error DeadlineNotPassed(uint256 requestId, uint64 deadline);
    error InputMismatch(uint256 requestId);
    error InsufficientGasForCallback(uint256 requestId, uint32 callbackGasLimit);
    error PaymentFailed(address to, uint256 amount);
}

interface IComputeBridgeEvents {
    /// @notice Everything a relay needs: which program, on which input, until when, for what fee.
    event Requested(
        uint256 indexed requestId,
        address indexed requester,
        bytes32 indexed programVKey,
        bytes input,
        address callback,
        uint64 deadline,
        uint32 callbackGasLimit,
        uint256 fee
    );
    event Fulfilled(uint256 indexed requestId, address indexed fulfiller, bytes output, bool callbackSucceeded);
    event Refunded(uint256 indexed requestId, address indexed requester, uint256 fee);
}

/// @title ComputeBridge: contracts request a computation, a relay proves it off-chain, the bridge
///        verifies the proof and calls back
/// @notice A request names a program (its verifying key) and its input; the fee waits in escrow. A
///         fulfilment carries the program's public values and a proof; the bridge accepts it only if the
///         proof verifies for that program and those public values, and the public values begin with
///         sha256(input) — the guest's binding to the request (`nzero_runtime::read_request`). Then the
///         fulfiller is paid and the callback called with a gas limit, so a failing callback cannot block
///         payment. After the deadline, an unfulfilled request's fee goes back to the requester.
interface IComputeBridge is IComputeBridgeErrors, IComputeBridgeEvents {
    enum Status {
        None,
        Pending,
        Fulfilled,
        Refunded
    }

    struct Request {
        address requester;
        uint64 deadline;
        uint32 callbackGasLimit;
        address callback;
        Status status;
        uint88 fee;
        bytes32 programVKey;
        bytes32 inputDigest;
    }

    /// @notice Asks for `programVKey` to be run on `input` by `deadline` (a timestamp), paying msg.value
    ///         to whoever proves it; `callback` (or nobody, if zero) receives the output with at most
    ///         `callbackGasLimit` gas.
    function request(
        bytes32 programVKey,
        bytes calldata input,
        address callback,
        uint64 deadline,
        uint32 callbackGasLimit
    ) external payable returns (uint256 requestId);

    /// @notice Answers a pending request with the program's public values and a proof (`selector ‖ Groth16`).
    function fulfil(uint256 requestId, bytes calldata publicValues, bytes calldata proof) external;

    /// @notice Returns an unfulfilled request's fee to its requester once its deadline has passed.
    function refund(uint256 requestId) external;

    function requests(uint256 requestId) external view returns (Request memory);
}
