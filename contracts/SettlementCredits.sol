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
    /// The deltas must sum to zero. Zero deltas change nothing and emit nothing.
    function applyDeltas(bytes32[] calldata accounts, int256[] calldata deltas) external {
        if (msg.sender != settlement) revert NotSettlement(msg.sender);
        uint256 n = accounts.length;
        if (deltas.length != n) revert LengthMismatch(n, deltas.length);
        int256 sum = 0;
        int256 positive = int256(totalPositive);
        for (uint256 i = 0; i < n; ++i) {
            int256 delta = deltas[i];
            if (delta == 0) continue;
            sum += delta;
            bytes32 account = accounts[i];
            int256 before = balanceOf[account];
            int256 balance = before + delta;
            balanceOf[account] = balance;
            positive += (balance > 0 ? balance : int256(0)) - (before > 0 ? before : int256(0));
            emit BalanceChanged(account, delta, balance);
        }
        if (sum != 0) revert NotBalanced(sum);
        totalPositive = uint256(positive);
    }
}
