package pointstest

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/points"
)

// testCaps exercises each cap of the policy: a claim beyond it earns what
// is left under it, names the cap that cut it, and the passbook holds
// what the claims earned.
func testCaps(t *testing.T, newStores NewStores) {
	n := decimal.NewFromInt
	cases := []struct {
		name   string
		set    func(*points.PolicyInput)
		before int    // hours already earned (verified) the same day
		hours  int    // the claim's hours
		want   string // points the claim earns
		capped []string
	}{
		{"no cap", func(*points.PolicyInput) {}, 0, 3, "3", nil},
		{"activity", func(p *points.PolicyInput) { p.ActivityCap = n(2) }, 0, 3, "2", []string{"activity"}},
		{"day", func(p *points.PolicyInput) { p.DailyCap = n(4) }, 3, 3, "1", []string{"day"}},
		{"day, room left", func(p *points.PolicyInput) { p.DailyCap = n(10) }, 3, 3, "3", nil},
		{"month", func(p *points.PolicyInput) { p.MonthlyCap = n(5) }, 3, 3, "2", []string{"month"}},
		{"storage", func(p *points.PolicyInput) { p.StorageCap = n(4) }, 3, 3, "1", []string{"storage"}},
		{"full already", func(p *points.PolicyInput) { p.StorageCap = n(3) }, 3, 2, "0", []string{"storage"}},
		{"each cap in turn", func(p *points.PolicyInput) { p.ActivityCap, p.DailyCap = n(2), n(3) }, 3, 3, "1", []string{"activity", "day"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, newStores)
			policy := points.DefaultPolicy
			policy.MonthlyCap = decimal.Zero
			policy.Multipliers = nil
			c.set(&policy)
			_, err := f.svc.SetPolicy(f.worker, f.community, policy)
			require.NoError(t, err)
			earned := decimal.Zero
			if c.before > 0 {
				earned = f.earn(4, c.before*60).Points
			}
			start := f.clock.Now().Add(-time.Duration(c.hours)*time.Hour - 10*time.Minute)
			a, err := f.gov.RecordActivity(f.worker, f.community, governance.ActivityInput{
				BodyID: f.group.ID, Title: "义务理发", Service: "haircut", Start: start, End: start.Add(time.Duration(c.hours) * time.Hour),
				Participants: []governance.Participant{{ResidentID: f.residents[4].ID, Minutes: c.hours * 60}},
			})
			require.NoError(t, err)
			claim, err := f.svc.Claim(f.as(4), f.community, points.ClaimInput{ActivityID: a.ID, Evidence: points.Evidence{SignIn: true}})
			require.NoError(t, err)
			eq(t, n(int64(c.hours)).String(), claim.Computed, "the policy's points before any cap")
			eq(t, c.want, claim.Points)
			assert.Equal(t, c.capped, claim.Capped)
			claim, err = f.svc.Verify(f.verifier, f.community, claim.ID, points.VerifyInput{Approve: true})
			require.NoError(t, err)
			eq(t, earned.Add(claim.Points).String(), f.balance(4), "the passbook holds what the claims earned")
		})
	}
}

// testVerifiers checks who verifies service: a second person (neither
// whoever filed the claim nor whoever recorded the attendance), and under
// a policy that names positions, only their holders, read as they hold
// when verifying.
func testVerifiers(t *testing.T, f *fixture) {
	// The organiser files the claims of the activity the first worker
	// recorded: neither verifies them; the second worker does.
	organiser := f.as(0)
	claims, err := f.svc.ClaimActivity(organiser, f.community, f.activity.ID, points.ActivityClaimInput{Evidence: points.Evidence{SignIn: true}})
	require.NoError(t, err)
	require.Len(t, claims, 3)
	_, err = f.svc.Verify(organiser, f.community, claims[0].ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, points.ErrSecondPerson, "whoever filed the claim")
	_, err = f.svc.Verify(f.worker, f.community, claims[0].ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, points.ErrSecondPerson, "whoever recorded the attendance")
	_, err = f.svc.Verify(f.as(1), f.community, claims[1].ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, points.ErrSelfVerify, "the volunteer")
	_, err = f.svc.Verify(f.as(5), f.community, claims[1].ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, points.ErrSelfVerify, "a resident who holds nothing, under the default policy")
	c, err := f.svc.Verify(f.verifier, f.community, claims[0].ID, points.VerifyInput{Approve: true})
	require.NoError(t, err)
	assert.Equal(t, "worker-2", c.VerifiedBy)

	// A policy that wants a committee chair or another group's leader.
	policy := points.DefaultPolicy
	policy.Verifiers = []points.Verifier{points.VerifierCommitteeChair, points.VerifierGroupLeader}
	_, err = f.svc.SetPolicy(f.worker, f.community, policy)
	require.NoError(t, err)
	got, err := f.svc.Policy(f.worker, f.community, 0)
	require.NoError(t, err)
	assert.Equal(t, policy.Verifiers, got.Verifiers, "the store keeps the verifiers")
	_, err = f.svc.Verify(f.verifier, f.community, claims[1].ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, points.ErrVerifierOffice, "a worker, when the policy does not name workers")

	committee := f.bodies[2]
	require.Equal(t, governance.Committee, committee.Kind)
	d, err := f.gov.RecordDecision(f.worker, f.community, governance.DecisionInput{Title: "任命委员会主任和小组组长"})
	require.NoError(t, err)
	_, err = f.svc.Verify(f.as(4), f.community, claims[1].ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, points.ErrVerifierOffice, "before the appointment")
	chair, err := f.gov.Appoint(f.worker, f.community, governance.AppointInput{BodyID: committee.ID, ResidentID: f.residents[4].ID, Office: governance.Chair, DecisionID: d.ID})
	require.NoError(t, err)
	c, err = f.svc.Verify(f.as(4), f.community, claims[1].ID, points.VerifyInput{Approve: true})
	require.NoError(t, err, "a committee's chair")
	assert.Equal(t, claims[1].ID, c.ID)

	// The leader of the activity's own group is not a second group's leader;
	// the leader of another group is.
	own, err := f.gov.Appoint(f.worker, f.community, governance.AppointInput{BodyID: f.group.ID, ResidentID: f.residents[5].ID, Office: governance.Leader, DecisionID: d.ID})
	require.NoError(t, err)
	_, err = f.svc.Verify(f.as(5), f.community, claims[2].ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, points.ErrVerifierOffice, "the leader of the activity's own group")
	other, err := f.gov.CreateBody(f.worker, f.community, governance.BodyInput{Kind: governance.Group, ParentID: committee.ID, Name: "巡逻小组", DistrictID: f.group.DistrictID})
	require.NoError(t, err)
	_, err = f.gov.EndPosition(f.worker, f.community, own.ID, governance.EndInput{Reason: "调任巡逻小组"})
	require.NoError(t, err)
	_, err = f.gov.Appoint(f.worker, f.community, governance.AppointInput{BodyID: other.ID, ResidentID: f.residents[5].ID, Office: governance.Leader, DecisionID: d.ID})
	require.NoError(t, err)
	_, err = f.svc.Verify(f.as(5), f.community, claims[2].ID, points.VerifyInput{Approve: true})
	require.NoError(t, err, "another group's leader")

	// An office that has ended gives no power to verify.
	e := f.earnClaim(3, 30)
	_, err = f.gov.EndPosition(f.worker, f.community, chair.ID, governance.EndInput{Reason: "任期届满"})
	require.NoError(t, err)
	_, err = f.svc.Verify(f.as(4), f.community, e.ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, points.ErrVerifierOffice, "a chair whose position ended")
	eq(t, "3", f.balance(1), "two hours of elder visiting at 1.5, verified")
	eq(t, "2.25", f.balance(2), "ninety minutes at 1.5, verified")
	eq(t, "1.5", f.balance(3), "an hour at 1.5, verified; the half hour's claim still pending")
}

// earnClaim files resident i's claim for a fresh activity, unverified.
func (f *fixture) earnClaim(i, minutes int) points.Claim {
	f.t.Helper()
	start := f.clock.Now().Add(-time.Duration(minutes)*time.Minute - time.Hour)
	a, err := f.gov.RecordActivity(f.worker, f.community, governance.ActivityInput{
		BodyID: f.group.ID, Title: "清扫楼道", Service: "cleaning", Start: start, End: start.Add(time.Duration(minutes) * time.Minute),
		Participants: []governance.Participant{{ResidentID: f.residents[i].ID, Minutes: minutes}},
	})
	require.NoError(f.t, err)
	c, err := f.svc.Claim(f.as(i), f.community, points.ClaimInput{ActivityID: a.ID, Evidence: points.Evidence{SignIn: true}})
	require.NoError(f.t, err)
	return c
}
