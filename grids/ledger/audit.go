package ledger

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Audit is what an audit of a community's books found: every place where
// its records and its ledger disagree. Sound books have none.
type Audit struct {
	CommunityID   string         `json:"community_id"`
	At            time.Time      `json:"at"`
	Records       int            `json:"records"`   // the records that say what the ledger holds
	Transfers     int            `json:"transfers"` // the community's transfers read
	Disagreements []Disagreement `json:"disagreements"`
}

// AuditBooks reads a community's ledger (tx, in the transaction its
// records are read in, for one snapshot of both) and reconciles it on the
// given ledgers with the transfers the records say it holds: expected
// returns them and how many records said so.
func AuditBooks(ctx context.Context, tx Tx, community string, at time.Time, expected func() ([]Expected, int, error), ledgers ...uint32) (Audit, error) {
	a := Audit{CommunityID: community, At: at, Disagreements: []Disagreement{}}
	snap, err := tx.Snapshot(ctx)
	if err != nil {
		return a, err
	}
	want, n, err := expected()
	if err != nil {
		return a, err
	}
	a.Records, a.Transfers = n, len(snap.Transfers)
	if ds := Reconcile(snap, want, ledgers...); len(ds) > 0 {
		a.Disagreements = ds
	}
	return a, nil
}

// Expected is a transfer that a record says the ledger holds: the record's
// own, as the command that made it posted it. Posts and voids may leave
// out what they take from their pending transfer (accounts, amount), as
// PostOf and VoidOf do.
type Expected struct {
	Transfer Transfer
	// Status is where a pending transfer may be, by the record's state
	// (a reservation past its time may be pending or expired); nil for
	// a transfer that is not pending.
	Status []PendingStatus
	// Record names what explains it, for the report: "exchange 01J…".
	Record string
}

// Disagreement is one place where the records and the ledger disagree,
// or where the ledger breaks its own invariants.
type Disagreement struct {
	Transfer string `json:"transfer_id,omitempty"`
	Record   string `json:"record,omitempty"`
	Problem  string `json:"problem"`
}

func (d Disagreement) String() string {
	s := d.Problem
	if d.Record != "" {
		s = d.Record + ": " + s
	}
	if d.Transfer != "" {
		s += " (transfer " + d.Transfer + ")"
	}
	return s
}

// Check verifies a snapshot's invariants (see Engine.Verify): balances
// that equal a replay of the transfers, debits that equal credits per
// ledger, no limit broken.
func Check(s Snapshot) []Disagreement {
	e := NewEngine(nil)
	for _, a := range s.Accounts {
		e.LoadAccount(a, 0)
	}
	for _, t := range s.Transfers {
		e.LoadTransfer(t.Transfer, t.Status, t.Posted)
	}
	var out []Disagreement
	for _, p := range e.Problems(0) {
		out = append(out, Disagreement{Problem: p.Error()})
	}
	return out
}

// Reconcile compares the transfers that records say exist (expected) with
// the snapshot's transfers on the given ledgers, and checks the snapshot's
// invariants: it reports every transfer no record explains, every
// transfer a record names that is missing or booked otherwise, and every
// pending transfer that is not where its record says. Balances replayed
// from the transfers then equal what the records imply: stock, passbooks,
// funds and budget lines.
func Reconcile(s Snapshot, expected []Expected, ledgers ...uint32) []Disagreement {
	out := Check(s)
	stored := make(map[ID]*Stored, len(s.Transfers))
	for i := range s.Transfers {
		stored[s.Transfers[i].ID] = &s.Transfers[i]
	}
	want := make(map[ID]*Expected, len(expected))
	unique := make([]*Expected, 0, len(expected))
	for i := range expected {
		x := &expected[i]
		if prev, dup := want[x.Transfer.ID]; dup {
			out = append(out, Disagreement{Transfer: x.Transfer.ID.String(), Record: x.Record, Problem: "named by " + prev.Record + " too"})
			continue
		}
		want[x.Transfer.ID] = x
		unique = append(unique, x)
	}
	// asStored fills in a post or void from its pending transfer, as the
	// ledger stores it.
	asStored := func(t Transfer) Transfer {
		if t.Flags&(PostPending|VoidPending) == 0 {
			return t
		}
		if sp, ok := stored[t.PendingID]; ok {
			return resolve(t, &sp.Transfer)
		}
		if xp, ok := want[t.PendingID]; ok {
			return resolve(t, &xp.Transfer)
		}
		return t
	}
	for _, x := range unique {
		id := x.Transfer.ID
		got, ok := stored[id]
		if !ok {
			out = append(out, Disagreement{Transfer: id.String(), Record: x.Record, Problem: fmt.Sprintf("the ledger has no %s", describe(asStored(x.Transfer)))})
			continue
		}
		w, g := asStored(x.Transfer), got.Transfer
		w.Flags &^= Linked
		g.Flags &^= Linked
		if !sameTransfer(&g, &w) {
			out = append(out, Disagreement{Transfer: id.String(), Record: x.Record, Problem: fmt.Sprintf("the record says %s, the ledger has %s", describe(w), describe(g))})
			continue
		}
		if x.Transfer.Flags&Pending != 0 && !slices.Contains(x.Status, got.Status) {
			out = append(out, Disagreement{Transfer: id.String(), Record: x.Record, Problem: fmt.Sprintf("the pending transfer is %s; the record says %v", got.Status, x.Status)})
		}
	}
	for _, t := range s.Transfers {
		if _, ok := want[t.ID]; !ok && slices.Contains(ledgers, t.Ledger) {
			rec := RecordOf(t.UserData128)
			out = append(out, Disagreement{Transfer: t.ID.String(), Record: rec, Problem: fmt.Sprintf("no record explains the %s", describe(t.Transfer))})
		}
	}
	return out
}

// describe says what a transfer moves, for reports.
func describe(t Transfer) string {
	kind := "transfer"
	switch {
	case t.Flags&Pending != 0:
		kind = "pending transfer"
	case t.Flags&PostPending != 0:
		kind = "post of " + t.PendingID.String()
	case t.Flags&VoidPending != 0:
		kind = "void of " + t.PendingID.String()
	}
	return fmt.Sprintf("%s of %d (ledger %d, code %d) from %s to %s", kind, t.Amount, t.Ledger, t.Code, short(t.DebitAccountID), short(t.CreditAccountID))
}

func short(id ID) string { return id.String()[:8] }
