// Package points will be the volunteer bank (义工爱心银行): verified service
// earns love points in a resident's passbook (义工存折), exchanged for donated
// goods and services at the warehouse (义仓), on a double-entry ledger.
//
// Not implemented yet: see issue 6. It holds no exported API, so nothing can
// come to depend on a placeholder.
package points
