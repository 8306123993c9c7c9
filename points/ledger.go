package points

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/internal/errs"
)

// The two ledgers of the bank: points, in hundredths of a point, and
// stock, in units of an item.
const (
	LedgerPoints uint32 = 1
	LedgerStock  uint32 = 2
)

// Account codes: what an account is.
const (
	AccountBank      uint16 = 1  // the community's issuer of points
	AccountPassbook  uint16 = 2  // a resident's points (never below zero)
	AccountRedeemed  uint16 = 3  // points spent at the warehouse
	AccountExpired   uint16 = 4  // points that expired
	AccountDonated   uint16 = 10 // where donated stock comes from
	AccountShelf     uint16 = 11 // an item's stock (never below zero)
	AccountHandedOut uint16 = 12 // stock given out in exchanges
)

// Transfer codes: why points or stock moved.
const (
	CodeEarn       uint16 = 1 // verified service
	CodeCorrection uint16 = 2 // an earning reversed
	CodeExchange   uint16 = 3 // points or stock of an exchange
	CodeReturn     uint16 = 4 // an exchange reversed
	CodeExpiry     uint16 = 5 // points of an earning year expired
	CodeGift       uint16 = 6 // points given within a household
	CodeDonation   uint16 = 10
)

// scale is the number of decimal places of points: the ledger counts
// hundredths of a point.
const scale = 2

// units converts points to the ledger's hundredths, refusing more decimal
// places than the ledger keeps (never rounding silently) and amounts it
// cannot hold.
func units(field string, d decimal.Decimal) (int64, error) {
	if d.Exponent() < -scale && !d.Equal(d.Round(scale)) {
		return 0, errs.Field(field, "has more than %d decimal places", scale)
	}
	u := d.Shift(scale)
	if !u.IsInteger() || u.Abs().GreaterThan(decimal.NewFromInt(math.MaxInt64/4)) {
		return 0, errs.Field(field, "is out of range")
	}
	return u.IntPart(), nil
}

// pts converts hundredths to points, in the form a decimal takes after a
// round trip through JSON, so that records compare equal once stored.
func pts(u int64) decimal.Decimal { return norm(decimal.New(u, -scale)) }

// norm writes a decimal the way its JSON reads back: "1.50" as 1.5.
func norm(d decimal.Decimal) decimal.Decimal { return decimal.RequireFromString(d.String()) }

func hash16(parts ...string) ledger.ID { return ledger.Derive(parts...) }

func owner(id string) ledger.ID { return ledger.Ref(id) }

func recordOf(id ledger.ID) string { return ledger.RecordOf(id) }

func accountID(community string, code uint16, ownerID string) ledger.ID {
	return hash16("account", community, fmt.Sprint(code), ownerID)
}

// transferID is the ID of a record's transfer for a purpose: derived, so
// a repeated command finds what it made, and from the community, so no
// two communities share one.
func transferID(community, record, purpose string) ledger.ID {
	return hash16("transfer", community, record, purpose)
}

// The accounts of a community.
func bankAccount(c string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountBank, ""), Ledger: LedgerPoints, Code: AccountBank, UserData128: owner(c)}
}

func passbookAccount(c, resident string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountPassbook, resident), Ledger: LedgerPoints, Code: AccountPassbook, UserData128: owner(resident),
		Flags: ledger.DebitsMustNotExceedCredits | ledger.History}
}

func redeemedAccount(c string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountRedeemed, ""), Ledger: LedgerPoints, Code: AccountRedeemed, UserData128: owner(c)}
}

func expiredAccount(c string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountExpired, ""), Ledger: LedgerPoints, Code: AccountExpired, UserData128: owner(c)}
}

func donatedAccount(c string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountDonated, ""), Ledger: LedgerStock, Code: AccountDonated, UserData128: owner(c)}
}

func shelfAccount(c, item string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountShelf, item), Ledger: LedgerStock, Code: AccountShelf, UserData128: owner(item),
		Flags: ledger.DebitsMustNotExceedCredits | ledger.History}
}

func handedOutAccount(c string) ledger.Account {
	return ledger.Account{ID: accountID(c, AccountHandedOut, ""), Ledger: LedgerStock, Code: AccountHandedOut, UserData128: owner(c)}
}

// booksOf is the community's ledger in tx.
func booksOf(tx Tx, community string) ledger.Books { return ledger.Books{Tx: tx.Ledger(community)} }
