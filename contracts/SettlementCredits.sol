// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title SettlementCredits: what each account is owed (positive) or owes (negative), in minor units.
/// @notice ERC-20-style read side (name, symbol, decimals, balanceOf) over bytes32 account ids, with
/// signed balances: debt is allowed until it is paid off-chain. There are no transfers: only the
/// Settlement contract changes balances, always by a set of deltas that sums to zero, so the sum of
/// all balances is always zero and `totalPositive` equals the total debt.
contract SettlementCredits {
    string public constant name = "Gridmesh Settlement Credit";
    string public constant symbol = "GMSC";
    uint8 public constant decimals = 2;

    address public immutable deployer;
    address public settlement;
    /// @notice Sum of all positive balances (= minus the sum of all negative balances).
    uint256 public totalPositive;

    mapping(bytes32 => int256) public balanceOf;

    event SettlementSet(address indexed settlement);
    event BalanceChanged(bytes32 indexed account, int256 delta, int256 balance);

    error ZeroAddress();
    error NotDeployer(address caller);
    error SettlementAlreadySet(address settlement);
    error NotSettlement(address caller);
    error LengthMismatch(uint256 accounts, uint256 deltas);
    error NotBalanced(int256 sum);
    error DeltaOutOfRange(uint256 index);

    constructor() {
        deployer = msg.sender;
    }

    /// @notice Sets, once, the only contract allowed to change balances.
    function setSettlement(address settlement_) external {
        if (msg.sender != deployer) revert NotDeployer(msg.sender);
        if (settlement != address(0)) revert SettlementAlreadySet(settlement);
        if (settlement_ == address(0)) revert ZeroAddress();
        settlement = settlement_;
        emit SettlementSet(settlement_);
    }

    /// @notice Adds `deltas[i]` to the balance of `accounts[i]` (an account may appear more than once).
    /// The deltas must sum to zero and each lie in [-2^128, 2^128). Zero deltas change nothing and
    /// emit nothing.
    /// @dev The loop is Yul: it runs once per account of every statement, and the EVM steps it takes
    /// are most of a statement's cost (ADR 0016). Per non-zero delta: range check, the balance's
    /// mapping slot, read, add, write, the positive-part bookkeeping, the event. The range keeps
    /// every sum and balance far from int256 overflow (2^127 deltas of one account would be needed).
    function applyDeltas(bytes32[] calldata accounts, int256[] calldata deltas) external {
        if (msg.sender != settlement) revert NotSettlement(msg.sender);
        uint256 n = accounts.length;
        if (deltas.length != n) revert LengthMismatch(n, deltas.length);
        int256 sum = 0;
        int256 positive = int256(totalPositive);
        uint256 outOfRange = 0; // index + 1 of the first delta out of range
        bytes32 changed = BalanceChanged.selector;
        assembly ("memory-safe") {
            let a := accounts.offset
            let d := deltas.offset
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let delta := calldataload(add(d, shl(5, i)))
                if delta {
                    // -2^128 <= delta < 2^128, so no sum of fewer than 2^127 deltas overflows
                    if iszero(lt(add(delta, shl(128, 1)), shl(129, 1))) {
                        outOfRange := add(i, 1)
                        break
                    }
                    sum := add(sum, delta)
                    let account := calldataload(add(a, shl(5, i)))
                    mstore(0x00, account)
                    mstore(0x20, balanceOf.slot)
                    let slot := keccak256(0x00, 0x40)
                    let before := sload(slot)
                    // No overflow: reaching |balance| >= 2^255 would take 2^127 deltas of one account.
                    let after := add(before, delta)
                    sstore(slot, after)
                    positive := add(sub(positive, mul(sgt(before, 0), before)), mul(sgt(after, 0), after))
                    mstore(0x00, delta)
                    mstore(0x20, after)
                    log2(0x00, 0x40, changed, account)
                }
            }
        }
        if (outOfRange != 0) revert DeltaOutOfRange(outOfRange - 1);
        if (sum != 0) revert NotBalanced(sum);
        totalPositive = uint256(positive);
    }
}
