package ledger

import (
	"encoding/hex"
	"fmt"
)

// ID names an account or a transfer: 128 bits, as a ULID is. A transfer's
// ID is chosen by the caller and is its idempotency key.
type ID [16]byte

// IsZero reports whether id is unset.
func (id ID) IsZero() bool { return id == ID{} }

func (id ID) String() string { return hex.EncodeToString(id[:]) }

// AccountFlags set an account's limits.
type AccountFlags uint16

// The account flags.
const (
	// DebitsMustNotExceedCredits: the account's debits (pending and posted)
	// may not exceed its posted credits — a balance that must not go below
	// zero when credits are what it holds (a resident's points, an item's
	// stock on the shelf).
	DebitsMustNotExceedCredits AccountFlags = 1 << iota
	// CreditsMustNotExceedDebits: the reverse.
	CreditsMustNotExceedDebits
	// History keeps the account's balances after every change, for
	// statements and balances as of a time (a resident's passbook needs
	// it; a ledger's issuing account does not).
	History
	accountFlagsMask = DebitsMustNotExceedCredits | CreditsMustNotExceedDebits | History
)

// Account is an account: which ledger it is on (points, one item's stock,
// money in fen …), who owns it, its limits, and its four balances. Accounts
// are never deleted.
type Account struct {
	ID          ID
	UserData128 ID     // the owner: a resident, an item, a fund …
	UserData64  uint64 // free for the application
	Ledger      uint32
	Code        uint16 // the kind of account
	Flags       AccountFlags
	// Balances, in the ledger's minor units.
	DebitsPending, DebitsPosted, CreditsPending, CreditsPosted int64
	Timestamp                                                  int64 // when it was created, in nanoseconds; set by the ledger
}

// TransferFlags say what kind of transfer a Transfer is.
type TransferFlags uint16

// The transfer flags.
const (
	// Linked chains this transfer to the next in the batch: the chain
	// succeeds or fails as one. The last of a chain is not Linked.
	Linked TransferFlags = 1 << iota
	// Pending reserves the amount: posted or voided later, or expired
	// after Timeout seconds.
	Pending
	// PostPending posts the pending transfer PendingID, for Amount (all of
	// it if Amount is 0).
	PostPending
	// VoidPending releases the pending transfer PendingID.
	VoidPending
	transferFlagsMask = Linked | Pending | PostPending | VoidPending
)

// Transfer moves an amount from a debit account to a credit account of the
// same ledger. Transfers are immutable: a mistake is corrected by another
// transfer the other way, referring to the first.
type Transfer struct {
	ID              ID
	DebitAccountID  ID
	CreditAccountID ID
	Amount          int64
	PendingID       ID     // for PostPending and VoidPending
	UserData128     ID     // the domain record behind it (an activity, an exchange …)
	UserData64      uint64 // the version of the rule that priced it
	UserData32      uint32
	Timeout         uint32 // seconds a Pending transfer holds before it expires; 0 for never
	Ledger          uint32
	Code            uint16 // why: earning, exchange, expiry, correction …
	Flags           TransferFlags
	Timestamp       int64 // set by the ledger, unique and increasing
}

// Result is the outcome of creating one account or transfer.
type Result uint8

// The results. Ok and Exists are successes; everything else left no mark.
const (
	Ok Result = iota
	Exists
	ExistsWithDifferentFields
	IDAlreadyFailed
	LinkedEventFailed
	LinkedEventChainOpen
	IDMustNotBeZero
	TimestampMustBeZero
	FlagsAreMutuallyExclusive
	ReservedFlag
	LedgerMustNotBeZero
	CodeMustNotBeZero
	DebitAccountNotFound
	CreditAccountNotFound
	AccountsMustBeDifferent
	AccountsMustHaveTheSameLedger
	TransferMustHaveTheSameLedgerAsAccounts
	AmountMustNotBeNegative
	AmountMustNotBeZero
	PendingIDMustBeZero
	PendingIDMustNotBeZero
	PendingIDMustBeDifferent
	TimeoutReservedForPendingTransfer
	PendingTransferNotFound
	PendingTransferNotPending
	PendingTransferHasDifferentAccounts
	PendingTransferHasDifferentLedger
	ExceedsPendingTransferAmount
	PendingTransferAlreadyPosted
	PendingTransferAlreadyVoided
	PendingTransferExpired
	ExceedsCredits
	ExceedsDebits
	Overflow
)

var resultNames = [...]string{
	"ok", "exists", "exists_with_different_fields", "id_already_failed", "linked_event_failed", "linked_event_chain_open",
	"id_must_not_be_zero", "timestamp_must_be_zero", "flags_are_mutually_exclusive", "reserved_flag", "ledger_must_not_be_zero",
	"code_must_not_be_zero", "debit_account_not_found", "credit_account_not_found", "accounts_must_be_different",
	"accounts_must_have_the_same_ledger", "transfer_must_have_the_same_ledger_as_accounts", "amount_must_not_be_negative",
	"amount_must_not_be_zero", "pending_id_must_be_zero", "pending_id_must_not_be_zero", "pending_id_must_be_different",
	"timeout_reserved_for_pending_transfer", "pending_transfer_not_found", "pending_transfer_not_pending",
	"pending_transfer_has_different_accounts", "pending_transfer_has_different_ledger", "exceeds_pending_transfer_amount",
	"pending_transfer_already_posted", "pending_transfer_already_voided", "pending_transfer_expired", "exceeds_credits",
	"exceeds_debits", "overflow",
}

func (r Result) String() string {
	if int(r) < len(resultNames) {
		return resultNames[r]
	}
	return fmt.Sprintf("result(%d)", r)
}

// Succeeded reports whether the account or transfer exists after the call.
func (r Result) Succeeded() bool { return r == Ok || r == Exists }

// PendingStatus is where a pending transfer is.
type PendingStatus uint8

// The statuses of a pending transfer: each ends exactly once.
const (
	NotPending PendingStatus = iota
	StillPending
	Posted
	Voided
	Expired
)

func (p PendingStatus) String() string {
	return [...]string{"none", "pending", "posted", "voided", "expired"}[p]
}

// Balance is an account's balances at a moment.
type Balance struct {
	Timestamp                                                  int64
	DebitsPending, DebitsPosted, CreditsPending, CreditsPosted int64
}

// Entry is one line of an account's statement: the transfer and the
// balances after it.
type Entry struct {
	Transfer Transfer
	// Expiry marks the line where a pending transfer expired (at Balance's
	// timestamp), releasing its reservation.
	Expiry  bool
	Balance Balance
}
