package main

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// TestStreamOutlivesTheWriteTimeout: the live view's stream runs as long
// as the meeting, past the server's write timeout, and each move reaches
// it as an event whose ID is the log's sequence.
func TestStreamOutlivesTheWriteTimeout(t *testing.T) {
	s, com, store := memorySiteStore(t)
	ctx := context.Background()
	_, err := governancedemo.Seed(ctx, store.Governance(), store.Grids(), com.ID, time.Now(), 1)
	require.NoError(t, err)
	worker := grids.WithPrincipal(ctx, grids.Principal{ID: "clerk", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	councils, _, err := s.gov.FindBodies(worker, governance.BodyFilter{CommunityID: com.ID, Kind: governance.Council})
	require.NoError(t, err)
	require.Len(t, councils, 1)
	m, err := s.gov.ScheduleMeeting(worker, com.ID, governance.MeetingInput{BodyID: councils[0].ID, Kind: governance.SpecialMeeting, Title: "临时会议", ScheduledAt: time.Now()})
	require.NoError(t, err)
	v, err := s.gov.OpenMeeting(worker, com.ID, m.ID)
	require.NoError(t, err)

	mux := http.NewServeMux()
	s.routes(func(pattern string, h http.Handler) { mux.Handle(pattern, h) })
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.WriteTimeout = time.Second
	srv.Start()
	defer srv.Close()

	res, err := http.Get(srv.URL + "/c/" + com.ID + "/meetings/" + m.ID + "/stream?after=0")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	events := make(chan string, 16)
	go func() {
		lines := bufio.NewScanner(res.Body)
		for lines.Scan() {
			if id, ok := strings.CutPrefix(lines.Text(), "id: "); ok {
				events <- id
			}
		}
		close(events)
	}()
	next := func() string {
		t.Helper()
		select {
		case id, ok := <-events:
			require.True(t, ok, "the stream ended")
			return id
		case <-time.After(10 * time.Second):
			t.Fatal("no event")
		}
		return ""
	}
	assert.Equal(t, "1", next(), "the meeting as it stands")
	time.Sleep(2500 * time.Millisecond) // past the write timeout
	member := v.State.Roster[0]
	_, err = s.gov.Act(worker, com.ID, m.ID, procedure.Event{Type: procedure.Arrive, Member: member, Mode: procedure.Recorded})
	require.NoError(t, err)
	assert.Equal(t, "2", next(), "a move after the write timeout still arrives")
}
