package memstore

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/linli-go/linli/grids"
)

// deep copies a record through JSON, so the store and its callers never
// share slices or pointers: records here nest (events, questions, reports).
func deep[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // records are plain data
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// ---- needs ----

func (tx *gridsTx) Need(_ context.Context, community, id string) (grids.Need, error) {
	n, err := one(tx.d.needs, "need", community, id)
	return deep(n), err
}

func (tx *gridsTx) FindNeeds(_ context.Context, f grids.NeedFilter) ([]grids.Need, int, error) {
	out, n, err := find(tx.d.needs, f.CommunityID, f.Page, func(n grids.Need) bool {
		return (f.Kind == "" || n.Kind == f.Kind) && (f.Source == "" || n.Source == f.Source) &&
			(f.Status == "" || n.Status == f.Status) && (f.Tag == "" || slices.Contains(n.Tags, f.Tag)) &&
			(f.HouseholdID == "" || n.HouseholdID == f.HouseholdID) &&
			(f.AssigneeID == "" || n.Assignee != nil && n.Assignee.ID == f.AssigneeID) &&
			(!f.Unclaimed || n.Kind == grids.KindMicroWish && n.ClaimedBy == nil)
	})
	return mapSlice(out, deep[grids.Need]), n, err
}

func (tx *gridsTx) checkNeed(n grids.Need) error {
	if n.HouseholdID != "" {
		return exists(tx.d.households, "household", n.CommunityID, n.HouseholdID)
	}
	return nil
}

func (tx *gridsTx) CreateNeed(_ context.Context, n grids.Need) error {
	if err := tx.checkNeed(n); err != nil {
		return err
	}
	return create(tx, tx.d.needs, "need", n.CommunityID, n.ID, deep(n))
}

func (tx *gridsTx) UpdateNeed(_ context.Context, n grids.Need) error {
	if err := tx.checkNeed(n); err != nil {
		return err
	}
	return replace(tx, tx.d.needs, "need", n.CommunityID, n.ID, deep(n))
}

// ---- surveys ----

func (tx *gridsTx) Survey(_ context.Context, community, id string) (grids.Survey, error) {
	s, err := one(tx.d.surveys, "survey", community, id)
	return deep(s), err
}

func (tx *gridsTx) FindSurveys(_ context.Context, f grids.SurveyFilter) ([]grids.Survey, int, error) {
	out, n, err := find(tx.d.surveys, f.CommunityID, f.Page,
		func(s grids.Survey) bool { return f.Status == "" || s.Status == f.Status })
	return mapSlice(out, deep[grids.Survey]), n, err
}

func (tx *gridsTx) CreateSurvey(_ context.Context, s grids.Survey) error {
	return create(tx, tx.d.surveys, "survey", s.CommunityID, s.ID, deep(s))
}

func (tx *gridsTx) UpdateSurvey(_ context.Context, s grids.Survey) error {
	return replace(tx, tx.d.surveys, "survey", s.CommunityID, s.ID, deep(s))
}

func responseKey(survey, household string) string { return survey + "/" + household }

func (tx *gridsTx) PutResponse(_ context.Context, r grids.Response) error {
	if err := tx.inCommunity(r.CommunityID); err != nil {
		return err
	}
	if err := exists(tx.d.surveys, "survey", r.CommunityID, r.SurveyID); err != nil {
		return err
	}
	if err := exists(tx.d.households, "household", r.CommunityID, r.HouseholdID); err != nil {
		return err
	}
	key := responseKey(r.SurveyID, r.HouseholdID)
	if old, ok := tx.d.responses.get(r.CommunityID, key); ok {
		r.ID = old.ID
	}
	return tx.d.responses.put(tx.txn, r.CommunityID, key, deep(r))
}

func (tx *gridsTx) FindResponses(_ context.Context, f grids.ResponseFilter) ([]grids.Response, error) {
	out, _, _ := find(tx.d.responses, f.CommunityID, grids.Page{}, func(r grids.Response) bool {
		return (f.SurveyID == "" || r.SurveyID == f.SurveyID) && (f.HouseholdID == "" || r.HouseholdID == f.HouseholdID)
	})
	return mapSlice(out, deep[grids.Response]), nil
}

// ---- regrouping plans ----

func (tx *gridsTx) RegroupPlan(_ context.Context, community, id string) (grids.RegroupPlan, error) {
	p, err := one(tx.d.plans, "plan", community, id)
	return deep(p), err
}

func (tx *gridsTx) FindRegroupPlans(_ context.Context, f grids.PlanFilter) ([]grids.RegroupPlan, int, error) {
	out, n, err := find(tx.d.plans, f.CommunityID, f.Page,
		func(p grids.RegroupPlan) bool { return f.Status == "" || p.Status == f.Status })
	return mapSlice(out, deep[grids.RegroupPlan]), n, err
}

func (tx *gridsTx) CreateRegroupPlan(_ context.Context, p grids.RegroupPlan) error {
	return create(tx, tx.d.plans, "plan", p.CommunityID, p.ID, deep(p))
}

func (tx *gridsTx) UpdateRegroupPlan(_ context.Context, p grids.RegroupPlan) error {
	return replace(tx, tx.d.plans, "plan", p.CommunityID, p.ID, deep(p))
}

// ---- memberships ----

func (tx *gridsTx) OpenMembership(_ context.Context, m grids.Membership) error {
	return create(tx, tx.d.memberships, "membership", m.CommunityID, m.ID, deep(m))
}

func (tx *gridsTx) CloseMembership(_ context.Context, community string, kind grids.MembershipKind, member string, at time.Time) error {
	for id, m := range tx.d.memberships[community] {
		if m.Kind == kind && m.MemberID == member && m.To == nil {
			m.To = &at
			if err := tx.d.memberships.put(tx.txn, community, id, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *gridsTx) FindMemberships(_ context.Context, f grids.MembershipFilter) ([]grids.Membership, int, error) {
	all, _, _ := find(tx.d.memberships, f.CommunityID, grids.Page{}, func(m grids.Membership) bool {
		return (f.Kind == "" || m.Kind == f.Kind) && (f.MemberID == "" || m.MemberID == f.MemberID) &&
			(f.GroupID == "" || m.GroupID == f.GroupID) &&
			(f.At == nil || !m.From.After(*f.At) && (m.To == nil || m.To.After(*f.At)))
	})
	order := func(a, b grids.Membership) int {
		return cmp.Or(cmp.Compare(a.MemberID, b.MemberID), a.From.Compare(b.From), cmp.Compare(a.ID, b.ID))
	}
	slices.SortStableFunc(all, order)
	out, n, err := cut(all, f.Page, func(id string) (grids.Membership, bool) { return tx.d.memberships.get(f.CommunityID, id) }, order)
	return mapSlice(out, deep[grids.Membership]), n, err
}
