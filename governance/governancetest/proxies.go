package governancetest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

// testProxies: a written proxy is recorded only where the body's bylaws
// allow it, before the meeting, one per member given and held, and the
// stores keep it; the meeting opens with it in its settings.
func testProxies(t *testing.T, f *fixture) {
	c := f.community.ID
	worker := f.seatCouncil(5)
	m, err := f.svc.ScheduleMeeting(worker, c, governance.MeetingInput{BodyID: f.council.ID, Kind: governance.SpecialMeeting, Title: "专题会", ScheduledAt: f.now()})
	require.NoError(t, err)
	give := governance.ProxyInput{MemberID: f.residents[3].ID, HolderID: f.residents[1].ID, FormRef: "委托书-001"}
	_, err = f.svc.RecordProxy(worker, c, m.ID, give)
	assert.ErrorIs(t, err, governance.ErrProxy, "not allowed by default")

	yes := true
	_, err = f.svc.UpdateBody(worker, c, f.council.ID, governance.BodyUpdate{Proxies: &yes})
	require.NoError(t, err)
	_, err = f.svc.RecordProxy(worker, c, m.ID, governance.ProxyInput{MemberID: f.residents[5].ID, HolderID: f.residents[1].ID, FormRef: "x"})
	assert.ErrorIs(t, err, grids.Invalid, "a proxy is between members of the body")
	_, err = f.svc.RecordProxy(worker, c, m.ID, give)
	require.NoError(t, err)
	_, err = f.svc.RecordProxy(worker, c, m.ID, governance.ProxyInput{MemberID: f.residents[4].ID, HolderID: f.residents[1].ID, FormRef: "委托书-002"})
	assert.ErrorIs(t, err, governance.ErrProxy, "a member holds at most one proxy")
	_, err = f.svc.RecordProxy(worker, c, m.ID, governance.ProxyInput{MemberID: f.residents[3].ID, HolderID: f.residents[2].ID, FormRef: "委托书-003"})
	assert.ErrorIs(t, err, governance.ErrProxy, "a member gives at most one proxy")
	got := mustGet(f, func(tx governance.Tx) (governance.Meeting, error) { return tx.Meeting(f.ctx, c, m.ID) })
	require.Len(t, got.Proxies, 1)
	assert.Equal(t, "委托书-001", got.Proxies[0].FormRef)
	assert.Equal(t, "w", got.Proxies[0].RecordedBy)
	body := mustGet(f, func(tx governance.Tx) (governance.Body, error) { return tx.Body(f.ctx, c, f.council.ID) })
	assert.True(t, body.Proxies, "the store keeps the bylaws")

	v, err := f.svc.OpenMeeting(worker, c, m.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{f.residents[3].ID: f.residents[1].ID}, v.State.Settings.Proxies)
	_, err = f.svc.RecordProxy(worker, c, m.ID, governance.ProxyInput{MemberID: f.residents[4].ID, HolderID: f.residents[2].ID, FormRef: "委托书-004"})
	assert.ErrorIs(t, err, governance.ErrProxy, "recorded before the meeting, not during it")
}

// testPaperEntries: at a public meeting a worker registers a resident
// without a device and enters their paper opinion, recorded as entered
// by the worker with the form's reference, and the minutes say so.
func testPaperEntries(t *testing.T, f *fixture) {
	c := f.community.ID
	worker := f.seatCouncil(1)
	elder := f.residents[5]
	m, err := f.svc.ScheduleMeeting(worker, c, governance.MeetingInput{BodyID: f.council.ID, Kind: governance.Hearing, Title: "加装电梯听证会", ScheduledAt: f.now()})
	require.NoError(t, err)
	resident := grids.WithPrincipal(f.ctx, grids.Principal{ID: "p", CommunityID: c, Name: "r", Roles: []grids.Role{grids.RoleResident}, ResidentID: f.residents[4].ID})
	_, err = f.svc.RegisterResident(resident, c, m.ID, governance.RegistrationInput{ResidentID: elder.ID})
	assert.ErrorIs(t, err, governance.ErrTakePart, "only a worker enters for another")
	got, err := f.svc.RegisterResident(worker, c, m.ID, governance.RegistrationInput{ResidentID: elder.ID, Speaker: true, FormRef: "报名表-07"})
	require.NoError(t, err)
	require.Len(t, got.Registrations, 1)
	assert.Equal(t, "w", got.Registrations[0].EnteredBy)
	_, err = f.svc.GiveOpinion(worker, c, m.ID, governance.OpinionInput{Text: "同意加装", ResidentID: elder.ID})
	assert.ErrorIs(t, err, grids.Invalid, "a paper opinion names its form")
	o, err := f.svc.GiveOpinion(worker, c, m.ID, governance.OpinionInput{Text: "同意加装，但要照顾一楼住户", ResidentID: elder.ID, FormRef: "意见表-12"})
	require.NoError(t, err)
	stored := mustGet(f, func(tx governance.Tx) (governance.Opinion, error) { return tx.Opinion(f.ctx, c, o.ID) })
	assert.Equal(t, elder.ID, stored.ResidentID)
	assert.Equal(t, "w", stored.EnteredBy)
	assert.Equal(t, "意见表-12", stored.FormRef)
	assert.False(t, stored.Online)

	_, err = f.svc.OpenMeeting(worker, c, m.ID)
	require.NoError(t, err)
	mv, err := f.svc.Minutes(worker, c, m.ID)
	require.NoError(t, err)
	require.Len(t, mv.Opinions, 1)
	assert.Equal(t, "w", mv.Opinions[0].EnteredBy)
	assert.True(t, strings.Contains(mv.Markdown, "entered by w from paper form 意见表-12"), mv.Markdown)
	assert.True(t, strings.Contains(mv.Markdown, "报名表-07"), "the registration entered from paper")
}
