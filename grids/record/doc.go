// Package record is the store contract that points and funds keep their
// records under: a record is stored whole, by community and ID, and found
// by the few keys it declares (Keys). Each kind of record is a Table in a
// store's transaction, so a store implements the contract once for every
// kind, and a domain's Tx is its tables and its ledger.
//
// It sits under grids, the root of linli's domain packages, so that points
// and funds share it without importing each other.
package record
