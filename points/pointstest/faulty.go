package pointstest

import (
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/ledger/ledgertest"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/grids/record/recordtest"
	"github.com/linli-go/linli/internal/faults"
	"github.com/linli-go/linli/points"
)

// faulty is the store with the plan's steps before each call it passes
// on: each transaction begun and committed, each record read or written,
// each ledger call.
func faulty(st points.Store, p *faults.Plan) points.Store {
	return faultyStore{faults.Store[points.Tx]{Inner: st, Plan: p, Wrap: func(tx points.Tx, p *faults.Plan) points.Tx { return faultyTx{tx, p} }}, st}
}

// faultyStore reads versions from the store itself: a version is no
// step of a command.
type faultyStore struct {
	faults.Store[points.Tx]
	record.Versioned
}

type faultyTx struct {
	tx points.Tx
	p  *faults.Plan
}

func (t faultyTx) Ledger(community string) ledger.Tx {
	return ledgertest.Stepped(t.tx.Ledger(community), t.p.Step)
}

func (t faultyTx) Policies() record.Table[points.Policy] {
	return recordtest.Stepped(t.tx.Policies(), "policies", t.p.Step)
}

func (t faultyTx) Claims() record.Table[points.Claim] {
	return recordtest.Stepped(t.tx.Claims(), "claims", t.p.Step)
}

func (t faultyTx) Items() record.Table[points.Item] {
	return recordtest.Stepped(t.tx.Items(), "items", t.p.Step)
}

func (t faultyTx) Donations() record.Table[points.Donation] {
	return recordtest.Stepped(t.tx.Donations(), "donations", t.p.Step)
}

func (t faultyTx) Exchanges() record.Table[points.Exchange] {
	return recordtest.Stepped(t.tx.Exchanges(), "exchanges", t.p.Step)
}

func (t faultyTx) Gifts() record.Table[points.Gift] {
	return recordtest.Stepped(t.tx.Gifts(), "gifts", t.p.Step)
}

func (t faultyTx) Expiries() record.Table[points.Expiry] {
	return recordtest.Stepped(t.tx.Expiries(), "expiries", t.p.Step)
}

func (t faultyTx) Markets() record.Table[points.Market] {
	return recordtest.Stepped(t.tx.Markets(), "markets", t.p.Step)
}

func (t faultyTx) SignUps() record.Table[points.SignUp] {
	return recordtest.Stepped(t.tx.SignUps(), "signUps", t.p.Step)
}

var _ points.Tx = faultyTx{}
