package funds

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// AwardInput awards a reviewed call.
type AwardInput struct {
	// DecisionID is the council decision behind the award; required when
	// the call says the council votes, and when a worker records it.
	DecisionID string `json:"decision_id,omitempty" validate:"omitempty,ulid"`
	// Partial funds proposals with less than they asked, as the committee
	// decided: proposal ID → amount. Each line is cut in proportion, down
	// to the fen; what that leaves goes to the largest line.
	Partial map[string]decimal.Decimal `json:"partial,omitempty" validate:"max=100"`
	// Instalments is how many monthly instalments each grant is paid in
	// (1 if 0); the first is released with the award, the remainder of an
	// uneven split with it.
	Instalments int `json:"instalments,omitempty" validate:"gte=0,lte=24"`
}

// Award funds a reviewed call's proposals in ranking order, greedily: a
// proposal that does not fit in what is left is skipped and the next one
// tried, as participatory budgeting does. Only the council awards: a
// council member, or a worker recording the council's decision. Awarding
// again changes nothing.
func (s *Service) Award(ctx context.Context, communityID, callID string, in AwardInput) ([]Grant, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return nil, err
	}
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	c, err := s.loadCall(ctx, communityID, callID)
	if err != nil {
		return nil, err
	}
	onCouncil, err := s.holds(ctx, communityID, p.ResidentID, "", governance.Council)
	if err != nil {
		return nil, err
	}
	if !onCouncil && !(p.Administers(communityID) && in.DecisionID != "") {
		return nil, forbidden(ErrCouncilOnly)
	}
	if (c.CouncilVote || !onCouncil) && in.DecisionID == "" {
		return nil, errs.Field("decision_id", "the council decision behind the award is required")
	}
	if in.DecisionID != "" {
		if err := s.councilDecision(ctx, communityID, in.DecisionID); err != nil {
			return nil, err
		}
	}
	if c.Status == CallAwarded {
		return s.grantsOf(ctx, communityID, callID)
	}
	if c.Status != CallReviewed {
		return nil, ErrCallState.Refuse("call %s is %s: close its review first", callID, c.Status)
	}
	ranking, err := s.rank(ctx, c)
	if err != nil {
		return nil, err
	}
	partial := map[string]int64{}
	for id, amt := range in.Partial {
		f, err := positive("partial."+id, amt)
		if err != nil {
			return nil, err
		}
		partial[id] = f
	}
	now := s.clock()
	n := max(in.Instalments, 1)
	// The ranking was fixed when the review closed; the rest is decided
	// and booked in one transaction, with the call locked.
	var grants []Grant
	err = s.update(ctx, func(tx Tx) error {
		grants = nil
		cur, err := tx.Calls().Get(ctx, communityID, callID)
		if err != nil {
			return err
		}
		if cur.Status == CallAwarded {
			grants, _, err = tx.Grants().Find(ctx, record.Filter{CommunityID: communityID, RefID: callID})
			return err
		}
		if cur.Status != CallReviewed {
			return ErrCallState.Refuse("call %s is %s: close its review first", callID, cur.Status)
		}
		ps, _, err := tx.Proposals().Find(ctx, record.Filter{CommunityID: communityID, RefID: callID})
		if err != nil {
			return err
		}
		props := map[string]Proposal{}
		for _, pr := range ps {
			props[pr.ID] = pr
		}
		for id, f := range partial {
			pr, ok := props[id]
			req, _ := fen("request", pr.Request)
			if !ok || pr.Status != Submitted {
				return errs.Field("partial."+id, "is not a submitted proposal of this call")
			}
			if f > req {
				return errs.Field("partial."+id, "is more than the %s yuan asked for", pr.Request)
			}
		}
		// What is there to give: the call's budget, within what the fund
		// holds.
		bk := booksOf(tx, communityID)
		fundAcct, err := bk.Account(ctx, fundAccount(communityID, c.FundID).ID)
		if err != nil {
			return err
		}
		budget, _ := fen("budget", c.Budget)
		left := min(budget, fundAcct.CreditsPosted-fundAcct.DebitsPosted)
		awarded := map[string]string{}
		for _, r := range ranking {
			pr := props[r.ProposalID]
			amount, _ := fen("request", pr.Request)
			if f, ok := partial[pr.ID]; ok {
				amount = f
			}
			if amount > left {
				continue // skip what does not fit; the next may
			}
			left -= amount
			g := Grant{ID: pr.ID, CommunityID: communityID, CallID: callID, ProposalID: pr.ID, FundID: c.FundID, Title: pr.Title,
				CommitteeID: pr.CommitteeID, OrganisationID: pr.OrganisationID, Amount: yuan(amount), Score: r.Score, Rank: r.Rank,
				DecisionID: in.DecisionID, AwardedBy: p.ID, AwardedAt: now}
			req, _ := fen("request", pr.Request)
			g.Partial = amount < req
			g.Lines = scaleLines(pr.Lines, amount, req)
			g.Instalments = instalments(amount, n, now, s.zone)
			if err := postGrant(ctx, bk, &g); err != nil {
				return err
			}
			if err := tx.Grants().Create(ctx, g); err != nil {
				return err
			}
			grants = append(grants, g)
			awarded[g.ProposalID] = g.ID
		}
		for _, pr := range ps {
			if pr.Status != Submitted {
				continue
			}
			pr.Status, pr.UpdatedAt = Declined, now
			if id, ok := awarded[pr.ID]; ok {
				pr.Status, pr.GrantID = Awarded, id
			}
			if err := tx.Proposals().Update(ctx, pr); err != nil {
				return err
			}
		}
		cur.Status, cur.AwardedAt, cur.DecisionID, cur.UpdatedAt = CallAwarded, &now, in.DecisionID, now
		return tx.Calls().Update(ctx, cur)
	})
	if err != nil {
		return nil, err
	}
	if grants == nil {
		grants = []Grant{}
	}
	return grants, nil
}

// councilDecision checks a decision of the council.
func (s *Service) councilDecision(ctx context.Context, community, id string) error {
	d, err := s.governance.Decision(ctx, community, id)
	if errors.Is(err, errs.NotFound) {
		return errs.Field("decision_id", "no decision %s in this community", id)
	}
	if err != nil {
		return err
	}
	b, err := s.governance.Body(ctx, community, d.BodyID)
	if err != nil {
		return err
	}
	if b.Kind != governance.Council {
		return errs.Field("decision_id", "decision %s is the %s's, not the council's", id, b.Name)
	}
	return nil
}

// scaleLines cuts lines in proportion to amount/request, down to the fen,
// giving what is left to the largest line.
func scaleLines(lines []Line, amount, request int64) []Line {
	out := normLines(lines)
	if amount == request || request == 0 {
		return out
	}
	var given int64
	largest := 0
	asked := make([]int64, len(lines))
	fens := make([]int64, len(lines))
	for i, l := range lines {
		asked[i], _ = fen("amount", l.Amount)
		fens[i] = asked[i] * amount / request
		given += fens[i]
		if asked[i] > asked[largest] {
			largest = i
		}
	}
	fens[largest] += amount - given
	for i := range out {
		out[i].Amount = yuan(fens[i])
	}
	return out
}

// instalments splits amount into n monthly instalments, the first with
// the remainder, the first due now.
func instalments(amount int64, n int, now time.Time, zone *time.Location) []Instalment {
	each := amount / int64(n)
	out := make([]Instalment, n)
	for i := range out {
		a := each
		if i == 0 {
			a += amount - each*int64(n)
		}
		out[i] = Instalment{Seq: i + 1, Due: now.In(zone).AddDate(0, i, 0).UTC(), Amount: yuan(a)}
	}
	return out
}

// grantTransfers are a grant's booking: the fund's money earmarked and
// each line's budget, then the first instalment released, as one linked
// chain.
func grantTransfers(g Grant) []ledger.Transfer {
	c := g.CommunityID
	amount, _ := fen("amount", g.Amount)
	ref := ledger.Ref(g.ID)
	ts := []ledger.Transfer{{ID: transferID(c, g.ID, "grant"), DebitAccountID: fundAccount(c, g.FundID).ID, CreditAccountID: earmarkedAccount(c, g.ID).ID,
		Amount: amount, UserData128: ref, Ledger: LedgerMoney, Code: CodeGrant}}
	for _, l := range g.Lines {
		f, _ := fen("amount", l.Amount)
		ts = append(ts, ledger.Transfer{ID: transferID(c, g.ID, "budget-"+l.Key), DebitAccountID: budgetAccount(c).ID, CreditAccountID: lineAccount(c, g.ID, l.Key).ID,
			Amount: f, UserData128: ref, Ledger: LedgerBudget, Code: CodeBudget})
	}
	return append(ts, releaseTransfer(g, 1))
}

// postGrant books a grant (grantTransfers) and marks its first
// instalment released.
func postGrant(ctx context.Context, bk ledger.Books, g *Grant) error {
	c := g.CommunityID
	accts := []ledger.Account{fundAccount(c, g.FundID), earmarkedAccount(c, g.ID), availableAccount(c, g.ID), budgetAccount(c)}
	for _, l := range g.Lines {
		accts = append(accts, lineAccount(c, g.ID, l.Key))
	}
	if err := bk.Ensure(ctx, accts...); err != nil {
		return err
	}
	f, err := bk.Post(ctx, grantTransfers(*g)...)
	if err != nil {
		return err
	}
	if f != nil {
		if f.Index == 0 && f.Result == ledger.ExceedsCredits {
			return ErrFundShort.Refuse("the fund no longer holds the %s yuan of grant %s", g.Amount, g.ID)
		}
		return errs.E(errs.FailedPrecondition, "grant %s cannot be booked: %s", g.ID, f.Result)
	}
	at := g.AwardedAt
	g.Instalments[0].ReleasedAt, g.Instalments[0].ReleasedBy = &at, g.AwardedBy
	return nil
}

// releaseTransfer releases instalment seq (from 1) of a grant to spend.
func releaseTransfer(g Grant, seq int) ledger.Transfer {
	c := g.CommunityID
	amount, _ := fen("amount", g.Instalments[seq-1].Amount)
	return ledger.Transfer{ID: transferID(c, g.ID, fmt.Sprintf("release-%d", seq)), DebitAccountID: earmarkedAccount(c, g.ID).ID,
		CreditAccountID: availableAccount(c, g.ID).ID, Amount: amount, UserData128: ledger.Ref(g.ID), UserData32: uint32(seq), Ledger: LedgerMoney, Code: CodeRelease}
}

// Release releases a grant's instalment to spend; workers release them.
func (s *Service) Release(ctx context.Context, communityID, grantID string, seq int) (Grant, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Grant{}, err
	}
	now := s.clock()
	var g Grant
	err = s.update(ctx, func(tx Tx) error {
		var err error
		if g, err = tx.Grants().Get(ctx, communityID, grantID); err != nil {
			return err
		}
		if seq < 1 || seq > len(g.Instalments) {
			return errs.Field("seq", "grant %s has instalments 1 to %d", grantID, len(g.Instalments))
		}
		if g.Instalments[seq-1].ReleasedAt != nil {
			return nil
		}
		f, err := booksOf(tx, communityID).Post(ctx, releaseTransfer(g, seq))
		if err != nil {
			return err
		}
		if f != nil {
			return errs.E(errs.FailedPrecondition, "instalment %d of grant %s cannot be released: %s", seq, grantID, f.Result)
		}
		g.Instalments[seq-1].ReleasedAt, g.Instalments[seq-1].ReleasedBy = &now, p.ID
		return tx.Grants().Update(ctx, g)
	})
	if err != nil {
		return Grant{}, err
	}
	return g, nil
}

func (s *Service) loadGrant(ctx context.Context, community, id string) (Grant, error) {
	var g Grant
	err := s.view(ctx, func(tx Tx) error {
		var err error
		g, err = tx.Grants().Get(ctx, community, id)
		return err
	})
	return g, err
}

func (s *Service) grantsOf(ctx context.Context, community, call string) ([]Grant, error) {
	var out []Grant
	err := s.view(ctx, func(tx Tx) error {
		var err error
		out, _, err = tx.Grants().Find(ctx, record.Filter{CommunityID: community, RefID: call})
		return err
	})
	return out, err
}

// Grant returns a grant agreement; every member reads grants.
func (s *Service) Grant(ctx context.Context, communityID, id string) (Grant, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Grant{}, err
	}
	return s.loadGrant(ctx, communityID, id)
}

// Grants lists grants, of one call if callID is not empty.
func (s *Service) Grants(ctx context.Context, communityID, callID string, pg grids.Page) ([]Grant, int, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, 0, err
	}
	pg, err := pg.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Grant
	var total int
	err = s.view(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Grants().Find(ctx, record.Filter{CommunityID: communityID, RefID: callID, Page: pg})
		return err
	})
	return out, total, err
}
