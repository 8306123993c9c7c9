package pointstest

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/points"
)

// RunBenchmarks measures the bank's common steps on fresh stores from
// newStores: an exchange at the counter (two linked transfers and a
// record), a claim verified, and a passbook of 200 lines.
func RunBenchmarks(b *testing.B, newStores NewStores) {
	b.Run("Exchange", func(b *testing.B) {
		f := newFixture(b, newStores)
		pol := points.DefaultPolicy
		pol.MonthlyCap = decimal.Zero // earnings never run out
		if _, err := f.svc.SetPolicy(f.worker, f.community, pol); err != nil {
			b.Fatal(err)
		}
		soap := f.item("肥皂", "0.01", 1_000_000)
		n := 0
		for b.Loop() {
			if n%1000 == 0 { // 10 points more: a thousand exchanges
				b.StopTimer()
				f.clock.Advance(24 * time.Hour)
				f.earn(1, 600)
				b.StartTimer()
			}
			n++
			if _, err := f.svc.Exchange(f.worker, f.community, points.ExchangeInput{ResidentID: f.residents[1].ID, ItemID: soap.ID, Quantity: 1}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ClaimAndVerify", func(b *testing.B) {
		f := newFixture(b, newStores)
		i := 0
		b.ResetTimer()
		for b.Loop() {
			f.clock.Advance(24 * time.Hour)
			f.earn(i%3, 60)
			i++
		}
	})
	b.Run("Passbook200", func(b *testing.B) {
		f := newFixture(b, newStores)
		f.earn(1, 600)
		soap := f.item("肥皂", "0.01", 1000)
		for range 198 {
			if _, err := f.svc.Exchange(f.worker, f.community, points.ExchangeInput{ResidentID: f.residents[1].ID, ItemID: soap.ID, Quantity: 1}); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		for b.Loop() {
			pb, err := f.svc.Passbook(f.as(1), f.community, f.residents[1].ID, time.Time{}, time.Time{})
			if err != nil || len(pb.Lines) != 200 {
				b.Fatal(err, len(pb.Lines))
			}
		}
	})
}
