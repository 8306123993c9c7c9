package governance

import (
	"context"
	"time"

	"github.com/linli-go/linli/governance/procedure"
)

// Store persists governance records. Implementations: adapters/memstore
// and adapters/sqlstore; governancetest.RunStoreTests is the contract all
// of them pass.
//
// The conventions are grids.Store's: View and Update run transactions
// (Update serializable, rolled back on error or panic, fn possibly run
// again); getters return NotFound for an unknown ID in the community;
// creates return Conflict for a taken ID; updates replace whole records;
// finds order by ID and return the page with the total; lists come back
// empty rather than nil.
//
// Version is record.Versioned's: a number that every committed Update that
// wrote the community's records advances, from any server, so that a
// report computed at one version is served until it moves.
type Store interface {
	View(ctx context.Context, fn func(Tx) error) error
	Update(ctx context.Context, fn func(Tx) error) error
	Version(ctx context.Context, community string) (int64, error)
}

// Tx is one transaction over governance records.
type Tx interface {
	Body(ctx context.Context, community, id string) (Body, error)
	FindBodies(ctx context.Context, f BodyFilter) ([]Body, int, error)
	CreateBody(ctx context.Context, b Body) error
	UpdateBody(ctx context.Context, b Body) error

	Position(ctx context.Context, community, id string) (Position, error)
	// FindPositions orders by body, then start, then ID.
	FindPositions(ctx context.Context, f PositionFilter) ([]Position, int, error)
	CreatePosition(ctx context.Context, p Position) error
	UpdatePosition(ctx context.Context, p Position) error

	Organisation(ctx context.Context, community, id string) (Organisation, error)
	FindOrganisations(ctx context.Context, f OrganisationFilter) ([]Organisation, int, error)
	CreateOrganisation(ctx context.Context, o Organisation) error
	UpdateOrganisation(ctx context.Context, o Organisation) error

	Decision(ctx context.Context, community, id string) (Decision, error)
	FindDecisions(ctx context.Context, f DecisionFilter) ([]Decision, int, error)
	// CreateDecision records a decision; there is no update.
	CreateDecision(ctx context.Context, d Decision) error

	Nomination(ctx context.Context, community, id string) (Nomination, error)
	FindNominations(ctx context.Context, f NominationFilter) ([]Nomination, int, error)
	CreateNomination(ctx context.Context, n Nomination) error
	UpdateNomination(ctx context.Context, n Nomination) error

	Task(ctx context.Context, community, id string) (Task, error)
	FindTasks(ctx context.Context, f TaskFilter) ([]Task, int, error)
	CreateTask(ctx context.Context, t Task) error
	UpdateTask(ctx context.Context, t Task) error

	Issue(ctx context.Context, community, id string) (Issue, error)
	FindIssues(ctx context.Context, f IssueFilter) ([]Issue, int, error)
	CreateIssue(ctx context.Context, is Issue) error
	UpdateIssue(ctx context.Context, is Issue) error

	Activity(ctx context.Context, community, id string) (Activity, error)
	// FindActivities orders by start, then ID.
	FindActivities(ctx context.Context, f ActivityFilter) ([]Activity, int, error)
	CreateActivity(ctx context.Context, a Activity) error
	UpdateActivity(ctx context.Context, a Activity) error
	// FirstParticipations returns, for every resident who ever took part in
	// an activity of the community, the start of their first one.
	FirstParticipations(ctx context.Context, community string) (map[string]time.Time, error)

	Meeting(ctx context.Context, community, id string) (Meeting, error)
	// FindMeetings orders by scheduled time, then ID.
	FindMeetings(ctx context.Context, f MeetingFilter) ([]Meeting, int, error)
	CreateMeeting(ctx context.Context, m Meeting) error
	UpdateMeeting(ctx context.Context, m Meeting) error
	// MeetingEvents returns a meeting's log, in order.
	MeetingEvents(ctx context.Context, community, meeting string) ([]procedure.Event, error)
	// AppendEvent adds an event to a meeting's log; Conflict if its Seq is
	// taken (the log is append-only: nothing is changed or removed).
	AppendEvent(ctx context.Context, community, meeting string, e procedure.Event) error

	Opinion(ctx context.Context, community, id string) (Opinion, error)
	FindOpinions(ctx context.Context, f OpinionFilter) ([]Opinion, int, error)
	CreateOpinion(ctx context.Context, o Opinion) error
	UpdateOpinion(ctx context.Context, o Opinion) error

	Briefing(ctx context.Context, community, id string) (Briefing, error)
	// FindBriefings orders by when they were held, then ID.
	FindBriefings(ctx context.Context, f BriefingFilter) ([]Briefing, int, error)
	CreateBriefing(ctx context.Context, b Briefing) error

	Invitation(ctx context.Context, community, id string) (Invitation, error)
	// FindInvitations orders by ID.
	FindInvitations(ctx context.Context, f InvitationFilter) ([]Invitation, int, error)
	// CreateInvitation: Conflict if the resident has an open invitation
	// to the group already.
	CreateInvitation(ctx context.Context, i Invitation) error
	UpdateInvitation(ctx context.Context, i Invitation) error

	// Holidays returns the community's holidays in [from, to] (dates as
	// 2006-01-02), in order.
	Holidays(ctx context.Context, community, from, to string) ([]Holiday, error)
	// SetHolidays replaces the community's holidays of a year.
	SetHolidays(ctx context.Context, community string, year int, hs []Holiday) error
}
