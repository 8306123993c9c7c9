package ledgertest

import (
	"maps"
	"math"
	"math/bits"
	"time"

	"github.com/linli-go/linli/grids/ledger"
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
	if _, ok := m.failed[t.ID]; !ok {
		m.failed[t.ID] = r
	}
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
