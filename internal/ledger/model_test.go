package ledger_test

import (
	"encoding/binary"
	"maps"
	"math"
	"math/bits"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/internal/ledger"
)

// model is the ledger's specification written the slow, obvious way: it
// predicts the result of every account and transfer and every balance.
// Linked chains are all-or-nothing by copying the whole state.
type model struct {
	now       int64
	accounts  map[ledger.ID]ledger.Account
	transfers map[ledger.ID]ledger.Transfer
	order     []ledger.ID
	status    map[ledger.ID]ledger.PendingStatus
	deadline  map[ledger.ID]int64
	failed    map[ledger.ID]ledger.Result
}

func newModel() *model {
	return &model{accounts: map[ledger.ID]ledger.Account{}, transfers: map[ledger.ID]ledger.Transfer{},
		status: map[ledger.ID]ledger.PendingStatus{}, deadline: map[ledger.ID]int64{}, failed: map[ledger.ID]ledger.Result{}}
}

func (m *model) clone() *model {
	return &model{now: m.now, accounts: maps.Clone(m.accounts), transfers: maps.Clone(m.transfers), order: append([]ledger.ID(nil), m.order...),
		status: maps.Clone(m.status), deadline: maps.Clone(m.deadline), failed: maps.Clone(m.failed)}
}

func (m *model) createAccount(a ledger.Account) ledger.Result {
	switch {
	case a.ID.IsZero():
		return ledger.IDMustNotBeZero
	case a.Timestamp != 0:
		return ledger.TimestampMustBeZero
	case a.Flags > 7:
		return ledger.ReservedFlag
	case a.Flags&3 == 3:
		return ledger.FlagsAreMutuallyExclusive
	case a.Ledger == 0:
		return ledger.LedgerMustNotBeZero
	case a.Code == 0:
		return ledger.CodeMustNotBeZero
	case a.DebitsPending|a.DebitsPosted|a.CreditsPending|a.CreditsPosted != 0:
		return ledger.AmountMustNotBeZero
	}
	if old, ok := m.accounts[a.ID]; ok {
		if old.UserData128 == a.UserData128 && old.UserData64 == a.UserData64 && old.Ledger == a.Ledger && old.Code == a.Code && old.Flags == a.Flags {
			return ledger.Exists
		}
		return ledger.ExistsWithDifferentFields
	}
	m.accounts[a.ID] = a
	return ledger.Ok
}

func (m *model) expire() {
	for id, at := range m.deadline {
		if at <= m.now && m.status[id] == ledger.StillPending {
			t := m.transfers[id]
			d, c := m.accounts[t.DebitAccountID], m.accounts[t.CreditAccountID]
			d.DebitsPending -= t.Amount
			c.CreditsPending -= t.Amount
			m.accounts[t.DebitAccountID], m.accounts[t.CreditAccountID] = d, c
			m.status[id] = ledger.Expired
		}
	}
}

func (m *model) createTransfers(ts []ledger.Transfer) []ledger.Result {
	m.expire()
	out := make([]ledger.Result, len(ts))
	for i := 0; i < len(ts); {
		// A chain: i..j, where j is the first not Linked (or the batch's end).
		j := i
		for j < len(ts)-1 && ts[j].Flags&ledger.Linked != 0 {
			j++
		}
		if ts[j].Flags&ledger.Linked != 0 {
			// The batch ends with this chain open: it fails whole, unrun.
			for k := i; k <= j; k++ {
				out[k] = ledger.LinkedEventFailed
			}
			out[j] = ledger.LinkedEventChainOpen
			break
		}
		if i == j {
			out[i] = m.one(ts[i])
			m.remember(ts[i], out[i])
			i++
			continue
		}
		saved := m.clone()
		failedAt := -1
		for k := i; k <= j; k++ {
			r := m.one(ts[k])
			if !r.Succeeded() {
				out[k], failedAt = r, k
				break
			}
			out[k] = r
		}
		if failedAt >= 0 {
			*m = *saved
			for k := i; k <= j; k++ {
				if k != failedAt {
					out[k] = ledger.LinkedEventFailed
				}
			}
			m.remember(ts[failedAt], out[failedAt])
		}
		i = j + 1
	}
	return out
}

func (m *model) remember(t ledger.Transfer, r ledger.Result) {
	switch r {
	case ledger.Ok, ledger.Exists, ledger.ExistsWithDifferentFields, ledger.IDAlreadyFailed, ledger.LinkedEventFailed, ledger.LinkedEventChainOpen, ledger.IDMustNotBeZero:
		return
	}
	m.failed[t.ID] = r
}

// resolved fills a post or void in from its pending transfer.
func (m *model) resolved(t ledger.Transfer) ledger.Transfer {
	p, ok := m.transfers[t.PendingID]
	if !ok {
		return t
	}
	t.DebitAccountID, t.CreditAccountID, t.Ledger = p.DebitAccountID, p.CreditAccountID, p.Ledger
	if t.Code == 0 {
		t.Code = p.Code
	}
	if t.Amount == 0 || t.Flags&ledger.VoidPending != 0 {
		t.Amount = p.Amount
	}
	return t
}

func (m *model) one(t ledger.Transfer) ledger.Result {
	switch {
	case t.ID.IsZero():
		return ledger.IDMustNotBeZero
	case t.Timestamp != 0:
		return ledger.TimestampMustBeZero
	case t.Flags > 15:
		return ledger.ReservedFlag
	}
	if old, ok := m.transfers[t.ID]; ok {
		want := t
		if want.Flags&(ledger.PostPending|ledger.VoidPending) != 0 {
			want = m.resolved(want)
		}
		old.Timestamp = 0
		if old == want {
			return ledger.Exists
		}
		return ledger.ExistsWithDifferentFields
	}
	if _, ok := m.failed[t.ID]; ok {
		return ledger.IDAlreadyFailed
	}
	if bits.OnesCount16(uint16(t.Flags&(ledger.Pending|ledger.PostPending|ledger.VoidPending))) > 1 {
		return ledger.FlagsAreMutuallyExclusive
	}
	if t.Flags&(ledger.PostPending|ledger.VoidPending) != 0 {
		switch {
		case t.PendingID.IsZero():
			return ledger.PendingIDMustNotBeZero
		case t.PendingID == t.ID:
			return ledger.PendingIDMustBeDifferent
		case t.Timeout != 0:
			return ledger.TimeoutReservedForPendingTransfer
		case t.Amount < 0:
			return ledger.AmountMustNotBeNegative
		}
		p, ok := m.transfers[t.PendingID]
		switch {
		case !ok:
			return ledger.PendingTransferNotFound
		case p.Flags&ledger.Pending == 0:
			return ledger.PendingTransferNotPending
		case !t.DebitAccountID.IsZero() && t.DebitAccountID != p.DebitAccountID || !t.CreditAccountID.IsZero() && t.CreditAccountID != p.CreditAccountID:
			return ledger.PendingTransferHasDifferentAccounts
		case t.Ledger != 0 && t.Ledger != p.Ledger:
			return ledger.PendingTransferHasDifferentLedger
		case m.status[p.ID] == ledger.Posted:
			return ledger.PendingTransferAlreadyPosted
		case m.status[p.ID] == ledger.Voided:
			return ledger.PendingTransferAlreadyVoided
		case m.status[p.ID] == ledger.Expired:
			return ledger.PendingTransferExpired
		}
		r := m.resolved(t)
		if t.Flags&ledger.PostPending != 0 && r.Amount > p.Amount || t.Flags&ledger.VoidPending != 0 && t.Amount != 0 && t.Amount != p.Amount {
			return ledger.ExceedsPendingTransferAmount
		}
		d, c := m.accounts[p.DebitAccountID], m.accounts[p.CreditAccountID]
		d.DebitsPending -= p.Amount
		c.CreditsPending -= p.Amount
		if t.Flags&ledger.PostPending != 0 {
			d.DebitsPosted += r.Amount
			c.CreditsPosted += r.Amount
			m.status[p.ID] = ledger.Posted
		} else {
			m.status[p.ID] = ledger.Voided
		}
		m.accounts[p.DebitAccountID], m.accounts[p.CreditAccountID] = d, c
		m.add(r)
		return ledger.Ok
	}
	switch {
	case !t.PendingID.IsZero():
		return ledger.PendingIDMustBeZero
	case t.Timeout != 0 && t.Flags&ledger.Pending == 0:
		return ledger.TimeoutReservedForPendingTransfer
	case t.Ledger == 0:
		return ledger.LedgerMustNotBeZero
	case t.Code == 0:
		return ledger.CodeMustNotBeZero
	case t.Amount < 0:
		return ledger.AmountMustNotBeNegative
	case t.Amount == 0:
		return ledger.AmountMustNotBeZero
	case t.DebitAccountID == t.CreditAccountID:
		return ledger.AccountsMustBeDifferent
	}
	d, ok := m.accounts[t.DebitAccountID]
	if !ok {
		return ledger.DebitAccountNotFound
	}
	c, ok := m.accounts[t.CreditAccountID]
	if !ok {
		return ledger.CreditAccountNotFound
	}
	switch {
	case d.Ledger != c.Ledger:
		return ledger.AccountsMustHaveTheSameLedger
	case t.Ledger != d.Ledger:
		return ledger.TransferMustHaveTheSameLedgerAsAccounts
	}
	a := t.Amount
	big := func(x, y int64) bool { return x > math.MaxInt64-a || y > math.MaxInt64-a || x+y > math.MaxInt64-a }
	switch {
	case big(d.DebitsPending, d.DebitsPosted) || big(c.CreditsPending, c.CreditsPosted):
		return ledger.Overflow
	case d.Flags&ledger.DebitsMustNotExceedCredits != 0 && d.DebitsPending+d.DebitsPosted+a > d.CreditsPosted:
		return ledger.ExceedsCredits
	case c.Flags&ledger.CreditsMustNotExceedDebits != 0 && c.CreditsPending+c.CreditsPosted+a > c.DebitsPosted:
		return ledger.ExceedsDebits
	}
	if t.Flags&ledger.Pending != 0 {
		d.DebitsPending += a
		c.CreditsPending += a
		m.status[t.ID] = ledger.StillPending
		if t.Timeout > 0 {
			m.deadline[t.ID] = m.now + int64(t.Timeout)*int64(time.Second) // the model's clock is the ledger's
		}
	} else {
		d.DebitsPosted += a
		c.CreditsPosted += a
	}
	m.accounts[t.DebitAccountID], m.accounts[t.CreditAccountID] = d, c
	m.add(t)
	return ledger.Ok
}

func (m *model) add(t ledger.Transfer) {
	m.transfers[t.ID] = t
	m.order = append(m.order, t.ID)
}

// ---- driving both from bytes ----

type reader struct{ b []byte }

func (r *reader) n(k int) int {
	if len(r.b) == 0 {
		return 0
	}
	v := int(r.b[0])
	r.b = r.b[1:]
	return v % k
}

func (r *reader) u16() int {
	if len(r.b) < 2 {
		return 0
	}
	v := int(binary.LittleEndian.Uint16(r.b))
	r.b = r.b[2:]
	return v
}

func id(n int) ledger.ID {
	var x ledger.ID
	if n > 0 {
		x[15] = byte(n)
		x[14] = byte(n >> 8)
	}
	return x
}

// check runs a sequence drawn from data on the engine and the model and
// requires identical replies, balances and invariants throughout.
func check(t *testing.T, data []byte) {
	checkOn(t, data, func(now func() int64) subject { return engineSubject{ledger.NewEngine(now)} })
	checkOn(t, data, func(now func() int64) subject { return newWorkingSet(now) })
}

// subject is a ledger under test: the engine itself, or a store that runs
// it over each batch's working set.
type subject interface {
	CreateAccounts([]ledger.Account, []ledger.Result) []ledger.Result
	CreateTransfers([]ledger.Transfer, []ledger.Result) []ledger.Result
	Account(ledger.ID) (ledger.Account, bool)
	PendingStatus(ledger.ID) ledger.PendingStatus
	Verify() error
	Count() int
}

type engineSubject struct{ *ledger.Engine }

func (e engineSubject) Count() int { return len(e.Transfers()) }

func checkOn(t *testing.T, data []byte, newSubject func(now func() int64) subject) {
	r := &reader{b: data}
	// The engine's clock is stepped exactly like the model's: one tick per
	// record, and jumps between batches, so deadlines agree.
	var clock int64 = 1
	e := newSubject(func() int64 { return clock })
	m := newModel()
	accounts := []ledger.Account{
		{ID: id(1), Ledger: 1, Code: 1, Flags: ledger.DebitsMustNotExceedCredits | ledger.History},
		{ID: id(2), Ledger: 1, Code: 1, Flags: ledger.History},
		{ID: id(3), Ledger: 1, Code: 2, Flags: ledger.CreditsMustNotExceedDebits},
		{ID: id(4), Ledger: 2, Code: 1, Flags: ledger.DebitsMustNotExceedCredits},
		{ID: id(5), Ledger: 2, Code: 1},
		{ID: id(1), Ledger: 1, Code: 1, Flags: ledger.DebitsMustNotExceedCredits | ledger.History}, // exists
		{ID: id(2), Ledger: 2, Code: 1},                                                            // exists with different fields
		{ID: id(6), Ledger: 0, Code: 1},
	}
	got := e.CreateAccounts(accounts, nil)
	for i, a := range accounts {
		require.Equal(t, m.createAccount(a), got[i], "account %d", i)
	}
	amounts := []int64{1, 2, 5, 10, 0, -1, math.MaxInt64 - 3}
	var results []ledger.Result
	var sent []ledger.Transfer
	var pendings []ledger.ID
	for batch := 0; len(r.b) > 0 && batch < 64; batch++ {
		n := 1 + r.n(6)
		ts := make([]ledger.Transfer, n)
		for i := range ts {
			tr := ledger.Transfer{ID: id(1 + r.n(40)), DebitAccountID: id(r.n(7)), CreditAccountID: id(r.n(7)), Amount: amounts[r.n(len(amounts))],
				Ledger: uint32(r.n(3)), Code: uint16(r.n(3)), Flags: ledger.TransferFlags(r.n(20))}
			switch r.n(10) { // mostly plain and pending transfers
			case 0, 1, 2, 3, 4:
				tr.Flags = 0
			case 5, 6, 7:
				tr.Flags = ledger.Pending
			}
			if tr.Flags&(ledger.PostPending|ledger.VoidPending) != 0 || r.n(10) == 0 {
				tr.PendingID = id(1 + r.n(40))
			}
			if r.n(3) == 0 {
				tr.Timeout = uint32(r.n(3))
			}
			if r.n(3) == 0 { // a fully formed transfer, to get past validation often
				tr.Ledger, tr.Code, tr.DebitAccountID, tr.CreditAccountID, tr.PendingID = 1, 1, id(2), id(1+2*r.n(2)), ledger.ID{}
				if tr.Amount <= 0 {
					tr.Amount = 1
				}
			}
			if len(pendings) > 0 && r.n(4) == 0 { // resolve a pending transfer
				tr = ledger.Transfer{ID: id(1 + r.n(40)), PendingID: pendings[r.n(len(pendings))], Amount: []int64{0, 1, 3, 20}[r.n(4)],
					Flags: []ledger.TransferFlags{ledger.PostPending, ledger.VoidPending}[r.n(2)]}
				if r.n(4) == 0 {
					tr.Flags |= ledger.Linked
				}
			}
			if len(sent) > 0 && r.n(6) == 0 { // a retry, as it was or changed
				tr = sent[r.n(len(sent))]
				if r.n(3) == 0 {
					tr.UserData32++
				}
			}
			ts[i] = tr
			sent = append(sent, tr)
		}
		if n > 1 && r.n(4) == 0 { // a well-formed chain, which may hold
			for i := range ts {
				ts[i] = ledger.Transfer{ID: id(41 + r.n(200)), DebitAccountID: id(2), CreditAccountID: id(1 + 2*r.n(2)), Amount: int64(1 + r.n(5)), Ledger: 1, Code: 1}
				if i < len(ts)-1 {
					ts[i].Flags = ledger.Linked
				}
			}
		}
		// Up to 3 s, so timeouts of 1 and 2 s expire sometimes; the extra
		// microsecond keeps a deadline from falling exactly on a batch,
		// where the model's and the ledger's nanosecond stamps differ.
		clock += int64(r.u16()%3000)*int64(time.Millisecond) + int64(time.Microsecond)
		m.now = clock
		want := m.createTransfers(ts)
		results = e.CreateTransfers(ts, results)
		require.Equal(t, want, results, "batch %d: %+v", batch, ts)
		for i, res := range results {
			if res == ledger.Ok && ts[i].Flags&ledger.Pending != 0 {
				pendings = append(pendings, ts[i].ID)
			}
			coverage[res]++
			if res == ledger.Ok && ts[i].Flags&ledger.Linked != 0 {
				coverage[linkedOk]++
			}
			if res == ledger.Ok && ts[i].Flags&ledger.PostPending != 0 {
				coverage[postedOk]++
			}
			if res == ledger.Ok && ts[i].Flags&ledger.VoidPending != 0 {
				coverage[voidedOk]++
			}
		}
		for _, a := range accounts[:5] {
			have, _ := e.Account(a.ID)
			exp := m.accounts[a.ID]
			require.Equal(t, [4]int64{exp.DebitsPending, exp.DebitsPosted, exp.CreditsPending, exp.CreditsPosted},
				[4]int64{have.DebitsPending, have.DebitsPosted, have.CreditsPending, have.CreditsPosted}, "batch %d: account %d", batch, a.ID[15])
		}
		require.NoError(t, e.Verify(), "batch %d", batch)
		for i, tr := range ts {
			if results[i] == ledger.Ok && tr.Flags&ledger.Pending != 0 {
				require.Equal(t, ledger.StillPending, e.PendingStatus(tr.ID))
			}
		}
	}
	require.Equal(t, e.Count(), len(m.order), "the same transfers were created")
}

// coverage counts the results the sequences reached, so a test can
// require that they reach the interesting ones.
var coverage = map[ledger.Result]int{}

// Pseudo-results for coverage: linked, posted and voided transfers that
// succeeded.
const (
	linkedOk ledger.Result = 200 + iota
	postedOk
	voidedOk
)

func FuzzLedgerAgainstModel(f *testing.F) {
	f.Add([]byte{3, 1, 2, 1, 1, 5, 0, 0, 1, 0, 0, 0, 0})
	f.Add([]byte{200, 7, 13, 2, 1, 1, 3, 2, 1, 9, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Fuzz(check)
}

// TestLedgerAgainstModel drives many random sequences through both.
func TestLedgerAgainstModel(t *testing.T) {
	for seed := range 400 {
		data := make([]byte, 600)
		x := uint64(seed)*0x9e3779b97f4a7c15 + 1
		for i := range data {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			data[i] = byte(x)
		}
		check(t, data)
	}
	for _, r := range []ledger.Result{ledger.Ok, ledger.Exists, ledger.ExistsWithDifferentFields, ledger.IDAlreadyFailed, ledger.LinkedEventFailed,
		ledger.LinkedEventChainOpen, ledger.ExceedsCredits, ledger.ExceedsDebits, ledger.Overflow, ledger.PendingTransferAlreadyPosted,
		ledger.PendingTransferAlreadyVoided, ledger.PendingTransferExpired, ledger.ExceedsPendingTransferAmount, linkedOk, postedOk, voidedOk} {
		require.Positive(t, coverage[r], "the sequences reach %v: %v", r, coverage)
	}
}
