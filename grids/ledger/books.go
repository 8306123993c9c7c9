package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/linli-go/linli/internal/errs"
)

// Books is a community's ledger in a transaction as the domain packages
// keep it: accounts made where missing, chains of transfers posted with
// the failure that matters, accounts read by ID.
type Books struct{ Tx }

// Ensure creates the accounts that do not exist yet. An account of the
// same ID with other fields is a fault of the caller (IDs are derived
// from what the account is): an internal error.
func (b Books) Ensure(ctx context.Context, accounts ...Account) error {
	rs, err := b.CreateAccounts(ctx, accounts)
	if err != nil {
		return err
	}
	for i, r := range rs {
		if !r.Succeeded() {
			return errs.Internalf("ledger: account %s: %s", accounts[i].ID, r)
		}
	}
	return nil
}

// Failure is the transfer of a chain that failed on its own account (not
// as a consequence of another's failure), and why.
type Failure struct {
	Index  int
	Result Result
}

// Post creates transfers as one linked chain (if more than one), and
// returns nil when every one succeeded or already existed.
func (b Books) Post(ctx context.Context, ts ...Transfer) (*Failure, error) {
	for i := range ts[:len(ts)-1] {
		ts[i].Flags |= Linked
	}
	rs, err := b.CreateTransfers(ctx, ts)
	if err != nil {
		return nil, err
	}
	var first *Failure
	for i, r := range rs {
		if r.Succeeded() {
			continue
		}
		if r != LinkedEventFailed {
			return &Failure{i, r}, nil
		}
		if first == nil {
			first = &Failure{i, r}
		}
	}
	return first, nil
}

// Account reads an account; the zero Account if there is none.
func (b Books) Account(ctx context.Context, id ID) (Account, error) {
	as, err := b.LookupAccounts(ctx, []ID{id})
	if err != nil || len(as) == 0 {
		return Account{}, err
	}
	return as[0], nil
}

// Accounts reads accounts, by ID; missing ones are left out.
func (b Books) Accounts(ctx context.Context, ids []ID) (map[ID]Account, error) {
	as, err := b.LookupAccounts(ctx, ids)
	out := make(map[ID]Account, len(as))
	for _, a := range as {
		out[a.ID] = a
	}
	return out, err
}

// Derive is a stable ID made of parts (the first 16 bytes of their
// SHA-256): a repeated command derives the same IDs and finds what it made.
// Domain packages derive from the community and the record, so two
// communities never share an ID.
func Derive(parts ...string) ID {
	h := sha256.New()
	for _, p := range parts {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	var id ID
	copy(id[:], h.Sum(nil))
	return id
}

// Ref is a record's ID (a ULID) as user data; other strings are derived.
func Ref(id string) ID {
	u, err := ulid.ParseStrict(id)
	if err != nil {
		return Derive(id)
	}
	return ID(u)
}

// RecordOf turns user data made by Ref from a ULID back into the ID.
func RecordOf(id ID) string {
	if id.IsZero() {
		return ""
	}
	return ulid.ULID(id).String()
}

// VoidOf and PostOf resolve a pending transfer, under IDs derived from it.
func VoidOf(t Transfer) Transfer {
	return Transfer{ID: Derive(t.ID.String(), "void"), PendingID: t.ID, UserData128: t.UserData128, UserData64: t.UserData64,
		Ledger: t.Ledger, Code: t.Code, Flags: VoidPending}
}

func PostOf(t Transfer) Transfer {
	return Transfer{ID: Derive(t.ID.String(), "post"), PendingID: t.ID, UserData128: t.UserData128, UserData64: t.UserData64,
		Ledger: t.Ledger, Code: t.Code, Flags: PostPending}
}

// Nanos is t as the ledger's timestamps count it, in nanoseconds since
// 1970, clamped to what they hold (1970 to 2262) rather than wrapped.
func Nanos(t time.Time) int64 {
	switch {
	case !t.After(time.Unix(0, 0)):
		return 0
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
}
