package fundstest

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/funds"
)

// RunBenchmarks measures the funds' common steps on fresh stores: a
// payment (a linked pair and a record) and a project's monthly report.
func RunBenchmarks(b *testing.B, newStores NewStores) {
	setup := func(b *testing.B) (*fixture, funds.Grant) {
		f := newFixture(b, newStores)
		gs, _ := f.awarded(1)
		for _, g := range gs {
			if g.Title == "楼道灯亮起来" {
				return f, g
			}
		}
		b.Fatal("no grant")
		return nil, funds.Grant{}
	}
	b.Run("Spend", func(b *testing.B) {
		f, g := setup(b)
		b.ResetTimer()
		for b.Loop() {
			if _, err := f.svc.Spend(f.worker, f.community, g.ID, funds.SpendInput{Line: "lamps", Amount: decimal.New(1, -2), Payee: "p", ReceiptRef: "r", ApprovedBy: "a"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ProjectReport100", func(b *testing.B) {
		f, g := setup(b)
		for range 100 {
			if _, err := f.svc.Spend(f.worker, f.community, g.ID, funds.SpendInput{Line: "lamps", Amount: decimal.NewFromInt(1), Payee: "p", ReceiptRef: "r", ApprovedBy: "a"}); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		for b.Loop() {
			if _, err := f.svc.ProjectReport(f.worker, f.community, g.ID, "2026-03"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
