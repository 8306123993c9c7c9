package ledger

import (
	"container/heap"
	"math"
	"math/bits"
	"time"
)

// Engine is the ledger as a state machine in memory: accounts, the
// append-only log of transfers, the IDs that failed, pending transfers and
// their deadlines, and each account's history of balances. It is not safe
// for concurrent use; Memory wraps it with a lock, and the SQL stores run
// the same rules in their transactions.
type Engine struct {
	now       func() int64
	clock     int64 // now, read once per call
	last      int64 // the last timestamp given out
	accounts  []Account
	accountIx map[ID]int32
	transfers chunks[Transfer]
	status    chunks[PendingStatus] // per transfer: where a pending one is
	posted    map[int32]int64       // per posted pending transfer: the amount posted
	expiredAt map[int32]int64       // per expired pending transfer: when
	transfer  idIndex               // transfer ID → its place in the log
	failed    map[ID]Result
	// history is every account's balances after each change, in one
	// append-only log; each entry points back to the account's previous
	// one, and latest[account] to its newest (-1 for none).
	history chunks[histEntry]
	latest  []int32

	deadlines deadlineHeap
	undo      undoLog
	sp        *savepoint // a store transaction's, if one is open (Begin)

	// For stores that run the engine over a batch's working set (Journal).
	loaded         map[ID]Account
	base           int // transfers before the batch
	journal        *Changes
	journalHistory int
}

// histEntry is one line of an account's history: the transfer (or the
// expiry of a pending one) and the balances after it.
type histEntry struct {
	transfer int32
	account  int32
	prev     int32 // the account's previous entry, -1 for none
	expiry   bool
	balance  Balance
}

// NewEngine returns an empty ledger whose clock is now (nanoseconds);
// time.Now if nil.
func NewEngine(now func() int64) *Engine {
	if now == nil {
		now = func() int64 { return time.Now().UnixNano() }
	}
	return &Engine{now: now, accountIx: map[ID]int32{}, failed: map[ID]Result{},
		posted: map[int32]int64{}, expiredAt: map[int32]int64{}}
}

// tick gives out the next timestamp: the clock, but always after the last.
func (e *Engine) tick() int64 {
	t := e.clock
	if t <= e.last {
		t = e.last + 1
	}
	e.last = t
	return t
}

// CreateAccounts creates accounts, appending one result per account to
// results (whose backing array is reused) and returning it.
func (e *Engine) CreateAccounts(accounts []Account, results []Result) []Result {
	e.clock = e.now()
	results = results[:0]
	for _, a := range accounts {
		results = append(results, e.createAccount(a))
	}
	return results
}

func (e *Engine) createAccount(a Account) Result {
	switch {
	case a.ID.IsZero():
		return IDMustNotBeZero
	case a.Timestamp != 0:
		return TimestampMustBeZero
	case a.Flags&^accountFlagsMask != 0:
		return ReservedFlag
	case a.Flags&DebitsMustNotExceedCredits != 0 && a.Flags&CreditsMustNotExceedDebits != 0:
		return FlagsAreMutuallyExclusive
	case a.Ledger == 0:
		return LedgerMustNotBeZero
	case a.Code == 0:
		return CodeMustNotBeZero
	case a.DebitsPending != 0 || a.DebitsPosted != 0 || a.CreditsPending != 0 || a.CreditsPosted != 0:
		return AmountMustNotBeZero // balances start at zero: money arrives by transfer
	}
	if i, ok := e.accountIx[a.ID]; ok {
		old := e.accounts[i]
		if old.UserData128 == a.UserData128 && old.UserData64 == a.UserData64 && old.Ledger == a.Ledger && old.Code == a.Code && old.Flags == a.Flags {
			return Exists
		}
		return ExistsWithDifferentFields
	}
	a.Timestamp = e.tick()
	e.accountIx[a.ID] = int32(len(e.accounts))
	e.accounts = append(e.accounts, a)
	e.latest = append(e.latest, -1)
	return Ok
}

// Account returns an account by ID.
func (e *Engine) Account(id ID) (Account, bool) {
	i, ok := e.accountIx[id]
	if !ok {
		return Account{}, false
	}
	return e.accounts[i], true
}

// Transfer returns a created transfer by ID.
func (e *Engine) Transfer(id ID) (Transfer, bool) {
	i, ok := e.transfer.get(id)
	if !ok {
		return Transfer{}, false
	}
	return *e.transfers.at(int(i)), true
}

// PendingStatus returns where a pending transfer is.
func (e *Engine) PendingStatus(id ID) PendingStatus {
	i, ok := e.transfer.get(id)
	if !ok {
		return NotPending
	}
	return *e.status.at(int(i))
}

// Failed returns the result an ID failed with, if it did.
func (e *Engine) Failed(id ID) (Result, bool) {
	r, ok := e.failed[id]
	return r, ok
}

// CreateTransfers creates transfers in order, appending one result per
// transfer to results (whose backing array is reused) and returning it.
// Pending transfers whose time is up expire first.
func (e *Engine) CreateTransfers(transfers []Transfer, results []Result) []Result {
	results = results[:0]
	e.Expire()
	// A batch ending in an open chain: that chain fails whole, unrun.
	open := len(transfers)
	for open > 0 && transfers[open-1].Flags&Linked != 0 {
		open--
	}
	chainStart := -1
	for i := range transfers {
		if len(results) > i {
			continue // a failed chain's later members: their results are written
		}
		if i >= open {
			results = append(results, LinkedEventFailed)
			if i == len(transfers)-1 {
				results[i] = LinkedEventChainOpen
			}
			continue
		}
		t := &transfers[i]
		if chainStart < 0 && t.Flags&Linked != 0 {
			chainStart = i
			e.undo.begin(e)
		}
		inChain := chainStart >= 0
		r := e.createTransfer(t, inChain)
		if !inChain {
			e.recordFailure(t, r)
			results = append(results, r)
			continue
		}
		results = append(results, r)
		if !r.Succeeded() {
			e.failChain(transfers, results[:i+1], chainStart, i, r)
			// Mark the rest of the chain, up to its last member (which is
			// closed: open chains were handled above).
			for j := i; transfers[j].Flags&Linked != 0; j++ {
				results = append(results, LinkedEventFailed)
			}
			chainStart = -1
			continue
		}
		if t.Flags&Linked == 0 { // the chain's last member: it holds
			chainStart = -1
			e.undo.active = false
		}
	}
	return results
}

// failChain undoes the members of a chain before the one that failed, and
// writes their results.
func (e *Engine) failChain(transfers []Transfer, results []Result, start, failedAt int, r Result) {
	e.undo.rollback(e)
	for k := start; k < failedAt; k++ {
		results[k] = LinkedEventFailed
	}
	results[failedAt] = r
	e.recordFailure(&transfers[failedAt], r)
}

// recordFailure remembers an ID that failed, so a retry cannot succeed
// later by chance.
func (e *Engine) recordFailure(t *Transfer, r Result) {
	switch r {
	case Ok, Exists, ExistsWithDifferentFields, IDAlreadyFailed, LinkedEventFailed, LinkedEventChainOpen, IDMustNotBeZero:
		return
	}
	if _, ok := e.failed[t.ID]; ok {
		return // failed before (a malformed retry is refused before the lookup)
	}
	e.failed[t.ID] = r
	if e.sp != nil {
		e.sp.failed = append(e.sp.failed, t.ID)
	}
	if e.journal != nil {
		e.journal.Failed = append(e.journal.Failed, FailedID{ID: t.ID, Result: r})
	}
}

// sameTransfer compares what a caller set.
func sameTransfer(a, b *Transfer) bool {
	return a.DebitAccountID == b.DebitAccountID && a.CreditAccountID == b.CreditAccountID && a.Amount == b.Amount &&
		a.PendingID == b.PendingID && a.UserData128 == b.UserData128 && a.UserData64 == b.UserData64 && a.UserData32 == b.UserData32 &&
		a.Timeout == b.Timeout && a.Ledger == b.Ledger && a.Code == b.Code && a.Flags == b.Flags
}

// createTransfer checks one transfer and applies it.
func (e *Engine) createTransfer(t *Transfer, undoable bool) Result {
	switch {
	case t.ID.IsZero():
		return IDMustNotBeZero
	case t.Timestamp != 0:
		return TimestampMustBeZero
	case t.Flags&^transferFlagsMask != 0:
		return ReservedFlag
	}
	place, found := int32(0), false
	if !e.transfer.isNew(t.ID) {
		place, found = e.transfer.get(t.ID)
	}
	if found {
		have := e.transfers.at(int(place))
		want := *t
		if want.Flags&(PostPending|VoidPending) != 0 {
			want = e.resolved(want)
		}
		if sameTransfer(have, &want) {
			return Exists
		}
		return ExistsWithDifferentFields
	}
	if _, ok := e.failed[t.ID]; ok {
		return IDAlreadyFailed
	}
	if bits.OnesCount16(uint16(t.Flags&(Pending|PostPending|VoidPending))) > 1 {
		return FlagsAreMutuallyExclusive
	}
	if t.Flags&(PostPending|VoidPending) != 0 {
		return e.resolvePending(t, undoable)
	}
	switch {
	case !t.PendingID.IsZero():
		return PendingIDMustBeZero
	case t.Timeout != 0 && t.Flags&Pending == 0:
		return TimeoutReservedForPendingTransfer
	case t.Ledger == 0:
		return LedgerMustNotBeZero
	case t.Code == 0:
		return CodeMustNotBeZero
	case t.Amount < 0:
		return AmountMustNotBeNegative
	case t.Amount == 0:
		return AmountMustNotBeZero
	case t.DebitAccountID == t.CreditAccountID:
		return AccountsMustBeDifferent
	}
	di, ok := e.accountIx[t.DebitAccountID]
	if !ok {
		return DebitAccountNotFound
	}
	ci, ok := e.accountIx[t.CreditAccountID]
	if !ok {
		return CreditAccountNotFound
	}
	dr, cr := &e.accounts[di], &e.accounts[ci]
	if dr.Ledger != cr.Ledger {
		return AccountsMustHaveTheSameLedger
	}
	if t.Ledger != dr.Ledger {
		return TransferMustHaveTheSameLedgerAsAccounts
	}
	a := t.Amount
	pending := t.Flags&Pending != 0
	if overflows(dr.DebitsPending, dr.DebitsPosted, a) || overflows(cr.CreditsPending, cr.CreditsPosted, a) {
		return Overflow
	}
	if dr.Flags&DebitsMustNotExceedCredits != 0 && dr.DebitsPending+dr.DebitsPosted+a > dr.CreditsPosted {
		return ExceedsCredits
	}
	if cr.Flags&CreditsMustNotExceedDebits != 0 && cr.CreditsPending+cr.CreditsPosted+a > cr.DebitsPosted {
		return ExceedsDebits
	}
	if undoable {
		e.undo.touch(e, di)
		e.undo.touch(e, ci)
	}
	if e.sp != nil {
		e.sp.account(e, di)
		e.sp.account(e, ci)
	}
	if pending {
		dr.DebitsPending += a
		cr.CreditsPending += a
	} else {
		dr.DebitsPosted += a
		cr.CreditsPosted += a
	}
	at := e.append(*t, di, ci, StillPendingIf(pending))
	if pending && t.Timeout > 0 {
		e.pushDeadline(at+int64(t.Timeout)*int64(time.Second), int32(e.transfers.len()-1))
	}
	return Ok
}

func (e *Engine) pushDeadline(at int64, transfer int32) {
	heap.Push(&e.deadlines, deadline{at: at, transfer: transfer})
}

// resolved fills in what a post or void leaves out from its pending
// transfer: accounts, ledger, code, and the amount (all of it, for a post
// of 0 or a void).
func (e *Engine) resolved(t Transfer) Transfer {
	pi, ok := e.transfer.get(t.PendingID)
	if !ok {
		return t
	}
	return resolve(t, e.transfers.at(int(pi)))
}

// resolve is post or void t as stored: what it leaves out taken from its
// pending transfer p.
func resolve(t Transfer, p *Transfer) Transfer {
	t.DebitAccountID, t.CreditAccountID, t.Ledger = p.DebitAccountID, p.CreditAccountID, p.Ledger
	if t.Code == 0 {
		t.Code = p.Code
	}
	if t.Amount == 0 || t.Flags&VoidPending != 0 {
		t.Amount = p.Amount
	}
	return t
}

// StillPendingIf is StillPending for a pending transfer, NotPending
// otherwise.
func StillPendingIf(pending bool) PendingStatus {
	if pending {
		return StillPending
	}
	return NotPending
}

// overflows reports whether adding a to both balances (and their sum)
// leaves int64.
func overflows(pending, posted, a int64) bool {
	return pending > math.MaxInt64-a || posted > math.MaxInt64-a || pending+posted > math.MaxInt64-a
}

// append stamps t, logs it and adds it to both accounts' histories,
// returning its timestamp.
func (e *Engine) append(t Transfer, di, ci int32, status PendingStatus) int64 {
	t.Timestamp = e.tick()
	idx := int32(e.transfers.len())
	e.transfers.append(t)
	e.status.append(status)
	e.transfer.add(t.ID, idx)
	e.note(di, idx, false, t.Timestamp)
	e.note(ci, idx, false, t.Timestamp)
	return t.Timestamp
}

// note adds a line to an account's history.
func (e *Engine) note(account, transfer int32, expiry bool, at int64) {
	a := &e.accounts[account]
	if a.Flags&History == 0 {
		return
	}
	e.history.append(histEntry{transfer: transfer, account: account, prev: e.latest[account], expiry: expiry,
		balance: Balance{Timestamp: at, DebitsPending: a.DebitsPending, DebitsPosted: a.DebitsPosted, CreditsPending: a.CreditsPending, CreditsPosted: a.CreditsPosted}})
	e.latest[account] = int32(e.history.len() - 1)
}

// resolvePending posts or voids a pending transfer, exactly once.
func (e *Engine) resolvePending(t *Transfer, undoable bool) Result {
	switch {
	case t.PendingID.IsZero():
		return PendingIDMustNotBeZero
	case t.PendingID == t.ID:
		return PendingIDMustBeDifferent
	case t.Timeout != 0:
		return TimeoutReservedForPendingTransfer
	case t.Amount < 0:
		return AmountMustNotBeNegative
	}
	pi, ok := e.transfer.get(t.PendingID)
	if !ok {
		return PendingTransferNotFound
	}
	p := e.transfers.at(int(pi))
	if p.Flags&Pending == 0 {
		return PendingTransferNotPending
	}
	if !t.DebitAccountID.IsZero() && t.DebitAccountID != p.DebitAccountID || !t.CreditAccountID.IsZero() && t.CreditAccountID != p.CreditAccountID {
		return PendingTransferHasDifferentAccounts
	}
	if t.Ledger != 0 && t.Ledger != p.Ledger {
		return PendingTransferHasDifferentLedger
	}
	switch *e.status.at(int(pi)) {
	case Posted:
		return PendingTransferAlreadyPosted
	case Voided:
		return PendingTransferAlreadyVoided
	case Expired:
		return PendingTransferExpired
	}
	amount := t.Amount
	if t.Flags&PostPending != 0 {
		if amount == 0 {
			amount = p.Amount
		}
		if amount > p.Amount {
			return ExceedsPendingTransferAmount
		}
	} else if amount != 0 && amount != p.Amount {
		return ExceedsPendingTransferAmount
	}
	di, ci := e.accountIx[p.DebitAccountID], e.accountIx[p.CreditAccountID]
	dr, cr := &e.accounts[di], &e.accounts[ci]
	if undoable {
		e.undo.touch(e, di)
		e.undo.touch(e, ci)
		e.undo.status(e, pi)
	}
	if e.sp != nil {
		e.sp.account(e, di)
		e.sp.account(e, ci)
		e.sp.status(e, pi)
	}
	st := e.status.at(int(pi))
	dr.DebitsPending -= p.Amount
	cr.CreditsPending -= p.Amount
	if t.Flags&PostPending != 0 {
		dr.DebitsPosted += amount
		cr.CreditsPosted += amount
		*st = Posted
		e.posted[pi] = amount
	} else {
		*st = Voided
	}
	if e.journal != nil {
		e.journal.Statuses = append(e.journal.Statuses, StatusChange{ID: p.ID, Status: *st, Posted: e.posted[pi]})
	}
	// Stored resolved: the accounts, ledger, code and amount it moved.
	e.append(e.resolved(*t), di, ci, NotPending)
	return Ok
}

// Expire ends the pending transfers whose time is up: their reservations
// are released, and the expiry is a line in both accounts' histories.
func (e *Engine) Expire() {
	e.clock = e.now()
	now := e.clock
	for len(e.deadlines) > 0 && e.deadlines[0].at <= now {
		d := heap.Pop(&e.deadlines).(deadline)
		st := e.status.at(int(d.transfer))
		if *st != StillPending {
			continue
		}
		p := e.transfers.at(int(d.transfer))
		di, ci := e.accountIx[p.DebitAccountID], e.accountIx[p.CreditAccountID]
		if e.sp != nil {
			e.sp.account(e, di)
			e.sp.account(e, ci)
			e.sp.status(e, d.transfer)
		}
		e.accounts[di].DebitsPending -= p.Amount
		e.accounts[ci].CreditsPending -= p.Amount
		*st = Expired
		at := e.tick()
		e.expiredAt[d.transfer] = at
		if e.journal != nil {
			e.journal.Statuses = append(e.journal.Statuses, StatusChange{ID: p.ID, Status: Expired, At: at})
		}
		e.note(di, d.transfer, true, at)
		e.note(ci, d.transfer, true, at)
	}
}

// ---- deadlines ----

type deadline struct {
	at       int64
	transfer int32
}

type deadlineHeap []deadline

func (h deadlineHeap) Len() int           { return len(h) }
func (h deadlineHeap) Less(i, j int) bool { return h[i].at < h[j].at }
func (h deadlineHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *deadlineHeap) Push(x any)        { *h = append(*h, x.(deadline)) }
func (h *deadlineHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// ---- undo, for linked chains ----

// undoLog records what a linked chain changed, so a chain that fails
// leaves everything exactly as it was.
type undoLog struct {
	active    bool
	transfers int // e.transfers.len() when the chain began
	history   int
	deadlines int
	journal   int // len(e.journal.Statuses)
	accounts  []accountUndo
	statuses  []statusUndo
}

type accountUndo struct {
	account int32
	before  Account
	last    int32
}

type statusUndo struct {
	transfer int32
	before   PendingStatus
	posted   int64
	had      bool
}

func (u *undoLog) begin(e *Engine) {
	u.active, u.transfers, u.history, u.deadlines = true, e.transfers.len(), e.history.len(), len(e.deadlines)
	if e.journal != nil {
		u.journal = len(e.journal.Statuses)
	}
	u.accounts, u.statuses = u.accounts[:0], u.statuses[:0]
}

func (u *undoLog) touch(e *Engine, account int32) {
	for _, a := range u.accounts {
		if a.account == account {
			return
		}
	}
	u.accounts = append(u.accounts, accountUndo{account: account, before: e.accounts[account], last: e.latest[account]})
}

func (u *undoLog) status(e *Engine, transfer int32) {
	posted, had := e.posted[transfer]
	u.statuses = append(u.statuses, statusUndo{transfer: transfer, before: *e.status.at(int(transfer)), posted: posted, had: had})
}

func (u *undoLog) rollback(e *Engine) {
	if !u.active {
		return
	}
	for i := len(u.statuses) - 1; i >= 0; i-- {
		s := u.statuses[i]
		*e.status.at(int(s.transfer)) = s.before
		if s.had {
			e.posted[s.transfer] = s.posted
		} else {
			delete(e.posted, s.transfer)
		}
	}
	for _, a := range u.accounts {
		e.accounts[a.account] = a.before
		e.latest[a.account] = a.last
	}
	e.history.truncate(u.history)
	if e.journal != nil {
		e.journal.Statuses = e.journal.Statuses[:u.journal]
	}
	for i := e.transfers.len() - 1; i >= u.transfers; i-- {
		e.transfer.remove(e.transfers.at(i).ID)
	}
	e.transfers.truncate(u.transfers)
	e.status.truncate(u.transfers)
	// Deadlines pushed by the chain point at transfers that are gone.
	kept := e.deadlines[:0]
	for _, d := range e.deadlines {
		if int(d.transfer) < u.transfers {
			kept = append(kept, d)
		}
	}
	e.deadlines = kept
	heap.Init(&e.deadlines)
	u.active = false
}
