package funds

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// CallInput opens a call.
type CallInput struct {
	FundID      string          `json:"fund_id" validate:"required,ulid"`
	Title       string          `json:"title" validate:"required,text,max=200"`
	Description string          `json:"description,omitempty" validate:"omitempty,multiline,max=5000"`
	Budget      decimal.Decimal `json:"budget"`
	Cap         decimal.Decimal `json:"cap"`
	Opens       time.Time       `json:"opens"`
	Closes      time.Time       `json:"closes"`
	Eligibility Eligibility     `json:"eligibility"`
	Rubric      []Criterion     `json:"rubric" validate:"min=1,max=20,dive"`
	Panel       []Reviewer      `json:"panel" validate:"min=1,max=50,dive"`
	CouncilVote bool            `json:"council_vote"`
}

// DefaultRubric is the case's: fit to the needs residents raised,
// feasibility, resident participation, cost.
var DefaultRubric = []Criterion{
	{Key: "needs", Name: "回应居民需求", Weight: decimal.NewFromInt(40), Max: 10},
	{Key: "feasibility", Name: "可行性", Weight: decimal.NewFromInt(25), Max: 10},
	{Key: "participation", Name: "居民参与", Weight: decimal.NewFromInt(20), Max: 10},
	{Key: "cost", Name: "经费合理", Weight: decimal.NewFromInt(15), Max: 10},
}

func (s *Service) checkCall(ctx context.Context, community string, in CallInput) error {
	if err := validate.Struct(in); err != nil {
		return err
	}
	var fields []errs.FieldError
	bad := func(field, format string, args ...any) {
		fields = append(fields, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	budget, err := positive("budget", in.Budget)
	if err != nil {
		fields = append(fields, errs.FieldsOf(err)...)
	}
	capFen, err := positive("cap", in.Cap)
	if err != nil {
		fields = append(fields, errs.FieldsOf(err)...)
	} else if capFen > budget && budget > 0 {
		bad("cap", "is more than the budget")
	}
	if in.Opens.IsZero() || in.Closes.IsZero() {
		bad("closes", "a call has a window: opens and closes")
	} else if !in.Closes.After(in.Opens) {
		bad("closes", "must come after opens")
	}
	keys := map[string]bool{}
	for i, c := range in.Rubric {
		if keys[c.Key] {
			bad(fmt.Sprintf("rubric[%d].key", i), "appears twice")
		}
		keys[c.Key] = true
		if !c.Weight.IsPositive() || c.Weight.GreaterThan(decimal.NewFromInt(1000)) || !c.Weight.Equal(c.Weight.Round(4)) {
			bad(fmt.Sprintf("rubric[%d].weight", i), "must be above 0 and at most 1000, with at most 4 decimal places")
		}
	}
	seen := map[string]bool{}
	for i, r := range in.Panel {
		if seen[r.ResidentID] {
			bad(fmt.Sprintf("panel[%d].resident_id", i), "appears twice")
		}
		seen[r.ResidentID] = true
	}
	if len(fields) > 0 {
		return errs.Fields(fields...)
	}
	for i, r := range in.Panel {
		if err := s.residentExists(ctx, community, r.ResidentID, fmt.Sprintf("panel[%d].resident_id", i)); err != nil {
			return err
		}
	}
	return s.view(ctx, func(tx Tx) error {
		if _, err := tx.Funds().Get(ctx, community, in.FundID); errors.Is(err, errs.NotFound) {
			return errs.Field("fund_id", "no fund %s in this community", in.FundID)
		} else if err != nil {
			return err
		}
		return nil
	})
}

func (s *Service) residentExists(ctx context.Context, community, id, field string) error {
	r, err := s.registry.Resident(ctx, community, id)
	if errors.Is(err, errs.NotFound) || err == nil && r.Archived() {
		return errs.Field(field, "no active resident %s in this community", id)
	}
	return err
}

// CreateCall opens a call on a fund; workers run calls.
func (s *Service) CreateCall(ctx context.Context, communityID string, in CallInput) (Call, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Call{}, err
	}
	if err := s.checkCall(ctx, communityID, in); err != nil {
		return Call{}, err
	}
	now := s.clock()
	c := Call{ID: s.newID(), CommunityID: communityID, CreatedBy: p.ID, CreatedAt: now}
	c.set(in, now)
	return s.withStatus(c), s.update(ctx, func(tx Tx) error { return tx.Calls().Create(ctx, c) })
}

func (c *Call) set(in CallInput, now time.Time) {
	c.FundID, c.Title, c.Description, c.Budget, c.Cap = in.FundID, in.Title, in.Description, norm(in.Budget), norm(in.Cap)
	c.Opens, c.Closes, c.Eligibility, c.CouncilVote, c.UpdatedAt = clock.Normalize(in.Opens), clock.Normalize(in.Closes), in.Eligibility, in.CouncilVote, now
	c.Rubric = make([]Criterion, len(in.Rubric))
	for i, r := range in.Rubric {
		r.Weight = norm(r.Weight)
		c.Rubric[i] = r
	}
	c.Panel = in.Panel
	if c.Status == "" {
		c.Status = CallUpcoming
	}
}

// UpdateCall changes a call before it opens.
func (s *Service) UpdateCall(ctx context.Context, communityID, id string, in CallInput) (Call, error) {
	if _, err := s.gate.Administrator(ctx, communityID); err != nil {
		return Call{}, err
	}
	if err := s.checkCall(ctx, communityID, in); err != nil {
		return Call{}, err
	}
	var c Call
	err := s.update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.Calls().Get(ctx, communityID, id); err != nil {
			return err
		}
		if st := s.withStatus(c).Status; st != CallUpcoming {
			return ErrCallState.Refuse("call %s is %s: a call changes only before it opens", id, st)
		}
		c.set(in, s.clock())
		return tx.Calls().Update(ctx, c)
	})
	return s.withStatus(c), err
}

// withStatus derives the status the window gives a call.
func (s *Service) withStatus(c Call) Call {
	if c.Status == CallReviewed || c.Status == CallAwarded {
		return c
	}
	switch now := s.clock(); {
	case now.Before(c.Opens):
		c.Status = CallUpcoming
	case now.Before(c.Closes):
		c.Status = CallOpen
	default:
		c.Status = CallReview
	}
	return c
}

// Call returns a call; every member reads calls.
func (s *Service) Call(ctx context.Context, communityID, id string) (Call, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Call{}, err
	}
	c, err := s.loadCall(ctx, communityID, id)
	return c, err
}

func (s *Service) loadCall(ctx context.Context, communityID, id string) (Call, error) {
	var c Call
	err := s.view(ctx, func(tx Tx) error {
		var err error
		c, err = tx.Calls().Get(ctx, communityID, id)
		return err
	})
	return s.withStatus(c), err
}

// Calls lists the community's calls.
func (s *Service) Calls(ctx context.Context, communityID string, pg grids.Page) ([]Call, int, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, 0, err
	}
	pg, err := pg.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Call
	var total int
	err = s.view(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Calls().Find(ctx, record.Filter{CommunityID: communityID, Page: pg})
		return err
	})
	for i := range out {
		out[i] = s.withStatus(out[i])
	}
	return out, total, err
}

// ProposalInput drafts a proposal.
type ProposalInput struct {
	CommitteeID    string    `json:"committee_id" validate:"required,ulid"`
	OrganisationID string    `json:"organisation_id" validate:"required,ulid"`
	Title          string    `json:"title" validate:"required,text,max=200"`
	Goals          string    `json:"goals" validate:"required,multiline,max=5000"`
	NeedIDs        []string  `json:"need_ids,omitempty" validate:"max=50,dive,ulid"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	Lines          []Line    `json:"lines" validate:"min=1,max=50,dive"`
}

func (s *Service) checkProposal(in ProposalInput) (decimal.Decimal, error) {
	if err := validate.Struct(in); err != nil {
		return decimal.Zero, err
	}
	var fields []errs.FieldError
	var sum int64
	keys := map[string]bool{}
	for i, l := range in.Lines {
		f, err := positive(fmt.Sprintf("lines[%d].amount", i), l.Amount)
		if err != nil {
			fields = append(fields, errs.FieldsOf(err)...)
		}
		sum += f
		if keys[l.Key] {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("lines[%d].key", i), Message: "appears twice"})
		}
		keys[l.Key] = true
	}
	if in.Start.IsZero() || !in.End.After(in.Start) {
		fields = append(fields, errs.FieldError{Field: "end", Message: "a project runs from start to a later end"})
	}
	if len(fields) > 0 {
		return decimal.Zero, errs.Fields(fields...)
	}
	return yuan(sum), nil
}

func normLines(ls []Line) []Line {
	out := make([]Line, len(ls))
	for i, l := range ls {
		l.Amount = norm(l.Amount)
		out[i] = l
	}
	return out
}

// Propose drafts a proposal to a call; whoever drafts it (an
// organisation's representative) owns it.
func (s *Service) Propose(ctx context.Context, communityID, callID string, in ProposalInput) (Proposal, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Proposal{}, err
	}
	request, err := s.checkProposal(in)
	if err != nil {
		return Proposal{}, err
	}
	c, err := s.loadCall(ctx, communityID, callID)
	if err != nil {
		return Proposal{}, err
	}
	if c.Status != CallUpcoming && c.Status != CallOpen {
		return Proposal{}, ErrCallState.Refuse("call %s is %s: it takes no more proposals", callID, c.Status)
	}
	now := s.clock()
	pr := Proposal{ID: s.newID(), CommunityID: communityID, CallID: callID, Status: Draft, Owner: p.ID, CreatedAt: now}
	pr.set(in, request, now)
	return pr, s.update(ctx, func(tx Tx) error { return tx.Proposals().Create(ctx, pr) })
}

func (p *Proposal) set(in ProposalInput, request decimal.Decimal, now time.Time) {
	p.CommitteeID, p.OrganisationID, p.Title, p.Goals = in.CommitteeID, in.OrganisationID, in.Title, in.Goals
	p.NeedIDs = in.NeedIDs
	if p.NeedIDs == nil {
		p.NeedIDs = []string{}
	}
	p.Start, p.End, p.Lines, p.Request, p.UpdatedAt = clock.Normalize(in.Start), clock.Normalize(in.End), normLines(in.Lines), request, now
}

// own loads a proposal its owner (or a worker) may change.
func (s *Service) own(ctx context.Context, tx Tx, p grids.Principal, community, id string) (Proposal, error) {
	pr, err := tx.Proposals().Get(ctx, community, id)
	if err != nil {
		return pr, err
	}
	if pr.Owner != p.ID && !p.Administers(community) {
		return pr, forbidden(ErrNotDrafter)
	}
	return pr, nil
}

// UpdateProposal rewrites a draft.
func (s *Service) UpdateProposal(ctx context.Context, communityID, id string, in ProposalInput) (Proposal, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Proposal{}, err
	}
	request, err := s.checkProposal(in)
	if err != nil {
		return Proposal{}, err
	}
	var pr Proposal
	err = s.update(ctx, func(tx Tx) error {
		var err error
		if pr, err = s.own(ctx, tx, p, communityID, id); err != nil {
			return err
		}
		if pr.Status != Draft {
			return ErrProposalState.Refuse("proposal %s is %s: only a draft changes", id, pr.Status)
		}
		pr.set(in, request, s.clock())
		return tx.Proposals().Update(ctx, pr)
	})
	return pr, err
}

// Submit submits a draft within the call's window, if it is eligible;
// an ineligible one is refused with every reason.
func (s *Service) Submit(ctx context.Context, communityID, id string) (Proposal, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Proposal{}, err
	}
	var pr Proposal
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		pr, err = s.own(ctx, tx, p, communityID, id)
		return err
	}); err != nil {
		return Proposal{}, err
	}
	if pr.Status == Submitted {
		return pr, nil
	}
	if pr.Status != Draft {
		return Proposal{}, ErrProposalState.Refuse("proposal %s is %s", id, pr.Status)
	}
	c, err := s.loadCall(ctx, communityID, pr.CallID)
	if err != nil {
		return Proposal{}, err
	}
	if c.Status != CallOpen {
		return Proposal{}, ErrOutsideWindow.Refuse("call %s takes submissions from %s to %s; it is %s", c.ID,
			c.Opens.In(s.zone).Format(time.DateTime), c.Closes.In(s.zone).Format(time.DateTime), c.Status)
	}
	reasons, err := s.ineligible(ctx, c, pr)
	if err != nil {
		return Proposal{}, err
	}
	if len(reasons) > 0 {
		return Proposal{}, ErrIneligible.Refuse("ineligible: %s", strings.Join(reasons, "; "))
	}
	now := s.clock()
	err = s.update(ctx, func(tx Tx) error {
		// Reading the call first serializes its submissions, so the
		// bound per organisation holds under concurrent submissions.
		if _, err := tx.Calls().Get(ctx, communityID, c.ID); err != nil {
			return err
		}
		cur, err := tx.Proposals().Get(ctx, communityID, id)
		if err != nil {
			return err
		}
		if cur.Status != Draft {
			pr = cur
			return nil
		}
		if c.Eligibility.MaxPerOrganisation > 0 {
			others, _, err := tx.Proposals().Find(ctx, record.Filter{CommunityID: communityID, RefID: c.ID, ResidentID: pr.OrganisationID, Status: string(Submitted)})
			if err != nil {
				return err
			}
			if len(others) >= c.Eligibility.MaxPerOrganisation {
				return ErrTooManyProposals.Refuse("ineligible: the organisation has submitted %d proposals to this call, the most it may", len(others))
			}
		}
		pr = cur
		pr.Status, pr.SubmittedAt, pr.UpdatedAt = Submitted, &now, now
		return tx.Proposals().Update(ctx, pr)
	})
	return pr, err
}

// ineligible lists why a proposal may not enter a call.
func (s *Service) ineligible(ctx context.Context, c Call, pr Proposal) ([]string, error) {
	var why []string
	req, _ := fen("request", pr.Request)
	capFen, _ := fen("cap", c.Cap)
	if req > capFen {
		why = append(why, fmt.Sprintf("it asks for %s yuan, above the call's cap of %s", pr.Request, c.Cap))
	}
	if len(c.Eligibility.Categories) > 0 {
		for _, l := range pr.Lines {
			if !contains(c.Eligibility.Categories, l.Category) {
				why = append(why, fmt.Sprintf("budget line %s is in category %s, which the call does not fund (%s)", l.Key, l.Category, strings.Join(c.Eligibility.Categories, ", ")))
			}
		}
	}
	if c.Eligibility.RequireNeeds && len(pr.NeedIDs) == 0 {
		why = append(why, "it answers no recorded need of residents")
	}
	b, err := s.governance.Body(ctx, c.CommunityID, pr.CommitteeID)
	switch {
	case errors.Is(err, errs.NotFound):
		why = append(why, "its committee is not one of the community's")
	case err != nil:
		return nil, err
	case b.Kind != governance.Committee:
		why = append(why, fmt.Sprintf("%s is a %s, not a committee", b.Name, b.Kind))
	case b.Archived():
		why = append(why, fmt.Sprintf("committee %s is dissolved", b.Name))
	}
	o, err := s.governance.Organisation(ctx, c.CommunityID, pr.OrganisationID)
	switch {
	case errors.Is(err, errs.NotFound):
		why = append(why, "its organisation is not one of the community's social organisations")
	case err != nil:
		return nil, err
	case o.Archived():
		why = append(why, fmt.Sprintf("organisation %s is archived", o.Name))
	}
	for _, n := range pr.NeedIDs {
		if _, err := s.registry.Need(ctx, c.CommunityID, n); errors.Is(err, errs.NotFound) {
			why = append(why, fmt.Sprintf("need %s is not recorded", n))
		} else if err != nil {
			return nil, err
		}
	}
	return why, nil
}

// Withdraw takes a proposal out of a call before the award.
func (s *Service) Withdraw(ctx context.Context, communityID, id string) (Proposal, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Proposal{}, err
	}
	var pr Proposal
	err = s.update(ctx, func(tx Tx) error {
		var err error
		if pr, err = s.own(ctx, tx, p, communityID, id); err != nil {
			return err
		}
		switch pr.Status {
		case Withdrawn:
			return nil
		case Draft, Submitted:
		default:
			return ErrProposalState.Refuse("proposal %s is %s: it can no longer be withdrawn", id, pr.Status)
		}
		pr.Status, pr.UpdatedAt = Withdrawn, s.clock()
		return tx.Proposals().Update(ctx, pr)
	})
	return pr, err
}

// Proposal returns a proposal: drafts to their owner and workers,
// submitted ones to every member.
func (s *Service) Proposal(ctx context.Context, communityID, id string) (Proposal, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Proposal{}, err
	}
	var pr Proposal
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		pr, err = tx.Proposals().Get(ctx, communityID, id)
		return err
	}); err != nil {
		return Proposal{}, err
	}
	if pr.Status == Draft && pr.Owner != p.ID && !p.Administers(communityID) {
		return Proposal{}, forbidden(ErrNotDrafter)
	}
	return pr, nil
}

// Proposals lists a call's proposals: submitted and later ones to every
// member, drafts only to workers and their owners.
func (s *Service) Proposals(ctx context.Context, communityID, callID string, status ProposalStatus, pg grids.Page) ([]Proposal, int, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return nil, 0, err
	}
	if status != "" && !contains([]string{"draft", "submitted", "withdrawn", "awarded", "declined"}, string(status)) {
		return nil, 0, errs.Field("status", "is draft, submitted, withdrawn, awarded or declined")
	}
	pg, err = pg.Checked()
	if err != nil {
		return nil, 0, err
	}
	var all []Proposal
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		all, _, err = tx.Proposals().Find(ctx, record.Filter{CommunityID: communityID, RefID: callID, Status: string(status)})
		return err
	}); err != nil {
		return nil, 0, err
	}
	out := []Proposal{}
	for _, pr := range all {
		if pr.Status != Draft || pr.Owner == p.ID || p.Administers(communityID) {
			out = append(out, pr)
		}
	}
	total := len(out)
	lo := min(pg.Offset, total)
	return out[lo:min(lo+pg.Limit, total)], total, nil
}
