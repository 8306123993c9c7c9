package funds

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// ScoreInput is a reviewer's scores of a proposal, by rubric key.
type ScoreInput struct {
	Scores  map[string]int `json:"scores"`
	Comment string         `json:"comment,omitempty" validate:"omitempty,multiline,max=2000"`
}

// recusal says why a reviewer may not score a proposal, or "".
func (s *Service) recusal(ctx context.Context, c Call, r Reviewer, pr Proposal) (string, error) {
	if contains(r.Ties, pr.CommitteeID) || contains(r.Ties, pr.OrganisationID) {
		return "declared a tie to the proposal's committee or organisation", nil
	}
	held, err := s.holds(ctx, c.CommunityID, r.ResidentID, pr.CommitteeID, "")
	if held {
		return "holds a position in the proposal's committee", err
	}
	return "", err
}

// Score records a panel member's scores during the review (after the
// window closes, before the review is closed); scoring again replaces
// them. A member tied to the proposal is recused.
func (s *Service) Score(ctx context.Context, communityID, proposalID string, in ScoreInput) (Review, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Review{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Review{}, err
	}
	var pr Proposal
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		pr, err = tx.Proposals().Get(ctx, communityID, proposalID)
		return err
	}); err != nil {
		return Review{}, err
	}
	c, err := s.loadCall(ctx, communityID, pr.CallID)
	if err != nil {
		return Review{}, err
	}
	i := slices.IndexFunc(c.Panel, func(r Reviewer) bool { return r.ResidentID == p.ResidentID && p.ResidentID != "" })
	if i < 0 {
		return Review{}, forbidden(ErrNotOnPanel)
	}
	switch c.Status {
	case CallReview:
	case CallReviewed, CallAwarded:
		return Review{}, ErrScoresLocked.Refuse("the review of call %s is closed: scores are locked", c.ID)
	default:
		return Review{}, ErrCallState.Refuse("call %s is %s: scores are given after submissions close and before the review closes", c.ID, c.Status)
	}
	if pr.Status != Submitted {
		return Review{}, ErrProposalState.Refuse("proposal %s is %s: only submitted proposals are scored", pr.ID, pr.Status)
	}
	why, err := s.recusal(ctx, c, c.Panel[i], pr)
	if err != nil {
		return Review{}, err
	}
	if why != "" {
		return Review{}, ErrRecused.Refuse("forbidden: recused: the reviewer %s", why)
	}
	var fields []errs.FieldError
	for _, cr := range c.Rubric {
		v, ok := in.Scores[cr.Key]
		if !ok || v < 0 || v > cr.Max {
			fields = append(fields, errs.FieldError{Field: "scores." + cr.Key, Message: fmt.Sprintf("a score from 0 to %d is required", cr.Max)})
		}
	}
	for k := range in.Scores {
		if !slices.ContainsFunc(c.Rubric, func(cr Criterion) bool { return cr.Key == k }) {
			fields = append(fields, errs.FieldError{Field: "scores." + k, Message: "is not on the call's rubric"})
		}
	}
	if len(fields) > 0 {
		slices.SortFunc(fields, func(a, b errs.FieldError) int { return cmpString(a.Field, b.Field) })
		return Review{}, errs.Fields(fields...)
	}
	now := s.clock()
	var rv Review
	err = s.update(ctx, func(tx Tx) error {
		cur, err := tx.Calls().Get(ctx, communityID, c.ID)
		if err != nil {
			return err
		}
		if cur.Status == CallReviewed || cur.Status == CallAwarded {
			return ErrScoresLocked.Refuse("the review of call %s is closed: scores are locked", c.ID)
		}
		have, _, err := tx.Reviews().Find(ctx, record.Filter{CommunityID: communityID, RefID: proposalID, ResidentID: p.ResidentID})
		if err != nil {
			return err
		}
		if len(have) > 0 {
			rv = have[0]
			rv.Scores, rv.Comment, rv.UpdatedAt = in.Scores, in.Comment, now
			return tx.Reviews().Update(ctx, rv)
		}
		rv = Review{ID: s.newID(), CommunityID: communityID, CallID: c.ID, ProposalID: proposalID, ReviewerID: p.ResidentID,
			Scores: in.Scores, Comment: in.Comment, CreatedAt: now, UpdatedAt: now}
		return tx.Reviews().Create(ctx, rv)
	})
	return rv, err
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CloseReview ends a call's review: its scores are locked from then on.
// Workers close it once the window has closed.
func (s *Service) CloseReview(ctx context.Context, communityID, callID string) (Call, error) {
	if _, err := s.gate.Administrator(ctx, communityID); err != nil {
		return Call{}, err
	}
	var c Call
	err := s.update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.Calls().Get(ctx, communityID, callID); err != nil {
			return err
		}
		c = s.withStatus(c)
		switch c.Status {
		case CallReviewed, CallAwarded:
			return nil
		case CallReview:
		default:
			return ErrCallState.Refuse("call %s is %s: its review starts when submissions close", callID, c.Status)
		}
		now := s.clock()
		c.Status, c.ReviewedAt, c.UpdatedAt = CallReviewed, &now, now
		return tx.Calls().Update(ctx, c)
	})
	return c, err
}

// Ranked is a proposal's place in a call's ranking.
type Ranked struct {
	Rank       int             `json:"rank"`
	ProposalID string          `json:"proposal_id"`
	Title      string          `json:"title"`
	Request    decimal.Decimal `json:"request"`
	// Score is the weighted score out of 100: each criterion's mean score
	// over its maximum, weighted by the rubric.
	Score       decimal.Decimal `json:"score"`
	Reviews     int             `json:"reviews"`
	Recused     []string        `json:"recused"` // panel members tied to it
	SubmittedAt time.Time       `json:"submitted_at"`
}

// Ranking orders a call's submitted proposals by weighted score; ties go
// to the smaller request, then the earlier submission, then the ID.
// Every member reads it once the window has closed.
func (s *Service) Ranking(ctx context.Context, communityID, callID string) ([]Ranked, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, err
	}
	c, err := s.loadCall(ctx, communityID, callID)
	if err != nil {
		return nil, err
	}
	if c.Status == CallUpcoming || c.Status == CallOpen {
		return nil, ErrCallState.Refuse("call %s is %s: proposals are ranked once submissions close", callID, c.Status)
	}
	return s.rank(ctx, c)
}

func (s *Service) rank(ctx context.Context, c Call) ([]Ranked, error) {
	var props []Proposal
	var reviews []Review
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		if props, _, err = tx.Proposals().Find(ctx, record.Filter{CommunityID: c.CommunityID, RefID: c.ID}); err != nil {
			return err
		}
		reviews, _, err = tx.Reviews().Find(ctx, record.Filter{CommunityID: c.CommunityID, Status: c.ID})
		return err
	}); err != nil {
		return nil, err
	}
	var total decimal.Decimal
	for _, cr := range c.Rubric {
		total = total.Add(cr.Weight)
	}
	out := []Ranked{}
	for _, pr := range props {
		if pr.Status != Submitted && pr.Status != Awarded && pr.Status != Declined {
			continue
		}
		r := Ranked{ProposalID: pr.ID, Title: pr.Title, Request: pr.Request, Score: decimal.Zero, Recused: []string{}}
		if pr.SubmittedAt != nil {
			r.SubmittedAt = *pr.SubmittedAt
		}
		for _, m := range c.Panel {
			why, err := s.recusal(ctx, c, m, pr)
			if err != nil {
				return nil, err
			}
			if why != "" {
				r.Recused = append(r.Recused, m.ResidentID)
			}
		}
		sums := map[string]int{}
		for _, rv := range reviews {
			if rv.ProposalID != pr.ID || contains(r.Recused, rv.ReviewerID) {
				continue
			}
			r.Reviews++
			for k, v := range rv.Scores {
				sums[k] += v
			}
		}
		if r.Reviews > 0 && total.IsPositive() {
			for _, cr := range c.Rubric {
				mean := decimal.NewFromInt(int64(sums[cr.Key])).Div(decimal.NewFromInt(int64(r.Reviews * cr.Max)))
				r.Score = r.Score.Add(mean.Mul(cr.Weight))
			}
			r.Score = norm(r.Score.Mul(decimal.NewFromInt(100)).Div(total).Round(4))
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		if c := b.Score.Cmp(a.Score); c != 0 {
			return c
		}
		if c := a.Request.Cmp(b.Request); c != 0 {
			return c
		}
		if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
			return c
		}
		return cmpString(a.ProposalID, b.ProposalID)
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out, nil
}

// Reviews lists a call's reviews: workers see all, panel members their
// own.
func (s *Service) Reviews(ctx context.Context, communityID, callID string) ([]Review, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return nil, err
	}
	f := record.Filter{CommunityID: communityID, Status: callID}
	if !p.Administers(communityID) {
		if p.ResidentID == "" {
			return nil, forbidden(ErrNotOnPanel)
		}
		f.ResidentID = p.ResidentID
	}
	var out []Review
	err = s.view(ctx, func(tx Tx) error {
		var err error
		out, _, err = tx.Reviews().Find(ctx, f)
		return err
	})
	return out, err
}
