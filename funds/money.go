package funds

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/internal/errs"
)

// The ledgers of the funds: money in fen, and budgets in fen.
const (
	LedgerMoney  uint32 = 3
	LedgerBudget uint32 = 4
)

// Account codes.
const (
	AccountOutside   uint16 = 30 // money from and to outside the community's books
	AccountFund      uint16 = 31 // a fund (never below zero)
	AccountEarmarked uint16 = 32 // a grant's money not released yet (never below zero)
	AccountAvailable uint16 = 33 // a grant's money released to spend (never below zero)
	AccountSpent     uint16 = 34 // one spending's money (refunds never exceed it)
	AccountBudget    uint16 = 40 // where budgets come from
	AccountLine      uint16 = 41 // a budget line's budget left (never below zero)
	AccountLineUsed  uint16 = 42 // one spending's use of a line (reversals never exceed it)
)

// Transfer codes: why money or budget moved.
const (
	CodeIncome     uint16 = 30 // money into a fund
	CodeReversal   uint16 = 31 // an income reversed
	CodeGrant      uint16 = 32 // a fund's money earmarked for a project
	CodeRelease    uint16 = 33 // an instalment released to spend
	CodeSpend      uint16 = 34
	CodeRefund     uint16 = 35 // money a payee gave back
	CodeCorrection uint16 = 36 // spending recorded wrongly, reversed
	CodeBudget     uint16 = 40 // a line's budget granted
)

// fen converts yuan to fen, refusing more than two decimal places: money
// is never rounded silently.
func fen(field string, d decimal.Decimal) (int64, error) {
	if !d.Equal(d.Round(2)) {
		return 0, errs.Field(field, "has more than two decimal places: amounts are yuan to the fen")
	}
	u := d.Shift(2)
	if u.Abs().GreaterThan(decimal.NewFromInt(math.MaxInt64 / 4)) {
		return 0, errs.Field(field, "is out of range")
	}
	return u.IntPart(), nil
}

// positive is fen for an amount that must be above zero.
func positive(field string, d decimal.Decimal) (int64, error) {
	f, err := fen(field, d)
	if err == nil && f <= 0 {
		err = errs.Field(field, "must be positive")
	}
	return f, err
}

// yuan is fen as yuan, written as it reads back from JSON.
func yuan(f int64) decimal.Decimal { return decimal.RequireFromString(decimal.New(f, -2).String()) }

// norm writes a decimal the way its JSON reads back.
func norm(d decimal.Decimal) decimal.Decimal { return decimal.RequireFromString(d.String()) }

// ApplyRate is amount × rate rounded half-up to the fen: the one place a
// computed amount is rounded.
func ApplyRate(amount, rate decimal.Decimal) decimal.Decimal {
	return norm(amount.Mul(rate).Round(2))
}

func accountID(community string, code uint16, owner string) ledger.ID {
	return ledger.Derive("funds-account", community, fmt.Sprint(code), owner)
}

// transferID is the ID of a record's transfer for a purpose: derived, so
// a repeated command finds what it made, and from the community, so no
// two communities share one.
func transferID(community, record, purpose string) ledger.ID {
	return ledger.Derive("funds-transfer", community, record, purpose)
}

const limited = ledger.DebitsMustNotExceedCredits | ledger.History

func outsideAccount(c string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountOutside, ""), Ledger: LedgerMoney, Code: AccountOutside, UserData128: ledger.Ref(c)}
}

func fundAccount(c, fund string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountFund, fund), Ledger: LedgerMoney, Code: AccountFund, UserData128: ledger.Ref(fund), Flags: limited}
}

func earmarkedAccount(c, grant string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountEarmarked, grant), Ledger: LedgerMoney, Code: AccountEarmarked, UserData128: ledger.Ref(grant), Flags: limited}
}

func availableAccount(c, grant string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountAvailable, grant), Ledger: LedgerMoney, Code: AccountAvailable, UserData128: ledger.Ref(grant), Flags: limited}
}

func spentAccount(c, spending string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountSpent, spending), Ledger: LedgerMoney, Code: AccountSpent, UserData128: ledger.Ref(spending), Flags: limited}
}

func budgetAccount(c string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountBudget, ""), Ledger: LedgerBudget, Code: AccountBudget, UserData128: ledger.Ref(c)}
}

func lineAccount(c, grant, line string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountLine, grant+"/"+line), Ledger: LedgerBudget, Code: AccountLine, UserData128: ledger.Ref(grant), Flags: limited}
}

func lineUsedAccount(c, spending string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountLineUsed, spending), Ledger: LedgerBudget, Code: AccountLineUsed, UserData128: ledger.Ref(spending), Flags: limited}
}
