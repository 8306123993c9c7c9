package grids

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// Bodies checks references to records kept outside the registry:
// committees, mutual-aid groups and social organisations (package
// governance). Without one, a Ref's form is checked but not its existence.
type Bodies interface {
	// Check returns nil if the record exists and is active in community,
	// an Invalid error naming field if not.
	Check(ctx context.Context, community string, ref Ref, field string) error
	// SpeaksForGroups reports whether a resident holds now an office that
	// raises needs for a group: a council seat, a committee's chair, a
	// group's lead. Offices are read as they stand, never from the roles a
	// token carries.
	SpeaksForGroups(ctx context.Context, community, residentID string) (bool, error)
}

// Rules of needs intake, named in refusals.
var (
	ErrRaiseForOthers  = NewRule(Forbidden, "grids.raise_for_others", "residents raise needs for their own household; only workers raise them for others")
	ErrRaiseForGroup   = NewRule(Forbidden, "grids.raise_for_group", "only workers, council members, committee chairs and group leaders raise needs for a group")
	ErrHandleNeeds     = NewRule(Forbidden, "grids.handle_needs", "only community workers accept, assign, answer and decline needs")
	ErrClaimForOthers  = NewRule(Forbidden, "grids.claim_for_others", "residents claim micro-wishes for themselves; only workers record claims for others")
	ErrSurveyWorkers   = NewRule(Forbidden, "grids.surveys_workers_only", "only community workers draft, open and close surveys")
	ErrAnswerForOthers = NewRule(Forbidden, "grids.answer_for_others", "residents answer surveys for their own household; only workers enter answers for others")
	ErrNeedState       = NewRule(FailedPrecondition, "grids.need_state", "a need moves received, accepted, assigned, answered or declined; a micro-wish is claimed, then fulfilled by whoever claimed it")
	ErrWishClaimed     = NewRule(Conflict, "grids.wish_claimed", "a micro-wish is claimed by one")
	ErrSurveyState     = NewRule(FailedPrecondition, "grids.survey_state", "a survey is drafted, opened, then closed, and answered while open")
)

// forbidden refuses under a rule of who may do what.
func forbidden(r *Rule) error { return r.Refuse("forbidden: %s", r.Says()) }

// checkRef checks a reference: to a household or resident of the
// registry, or, when the Registry was given Bodies, to a record outside it.
func (r *Registry) checkRef(ctx context.Context, tx Tx, community string, target *Ref, field string) error {
	if target == nil {
		return nil
	}
	if err := validate.Struct(*target); err != nil {
		return errs.Field(field, "must name a kind (committee, group, resident, organisation) and an ID")
	}
	var err error
	switch target.Kind {
	case "resident":
		_, err = ref(ctx, tx, residentKind, community, target.ID, field)
	case "household":
		_, err = ref(ctx, tx, householdKind, community, target.ID, field)
	default:
		if r.bodies != nil {
			err = r.bodies.Check(ctx, community, *target, field)
		}
	}
	return err
}

// ownHousehold returns the household of the principal's resident record,
// or "" if the principal is not a registered resident.
func ownHousehold(ctx context.Context, tx Tx, p Principal, community string) string {
	if p.ResidentID == "" {
		return ""
	}
	me, err := tx.Resident(ctx, community, p.ResidentID)
	if err != nil || me.Archived() {
		return ""
	}
	return me.HouseholdID
}

// ---- needs ----

// RaiseNeed records a need, suggestion or micro-wish. Residents raise them
// for their own household (the default); workers for any household, or
// anonymously; leaders and chairs for a group.
func (r *Registry) RaiseNeed(ctx context.Context, communityID string, in NeedInput) (Need, error) {
	p, err := authorize(ctx, communityID, ErrNotMember)
	if err != nil {
		return Need{}, err
	}
	now := r.clock()
	n := Need{
		ID: r.newID(), CommunityID: communityID, Kind: in.Kind, Source: in.Source, Title: in.Title, Detail: in.Detail,
		Tags: in.Tags, HouseholdID: in.HouseholdID, Group: in.Group, Status: NeedReceived, CreatedAt: now, UpdatedAt: now,
	}
	if n.Kind == "" {
		n.Kind = KindNeed
	}
	if n.Source == "" && n.Kind == KindMicroWish {
		n.Source = SourceMicroWish
	}
	// Who speaks for a group follows from the offices held now (read
	// before the registry's transaction: they are governance's records).
	speaks := false
	if n.Group != nil && !p.Administers(communityID) && p.ResidentID != "" && r.bodies != nil {
		if speaks, err = r.bodies.SpeaksForGroups(ctx, communityID, p.ResidentID); err != nil {
			return Need{}, err
		}
	}
	var out Need
	err = r.store.Update(ctx, func(tx Tx) error {
		if err := community(ctx, tx, communityID); err != nil {
			return err
		}
		if !p.Administers(communityID) {
			mine := ownHousehold(ctx, tx, p, communityID)
			switch {
			case n.Group != nil:
				if !speaks {
					return forbidden(ErrRaiseForGroup)
				}
			case n.HouseholdID == "":
				if mine == "" {
					return forbidden(ErrRaiseForOthers)
				}
				n.HouseholdID = mine
			case n.HouseholdID != mine:
				return forbidden(ErrRaiseForOthers)
			}
		}
		if err := n.Validate(); err != nil {
			return err
		}
		n.Tags = sorted(n.Tags)
		if n.HouseholdID != "" {
			if _, err := ref(ctx, tx, householdKind, communityID, n.HouseholdID, "household_id"); err != nil {
				return err
			}
		}
		if err := r.checkRef(ctx, tx, communityID, n.Group, "group"); err != nil {
			return err
		}
		n.record("raise", p.ID, now, "")
		n.Status = NeedReceived
		out = n
		return tx.CreateNeed(ctx, n)
	})
	return out, err
}

// redact hides the raising household from members who may not see it.
func redact(n Need, a access) Need {
	if !a.all && n.HouseholdID != a.household {
		n.HouseholdID = ""
	}
	return n
}

// needAccess is personalAccess that lets members without a household read
// needs too (they see no households).
func needAccess(ctx context.Context, tx Tx, communityID string) (access, error) {
	a, err := personalAccess(ctx, tx, communityID)
	if errs.CodeOf(err) == errs.Forbidden {
		if _, err := authorize(ctx, communityID, ErrNotMember); err != nil {
			return access{}, err
		}
		return access{household: "\x00none"}, nil
	}
	return a, err
}

// Need returns a need. Needs are public to the community; the household
// that raised one is shown only to workers and to that household.
func (r *Registry) Need(ctx context.Context, communityID, id string) (Need, error) {
	var n Need
	err := r.store.View(ctx, func(tx Tx) error {
		a, err := needAccess(ctx, tx, communityID)
		if err != nil {
			return err
		}
		if n, err = tx.Need(ctx, communityID, id); err != nil {
			return err
		}
		n = redact(n, a)
		return nil
	})
	return n, err
}

// FindNeeds lists needs, as Need shows them.
func (r *Registry) FindNeeds(ctx context.Context, f NeedFilter) ([]Need, int, error) {
	var err error
	if f.Page, err = checkPage(f.Page); err != nil {
		return nil, 0, err
	}
	var out []Need
	var total int
	err = r.store.View(ctx, func(tx Tx) error {
		a, err := needAccess(ctx, tx, f.CommunityID)
		if err != nil {
			return err
		}
		if f.HouseholdID != "" && !a.all && f.HouseholdID != a.household {
			return forbidden(ErrPersonal)
		}
		if out, total, err = tx.FindNeeds(ctx, f); err != nil {
			return err
		}
		for i := range out {
			out[i] = redact(out[i], a)
		}
		return nil
	})
	return out, total, err
}

// ActOnNeed moves a need along its way (see NeedAction); each step is
// recorded with who took it, when and why.
func (r *Registry) ActOnNeed(ctx context.Context, communityID, id string, a NeedAction) (Need, error) {
	p, err := authorize(ctx, communityID, ErrNotMember)
	if err != nil {
		return Need{}, err
	}
	if err := validate.Struct(a); err != nil {
		return Need{}, err
	}
	var out Need
	err = r.store.Update(ctx, func(tx Tx) error {
		n, err := tx.Need(ctx, communityID, id)
		if err != nil {
			return err
		}
		switch a.Action {
		case "accept", "assign", "answer", "decline":
			if !p.Administers(communityID) {
				return forbidden(ErrHandleNeeds)
			}
		case "claim":
			if !p.Administers(communityID) {
				if p.ResidentID == "" || a.ClaimedBy != nil && (a.ClaimedBy.Kind != "resident" || a.ClaimedBy.ID != p.ResidentID) {
					return forbidden(ErrClaimForOthers)
				}
				a.ClaimedBy = &Ref{Kind: "resident", ID: p.ResidentID}
			}
		case "unclaim", "fulfil":
			claimant := n.ClaimedBy != nil && n.ClaimedBy.Kind == "resident" && n.ClaimedBy.ID == p.ResidentID && p.ResidentID != ""
			if !p.Administers(communityID) && !claimant {
				return forbidden(ErrClaimForOthers)
			}
		}
		if err := r.checkRef(ctx, tx, communityID, a.Assignee, "assignee"); err != nil {
			return err
		}
		if err := r.checkRef(ctx, tx, communityID, a.ClaimedBy, "claimed_by"); err != nil {
			return err
		}
		if err := n.apply(a, p.ID, r.clock()); err != nil {
			return err
		}
		out = n
		return tx.UpdateNeed(ctx, n)
	})
	return out, err
}

// ---- surveys ----

// CreateSurvey drafts a survey.
func (r *Registry) CreateSurvey(ctx context.Context, communityID string, in SurveyInput) (Survey, error) {
	if _, err := authorize(ctx, communityID, ErrWorkersOnly); err != nil {
		return Survey{}, forbiddenAs(err, ErrSurveyWorkers)
	}
	now := r.clock()
	s := Survey{ID: r.newID(), CommunityID: communityID, Title: in.Title, Description: in.Description, Status: SurveyDraft,
		Questions: in.Questions, CreatedAt: now, UpdatedAt: now}
	return add(ctx, r, communityID, &s, s.Validate, func(tx Tx) error { return tx.CreateSurvey(ctx, s) })
}

// forbiddenAs restates a refusal under a more specific rule.
func forbiddenAs(err error, rule *Rule) error {
	if errs.CodeOf(err) == errs.Forbidden {
		return forbidden(rule)
	}
	return err
}

// Survey returns a survey to the community's members.
func (r *Registry) Survey(ctx context.Context, communityID, id string) (Survey, error) {
	var s Survey
	if _, err := authorize(ctx, communityID, ErrNotMember); err != nil {
		return s, err
	}
	err := r.store.View(ctx, func(tx Tx) (err error) {
		s, err = tx.Survey(ctx, communityID, id)
		return err
	})
	return s, err
}

// FindSurveys lists a community's surveys.
func (r *Registry) FindSurveys(ctx context.Context, f SurveyFilter) ([]Survey, int, error) {
	return find(ctx, r, f.CommunityID, "", &f.Page, func(tx Tx) ([]Survey, int, error) { return tx.FindSurveys(ctx, f) })
}

// changeSurvey loads a survey for a worker, lets edit change it and stores
// it.
func (r *Registry) changeSurvey(ctx context.Context, communityID, id string, edit func(s *Survey, now time.Time) error) (Survey, error) {
	if _, err := authorize(ctx, communityID, ErrWorkersOnly); err != nil {
		return Survey{}, forbiddenAs(err, ErrSurveyWorkers)
	}
	var out Survey
	err := r.store.Update(ctx, func(tx Tx) error {
		s, err := tx.Survey(ctx, communityID, id)
		if err != nil {
			return err
		}
		if err := Precondition(ctx, s); err != nil {
			return err
		}
		now := r.clock()
		if err := edit(&s, now); err != nil {
			return err
		}
		s.UpdatedAt = now
		out = s
		return tx.UpdateSurvey(ctx, s)
	})
	return out, err
}

// UpdateSurvey changes a draft: once open, a survey's questions stay as
// the households answered them.
func (r *Registry) UpdateSurvey(ctx context.Context, communityID, id string, u SurveyUpdate) (Survey, error) {
	return r.changeSurvey(ctx, communityID, id, func(s *Survey, _ time.Time) error {
		if s.Status != SurveyDraft {
			return ErrSurveyState.Refuse("only a draft survey can change; this one is %s", s.Status)
		}
		set(&s.Title, u.Title)
		set(&s.Description, u.Description)
		set(&s.Questions, u.Questions)
		return s.Validate()
	})
}

// OpenSurvey starts taking answers.
func (r *Registry) OpenSurvey(ctx context.Context, communityID, id string) (Survey, error) {
	return r.changeSurvey(ctx, communityID, id, func(s *Survey, now time.Time) error {
		if s.Status != SurveyDraft {
			return ErrSurveyState.Refuse("only a draft survey can open; this one is %s", s.Status)
		}
		s.Status, s.OpenedAt = SurveyOpen, &now
		return nil
	})
}

// CloseSurvey stops taking answers.
func (r *Registry) CloseSurvey(ctx context.Context, communityID, id string) (Survey, error) {
	return r.changeSurvey(ctx, communityID, id, func(s *Survey, now time.Time) error {
		if s.Status != SurveyOpen {
			return ErrSurveyState.Refuse("only an open survey can close; this one is %s", s.Status)
		}
		s.Status, s.ClosedAt = SurveyClosed, &now
		return nil
	})
}

// AnswerSurvey records a household's answers to an open survey, replacing
// any it gave before; the tags they map to join the household's profile.
func (r *Registry) AnswerSurvey(ctx context.Context, communityID, surveyID string, in ResponseInput) (Response, error) {
	p, err := authorize(ctx, communityID, ErrNotMember)
	if err != nil {
		return Response{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Response{}, err
	}
	var out Response
	err = r.store.Update(ctx, func(tx Tx) error {
		if !p.Administers(communityID) && ownHousehold(ctx, tx, p, communityID) != in.HouseholdID {
			return forbidden(ErrAnswerForOthers)
		}
		s, err := tx.Survey(ctx, communityID, surveyID)
		if err != nil {
			return err
		}
		if s.Status != SurveyOpen {
			return ErrSurveyState.Refuse("survey %q is %s: it takes answers only while open", s.Title, s.Status)
		}
		if _, err := ref(ctx, tx, householdKind, communityID, in.HouseholdID, "household_id"); err != nil {
			return err
		}
		interests, needs, err := s.check(in.Answers)
		if err != nil {
			return err
		}
		out = Response{ID: r.newID(), CommunityID: communityID, SurveyID: surveyID, HouseholdID: in.HouseholdID, Answers: in.Answers,
			Interests: interests, Needs: needs, By: p.ID, SubmittedAt: r.clock()}
		if err := tx.PutResponse(ctx, out); err != nil {
			return err
		}
		// The response keeps the first one's ID.
		rs, err := tx.FindResponses(ctx, ResponseFilter{CommunityID: communityID, SurveyID: surveyID, HouseholdID: in.HouseholdID})
		if err != nil || len(rs) != 1 {
			return errs.Internalf("read back response: %v (%d)", err, len(rs))
		}
		out = rs[0]
		return nil
	})
	return out, err
}

// SurveyResults aggregates a survey's answers per question for the
// community and per grid (by "grid", the default) or district (by
// "district"). Free-text answers are listed for workers only.
func (r *Registry) SurveyResults(ctx context.Context, communityID, surveyID, by string) (SurveyResults, error) {
	p, err := authorize(ctx, communityID, ErrNotMember)
	if err != nil {
		return SurveyResults{}, err
	}
	if by == "" {
		by = "grid"
	}
	if by != "grid" && by != "district" {
		return SurveyResults{}, errs.Field("by", "must be grid or district")
	}
	res := SurveyResults{SurveyID: surveyID, By: by, Questions: []QuestionResult{}}
	err = r.store.View(ctx, func(tx Tx) error {
		s, err := tx.Survey(ctx, communityID, surveyID)
		if err != nil {
			return err
		}
		responses, err := tx.FindResponses(ctx, ResponseFilter{CommunityID: communityID, SurveyID: surveyID})
		if err != nil {
			return err
		}
		groupOf, names, err := householdGroups(ctx, tx, communityID, by)
		if err != nil {
			return err
		}
		res.Responses = len(responses)
		for _, q := range s.Questions {
			qr := QuestionResult{Key: q.Key, Kind: q.Kind, Text: q.Text, Overall: newTally(q), Groups: []GroupTally{}}
			groups := map[string]*Tally{}
			for _, resp := range responses {
				i := slices.IndexFunc(resp.Answers, func(a Answer) bool { return a.Question == q.Key })
				if i < 0 {
					continue
				}
				a := resp.Answers[i]
				qr.Overall.add(q, a)
				g := groupOf[resp.HouseholdID]
				if groups[g] == nil {
					t := newTally(q)
					groups[g] = &t
				}
				groups[g].add(q, a)
				if q.Kind == FreeText && a.Text != "" && p.Administers(communityID) {
					qr.Texts = append(qr.Texts, a.Text)
				}
			}
			qr.Overall.finish(q)
			for _, id := range slices.Sorted(maps.Keys(groups)) {
				t := groups[id]
				t.finish(q)
				qr.Groups = append(qr.Groups, GroupTally{ID: id, Name: names[id], Tally: *t})
			}
			res.Questions = append(res.Questions, qr)
		}
		return nil
	})
	return res, err
}

// householdGroups maps each household to its grid (or district) and names
// the groups; households outside any grid fall in "".
func householdGroups(ctx context.Context, tx Tx, communityID, by string) (map[string]string, map[string]string, error) {
	hs, _, err := tx.FindHouseholds(ctx, HouseholdFilter{CommunityID: communityID, State: AnyState})
	if err != nil {
		return nil, nil, err
	}
	bs, _, err := tx.FindBuildings(ctx, BuildingFilter{CommunityID: communityID, State: AnyState})
	if err != nil {
		return nil, nil, err
	}
	gs, _, err := tx.FindGrids(ctx, GridFilter{CommunityID: communityID, State: AnyState})
	if err != nil {
		return nil, nil, err
	}
	ds, _, err := tx.FindDistricts(ctx, DistrictFilter{CommunityID: communityID, State: AnyState})
	if err != nil {
		return nil, nil, err
	}
	gridOf := map[string]string{}
	for _, b := range bs {
		gridOf[b.ID] = b.GridID
	}
	districtOf := map[string]string{}
	names := map[string]string{"": "—"}
	for _, g := range gs {
		districtOf[g.ID] = g.DistrictID
		if by == "grid" {
			names[g.ID] = g.Name
		}
	}
	if by == "district" {
		for _, d := range ds {
			names[d.ID] = d.Name
		}
	}
	out := make(map[string]string, len(hs))
	for _, h := range hs {
		g := gridOf[h.BuildingID]
		if by == "district" {
			g = districtOf[g]
		}
		out[h.ID] = g
	}
	return out, names, nil
}

func newTally(q Question) Tally {
	t := Tally{}
	switch q.Kind {
	case SingleChoice, MultipleChoice:
		t.Options = map[string]int{}
		for _, o := range q.Options {
			t.Options[o.Key] = 0
		}
	case Scale:
		t.Values = map[string]int{}
	}
	return t
}

func (t *Tally) add(q Question, a Answer) {
	t.Answered++
	switch q.Kind {
	case SingleChoice, MultipleChoice:
		for _, o := range a.Options {
			t.Options[o]++
		}
	case Scale:
		if a.Value != nil {
			t.Values[strconv.Itoa(*a.Value)]++
			t.Mean += float64(*a.Value)
		}
	}
}

func (t *Tally) finish(q Question) {
	if q.Kind == Scale && t.Answered > 0 {
		t.Mean = float64(int(t.Mean/float64(t.Answered)*1000+0.5)) / 1000
	}
}
