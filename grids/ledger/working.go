package ledger

// A store that keeps the ledger in a database runs the same Engine over a
// batch's working set: it loads the accounts, transfers and failed IDs the
// batch refers to (locked), creates the transfers, and writes back what
// Changes reports. One set of rules for every store.

// LoadAccount adds a stored account, balances and all.
func (e *Engine) LoadAccount(a Account, lastChange int64) {
	if _, ok := e.accountIx[a.ID]; ok {
		return
	}
	e.accountIx[a.ID] = int32(len(e.accounts))
	e.accounts = append(e.accounts, a)
	e.latest = append(e.latest, -1)
	e.last = max(e.last, a.Timestamp, lastChange)
	if e.loaded != nil {
		e.loaded[a.ID] = a
	}
}

// LoadTransfer adds a stored transfer, with where it is if pending and
// what was posted of it.
func (e *Engine) LoadTransfer(t Transfer, status PendingStatus, posted int64) {
	if _, ok := e.transfer.get(t.ID); ok {
		return
	}
	idx := int32(e.transfers.len())
	e.transfers.append(t)
	e.status.append(status)
	e.transfer.add(t.ID, idx)
	if status == Posted {
		e.posted[idx] = posted
	}
	if status == StillPending && t.Timeout > 0 {
		e.pushDeadline(t.Timestamp+int64(t.Timeout)*1e9, idx)
	}
	e.last = max(e.last, t.Timestamp)
	e.base = e.transfers.len()
}

// LoadFailed adds an ID that failed.
func (e *Engine) LoadFailed(id ID, r Result) { e.failed[id] = r }

// Journal starts recording what changes, for Changes. Call it after
// loading.
func (e *Engine) Journal() {
	e.loaded = map[ID]Account{}
	for _, a := range e.accounts {
		e.loaded[a.ID] = a
	}
	e.base = e.transfers.len()
	e.journalHistory = e.history.len()
	e.journal = &Changes{}
}

// Changes is what a batch did: the transfers it created, the accounts
// whose balances moved, the pending transfers it resolved or expired, the
// IDs that failed, and the history lines of accounts that keep one.
type Changes struct {
	Transfers []Transfer
	Accounts  []Account
	Statuses  []StatusChange
	Failed    []FailedID
	History   []HistoryLine
}

// StatusChange is a pending transfer's new status.
type StatusChange struct {
	ID     ID
	Status PendingStatus
	Posted int64 // for Posted
	At     int64 // for Expired: when
}

// FailedID is an ID that failed, and why.
type FailedID struct {
	ID     ID
	Result Result
}

// HistoryLine is one line of an account's history.
type HistoryLine struct {
	Account  ID
	Transfer ID
	Expiry   bool
	Balance  Balance
}

// Changes returns what changed since Journal.
func (e *Engine) Changes() Changes {
	c := *e.journal
	for i := e.base; i < e.transfers.len(); i++ {
		c.Transfers = append(c.Transfers, *e.transfers.at(i))
	}
	for _, a := range e.accounts {
		if b := e.loaded[a.ID]; b.DebitsPending != a.DebitsPending || b.DebitsPosted != a.DebitsPosted ||
			b.CreditsPending != a.CreditsPending || b.CreditsPosted != a.CreditsPosted {
			c.Accounts = append(c.Accounts, a)
		}
	}
	for i := e.journalHistory; i < e.history.len(); i++ {
		h := e.history.at(i)
		c.History = append(c.History, HistoryLine{Account: e.accounts[h.account].ID, Transfer: e.transfers.at(int(h.transfer)).ID, Expiry: h.expiry, Balance: h.balance})
	}
	// Statuses of transfers created in this batch are in Transfers; keep
	// only those of transfers loaded.
	kept := c.Statuses[:0]
	for _, s := range c.Statuses {
		if p, ok := e.transfer.get(s.ID); ok && int(p) < e.base {
			kept = append(kept, s)
		}
	}
	c.Statuses = kept
	return c
}

// Now reads the engine's clock.
func (e *Engine) Now() int64 { return e.now() }
