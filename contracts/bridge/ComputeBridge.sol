// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {INexusVerifier} from "../INexusVerifier.sol";
import {IComputeBridge, IComputeCallback} from "./IComputeBridge.sol";

/// @title ComputeBridge
/// @notice See IComputeBridge. Verification goes through one INexusVerifier (the gateway), so the
///         bridge follows its routes as new size classes are deployed.
contract ComputeBridge is IComputeBridge, ReentrancyGuard {
    /// @notice The most gas a callback may ask for.
    uint32 public constant MAX_CALLBACK_GAS = 2_000_000;
    /// @notice Gas kept back around the callback for the bridge's own bookkeeping after it.
    uint256 internal constant CALLBACK_RESERVE = 20_000;

    INexusVerifier public immutable verifier;
    uint256 public requestCount;
    mapping(uint256 requestId => Request) internal _requests;

    constructor(INexusVerifier verifier_) {
        verifier = verifier_;
    }

    function request(
        bytes32 programVKey,
        bytes calldata input,
        address callback,
        uint64 deadline,
        uint32 callbackGasLimit
    ) external payable returns (uint256 requestId) {
        if (deadline <= block.timestamp) revert DeadlineNotInFuture(deadline);
        if (callbackGasLimit > MAX_CALLBACK_GAS) revert CallbackGasTooHigh(callbackGasLimit, MAX_CALLBACK_GAS);
        if (msg.value > type(uint88).max) revert FeeTooHigh(msg.value);
        requestId = ++requestCount;
        _requests[requestId] = Request({
            requester: msg.sender,
            deadline: deadline,
            callbackGasLimit: callbackGasLimit,
            callback: callback,
            status: Status.Pending,
            fee: uint88(msg.value),
            programVKey: programVKey,
            inputDigest: sha256(input)
        });
        emit Requested(requestId, msg.sender, programVKey, input, callback, deadline, callbackGasLimit, msg.value);
    }

    function fulfil(uint256 requestId, bytes calldata publicValues, bytes calldata proof) external nonReentrant {
        Request storage r = _pending(requestId);
        if (block.timestamp > r.deadline) revert DeadlinePassed(requestId, r.deadline);
        if (publicValues.length < 32 || bytes32(publicValues[:32]) != r.inputDigest) revert InputMismatch(requestId);
        verifier.verifyProof(r.programVKey, publicValues, proof);

        r.status = Status.Fulfilled;
        (address callback, uint32 gasLimit, uint256 fee) = (r.callback, r.callbackGasLimit, r.fee);
        bytes calldata output = publicValues[32:];
        _pay(msg.sender, fee);
        bool called;
        if (callback != address(0)) {
            // EIP-150 passes on at most 63/64 of the gas left: without this check a fulfiller could starve
            // the callback on purpose and still be paid.
            if (gasleft() < uint256(gasLimit) * 64 / 63 + CALLBACK_RESERVE) {
                revert InsufficientGasForCallback(requestId, gasLimit);
            }
            bytes memory data = abi.encodeCall(IComputeCallback.onComputeResult, (requestId, output));
            // No return data is copied: a callback cannot make the bridge pay for a huge one.
            assembly ("memory-safe") {
                called := call(gasLimit, callback, 0, add(data, 0x20), mload(data), 0, 0)
            }
        }
        emit Fulfilled(requestId, msg.sender, output, called);
    }

    function refund(uint256 requestId) external nonReentrant {
        Request storage r = _pending(requestId);
        if (block.timestamp <= r.deadline) revert DeadlineNotPassed(requestId, r.deadline);
        r.status = Status.Refunded;
        (address requester, uint256 fee) = (r.requester, r.fee);
        _pay(requester, fee);
        emit Refunded(requestId, requester, fee);
    }

    function requests(uint256 requestId) external view returns (Request memory) {
        return _requests[requestId];
    }

    function _pending(uint256 requestId) internal view returns (Request storage r) {
        r = _requests[requestId];
        if (r.status != Status.Pending) {
            if (r.status == Status.None) revert UnknownRequest(requestId);
            revert NotPending(requestId, r.status);
        }
    }

    function _pay(address to, uint256 amount) internal {
        if (amount == 0) return;
        (bool paid,) = to.call{value: amount}("");
        if (!paid) revert PaymentFailed(to, amount);
    }
}
