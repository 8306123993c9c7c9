package ledger

import (
	"fmt"
	"slices"
)

// lines returns an account's history, newest first, while keep says so.
func (e *Engine) lines(account int32, keep func(*histEntry) bool) []*histEntry {
	var out []*histEntry
	for i := e.latest[account]; i >= 0; {
		h := e.history.at(int(i))
		if !keep(h) {
			break
		}
		out = append(out, h)
		i = h.prev
	}
	return out
}

// BalanceAt returns an account's balances as they were at a moment (after
// everything timestamped at or before it); false for an unknown account or
// one without History.
func (e *Engine) BalanceAt(id ID, at int64) (Balance, bool) {
	i, ok := e.accountIx[id]
	if !ok || e.accounts[i].Flags&History == 0 {
		return Balance{}, false
	}
	for j := e.latest[i]; j >= 0; {
		h := e.history.at(int(j))
		if h.balance.Timestamp <= at {
			return h.balance, true
		}
		j = h.prev
	}
	return Balance{Timestamp: e.accounts[i].Timestamp}, true
}

// Statement returns an account's history in [from, to], oldest first, at
// most limit lines (all if limit <= 0): each transfer or expiry with the
// balances after it; false for an unknown account or one without History.
func (e *Engine) Statement(id ID, from, to int64, limit int) ([]Entry, bool) {
	i, ok := e.accountIx[id]
	if !ok || e.accounts[i].Flags&History == 0 {
		return nil, false
	}
	newest := e.lines(i, func(h *histEntry) bool { return h.balance.Timestamp >= from })
	out := []Entry{}
	for k := len(newest) - 1; k >= 0; k-- {
		l := newest[k]
		if l.balance.Timestamp > to || limit > 0 && len(out) == limit {
			break
		}
		out = append(out, Entry{Transfer: *e.transfers.at(int(l.transfer)), Expiry: l.expiry, Balance: l.balance})
	}
	return out, true
}

// Verify checks the ledger's invariants: per ledger, debits equal credits
// (pending and posted apart); every account's balances equal a replay of
// the transfers and expiries; no limit is broken; no pending transfer was
// resolved twice or posted for more than it reserved. It returns the first
// broken one; Problems returns them all.
func (e *Engine) Verify() error {
	if ps := e.Problems(1); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Problems returns up to max (all if max <= 0) of the invariants Verify
// checks that the ledger breaks.
func (e *Engine) Problems(max int) []error {
	var out []error
	report := func(format string, args ...any) bool {
		out = append(out, fmt.Errorf(format, args...))
		return max > 0 && len(out) >= max
	}
	type sums struct{ dp, dpo, cp, cpo int64 }
	perLedger := map[uint32]*sums{}
	var ledgers []uint32
	for _, a := range e.accounts {
		s := perLedger[a.Ledger]
		if s == nil {
			s = &sums{}
			perLedger[a.Ledger] = s
			ledgers = append(ledgers, a.Ledger)
		}
		s.dp += a.DebitsPending
		s.dpo += a.DebitsPosted
		s.cp += a.CreditsPending
		s.cpo += a.CreditsPosted
		if a.Flags&DebitsMustNotExceedCredits != 0 && a.DebitsPending+a.DebitsPosted > a.CreditsPosted {
			if report("account %s: debits %d+%d exceed credits %d", a.ID, a.DebitsPending, a.DebitsPosted, a.CreditsPosted) {
				return out
			}
		}
		if a.Flags&CreditsMustNotExceedDebits != 0 && a.CreditsPending+a.CreditsPosted > a.DebitsPosted {
			if report("account %s: credits %d+%d exceed debits %d", a.ID, a.CreditsPending, a.CreditsPosted, a.DebitsPosted) {
				return out
			}
		}
	}
	slices.Sort(ledgers)
	for _, l := range ledgers {
		if s := perLedger[l]; s.dp != s.cp || s.dpo != s.cpo {
			if report("ledger %d: debits %d/%d, credits %d/%d (pending/posted)", l, s.dp, s.dpo, s.cp, s.cpo) {
				return out
			}
		}
	}
	replay := make([]Account, len(e.accounts))
	for i := range e.transfers.len() {
		t := *e.transfers.at(i)
		di, dok := e.accountIx[t.DebitAccountID]
		ci, cok := e.accountIx[t.CreditAccountID]
		if !dok || !cok {
			if report("transfer %s: an account it moves is missing", t.ID) {
				return out
			}
			continue
		}
		d, c := &replay[di], &replay[ci]
		switch {
		case t.Flags&Pending != 0:
			d.DebitsPending += t.Amount
			c.CreditsPending += t.Amount
			if st := *e.status.at(i); st != StillPending {
				// Resolved: its reservation is gone, by a post, a void or expiry.
				d.DebitsPending -= t.Amount
				c.CreditsPending -= t.Amount
				if st == Posted && e.posted[int32(i)] > t.Amount {
					if report("transfer %s: posted %d of a pending %d", t.ID, e.posted[int32(i)], t.Amount) {
						return out
					}
				}
			}
		case t.Flags&PostPending != 0:
			d.DebitsPosted += t.Amount
			c.CreditsPosted += t.Amount
		case t.Flags&VoidPending != 0:
		default:
			d.DebitsPosted += t.Amount
			c.CreditsPosted += t.Amount
		}
	}
	resolutions := map[ID]int{}
	for i := range e.transfers.len() {
		t := e.transfers.at(i)
		if t.Flags&(PostPending|VoidPending) != 0 {
			resolutions[t.PendingID]++
			if resolutions[t.PendingID] == 2 {
				if report("pending transfer %s resolved twice", t.PendingID) {
					return out
				}
			}
		}
	}
	for i, a := range e.accounts {
		r := replay[i]
		if a.DebitsPending != r.DebitsPending || a.DebitsPosted != r.DebitsPosted || a.CreditsPending != r.CreditsPending || a.CreditsPosted != r.CreditsPosted {
			if report("account %s: balances %d/%d/%d/%d, replay %d/%d/%d/%d", a.ID,
				a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted, r.DebitsPending, r.DebitsPosted, r.CreditsPending, r.CreditsPosted) {
				return out
			}
		}
	}
	return out
}

// Accounts returns every account, in the order they were created.
func (e *Engine) Accounts() []Account { return append([]Account(nil), e.accounts...) }

// Transfers returns every transfer, in the order they were created.
func (e *Engine) Transfers() []Transfer {
	out := make([]Transfer, e.transfers.len())
	for i := range out {
		out[i] = *e.transfers.at(i)
	}
	return out
}
