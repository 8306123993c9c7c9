package fundstest

import (
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/ledger/ledgertest"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/grids/record/recordtest"
	"github.com/linli-go/linli/internal/faults"
)

// faulty is the store with the plan's steps before each call it passes
// on: each transaction begun and committed, each record read or written,
// each ledger call.
func faulty(st funds.Store, p *faults.Plan) funds.Store {
	return faultyStore{faults.Store[funds.Tx]{Inner: st, Plan: p, Wrap: func(tx funds.Tx, p *faults.Plan) funds.Tx { return faultyTx{tx, p} }}, st}
}

// faultyStore reads versions from the store itself: a version is no
// step of a command.
type faultyStore struct {
	faults.Store[funds.Tx]
	record.Versioned
}

type faultyTx struct {
	tx funds.Tx
	p  *faults.Plan
}

func (t faultyTx) Ledger(community string) ledger.Tx {
	return ledgertest.Stepped(t.tx.Ledger(community), t.p.Step)
}

func (t faultyTx) Funds() record.Table[funds.Fund] {
	return recordtest.Stepped(t.tx.Funds(), "funds", t.p.Step)
}

func (t faultyTx) Incomes() record.Table[funds.Income] {
	return recordtest.Stepped(t.tx.Incomes(), "incomes", t.p.Step)
}

func (t faultyTx) Calls() record.Table[funds.Call] {
	return recordtest.Stepped(t.tx.Calls(), "calls", t.p.Step)
}

func (t faultyTx) Proposals() record.Table[funds.Proposal] {
	return recordtest.Stepped(t.tx.Proposals(), "proposals", t.p.Step)
}

func (t faultyTx) Reviews() record.Table[funds.Review] {
	return recordtest.Stepped(t.tx.Reviews(), "reviews", t.p.Step)
}

func (t faultyTx) Grants() record.Table[funds.Grant] {
	return recordtest.Stepped(t.tx.Grants(), "grants", t.p.Step)
}

func (t faultyTx) Spendings() record.Table[funds.Spending] {
	return recordtest.Stepped(t.tx.Spendings(), "spendings", t.p.Step)
}

func (t faultyTx) Merchants() record.Table[funds.Merchant] {
	return recordtest.Stepped(t.tx.Merchants(), "merchants", t.p.Step)
}

func (t faultyTx) Declarations() record.Table[funds.Declaration] {
	return recordtest.Stepped(t.tx.Declarations(), "declarations", t.p.Step)
}

var _ funds.Tx = faultyTx{}
