// Package points is the volunteer bank (义工爱心银行): verified service earns
// love points (爱心积分) in a resident's passbook (义工存折), and points are
// exchanged for donated goods and services at the warehouse (义仓).
//
// Every point and every item on the shelves lives on a double-entry ledger
// (grids/ledger), so balances cannot drift from their history:
//
//   - A service claim (Claim, ClaimActivity) is a pending transfer from the
//     community's bank to the resident's passbook; a second person, the
//     activity's organiser or a community worker, never the volunteer,
//     verifies it (posted) or rejects it (voided). Hours never exceed what
//     the activity recorded for the resident, nor the daily cap.
//   - The accrual Policy is versioned; every transfer carries the version
//     that priced it. Caps per activity, day and month, a storage cap,
//     expiry by earning year (a visible transfer, never a deletion) and
//     gifts within a household are all policy.
//   - Donations put items on an item's shelf account, which can never go
//     below zero. An Exchange moves points to the redeemed account and items
//     off the shelf as one linked pair: both or neither. A reservation is a
//     pending pair that expires; a return is a reversing pair.
//   - Corrections are reversing transfers; nothing is deleted or edited.
//
// The books never disagree with the records. Each command moves its
// points and stock and writes the record that explains them (claim,
// exchange, donation, gift, expiry) in one Store transaction, through
// Tx.Ledger: they commit together or not at all, whatever happens, and a
// command once begun runs to its end when its caller goes away (within
// Options.CommandTimeout). Transfer IDs derive from the community and the
// record, and a command repeated with the same record ID finds the record
// and changes nothing. Audit reconciles a community's records with its
// ledger and reports every disagreement.
//
// Stores: adapters/memstore and adapters/sqlstore; pointstest is the
// contract they pass.
package points
