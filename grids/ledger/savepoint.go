package ledger

// A store that keeps its ledger in an Engine (adapters/memstore) writes
// the ledger and its records in one transaction: Begin marks where the
// transaction started, and Rollback puts back everything changed since
// (accounts made, transfers created, pending transfers resolved or
// expired, IDs that failed), so a transaction that fails leaves no trace
// on the ledger either.

// savepoint holds the engine's state at Begin: the lengths of its logs
// and each pre-existing account or transfer as it was before its first
// change since.
type savepoint struct {
	accounts, transfers, history int
	deadlines                    []deadline
	touched                      map[int32]accountUndo
	statuses                     map[int32]savedStatus
	failed                       []ID
}

type savedStatus struct {
	status              PendingStatus
	posted, expiredAt   int64
	hadPosted, hadEnded bool
}

// Begin marks the start of a store transaction; Commit keeps what it did
// and Rollback undoes it. Transactions do not nest: Begin during one
// panics.
func (e *Engine) Begin() {
	if e.sp != nil {
		panic("ledger: Begin inside a transaction")
	}
	e.sp = &savepoint{accounts: len(e.accounts), transfers: e.transfers.len(), history: e.history.len(),
		deadlines: append([]deadline(nil), e.deadlines...), touched: map[int32]accountUndo{}, statuses: map[int32]savedStatus{}}
}

// InTransaction reports whether Begin was called without Commit or
// Rollback since.
func (e *Engine) InTransaction() bool { return e.sp != nil }

// Commit ends the transaction, keeping what it did.
func (e *Engine) Commit() { e.sp = nil }

// Rollback ends the transaction, undoing everything it did.
func (e *Engine) Rollback() {
	sp := e.sp
	if sp == nil {
		return
	}
	e.sp = nil
	for i, s := range sp.statuses {
		*e.status.at(int(i)) = s.status
		if s.hadPosted {
			e.posted[i] = s.posted
		} else {
			delete(e.posted, i)
		}
		if s.hadEnded {
			e.expiredAt[i] = s.expiredAt
		} else {
			delete(e.expiredAt, i)
		}
	}
	for i, a := range sp.touched {
		e.accounts[i] = a.before
		e.latest[i] = a.last
	}
	for i := e.transfers.len() - 1; i >= sp.transfers; i-- {
		e.transfer.remove(e.transfers.at(i).ID)
		delete(e.posted, int32(i))
		delete(e.expiredAt, int32(i))
	}
	e.transfers.truncate(sp.transfers)
	e.status.truncate(sp.transfers)
	e.history.truncate(sp.history)
	for _, a := range e.accounts[sp.accounts:] {
		delete(e.accountIx, a.ID)
	}
	e.accounts, e.latest = e.accounts[:sp.accounts], e.latest[:sp.accounts]
	for _, id := range sp.failed {
		delete(e.failed, id)
	}
	e.deadlines = sp.deadlines
}

// account saves an account that existed at Begin before its first change.
func (sp *savepoint) account(e *Engine, i int32) {
	if int(i) >= sp.accounts {
		return
	}
	if _, ok := sp.touched[i]; !ok {
		sp.touched[i] = accountUndo{account: i, before: e.accounts[i], last: e.latest[i]}
	}
}

// status saves a transfer that existed at Begin before its first change.
func (sp *savepoint) status(e *Engine, i int32) {
	if int(i) >= sp.transfers {
		return
	}
	if _, ok := sp.statuses[i]; !ok {
		posted, hadPosted := e.posted[i]
		ended, hadEnded := e.expiredAt[i]
		sp.statuses[i] = savedStatus{status: *e.status.at(int(i)), posted: posted, expiredAt: ended, hadPosted: hadPosted, hadEnded: hadEnded}
	}
}
