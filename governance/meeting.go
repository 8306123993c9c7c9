package governance

import (
	"time"

	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// MeetingKind is what kind of meeting a Meeting is.
type MeetingKind string

// The kinds of meeting.
const (
	RegularMeeting MeetingKind = "regular"      // the council's monthly meeting (同心10号联席议事会)
	SpecialMeeting MeetingKind = "special"      // called for one purpose
	Assembly       MeetingKind = "assembly"     // representative assembly (居民代表大会)
	Hearing        MeetingKind = "hearing"      // 听证会: residents heard before a decision
	Consultation   MeetingKind = "consultation" // 恳谈会
	OpenSpace      MeetingKind = "open_space"   // 开放空间议事会
)

// public reports whether residents at large take part (register, speak,
// give written opinions), rather than a body's members only.
func (k MeetingKind) public() bool { return k == Hearing || k == Consultation || k == OpenSpace }

// MeetingStatus is where a meeting is.
type MeetingStatus string

// The statuses: scheduled → in_session → adjourned, or cancelled before it opens.
const (
	MeetingScheduled MeetingStatus = "scheduled"
	MeetingInSession MeetingStatus = "in_session"
	MeetingAdjourned MeetingStatus = "adjourned"
	MeetingCancelled MeetingStatus = "cancelled"
)

// MinutesStatus is where a meeting's minutes are.
type MinutesStatus string

// The statuses of minutes: draft → approved → published.
const (
	MinutesDraft     MinutesStatus = "draft"
	MinutesApproved  MinutesStatus = "approved"
	MinutesPublished MinutesStatus = "published"
)

// Meeting is a meeting of a body, or one it hosts: its notice, agenda,
// who chairs it, and the state its log of moves has made.
type Meeting struct {
	ID          string        `json:"id" validate:"ulid"`
	CommunityID string        `json:"community_id" validate:"ulid"`
	BodyID      string        `json:"body_id" validate:"required,ulid"`
	Kind        MeetingKind   `json:"kind" validate:"oneof=regular special assembly hearing consultation open_space"`
	Title       string        `json:"title" validate:"required,text,max=200"`
	Place       string        `json:"place,omitempty" validate:"omitempty,text,max=200"`
	ScheduledAt time.Time     `json:"scheduled_at"`
	Status      MeetingStatus `json:"status"`
	// Notice is the notice given to members and residents, and when.
	Notice    string       `json:"notice,omitempty" validate:"omitempty,multiline,max=5000"`
	NoticedAt *time.Time   `json:"noticed_at,omitempty"`
	ChairID   string       `json:"chair_id,omitempty" validate:"omitempty,max=64"`     // a resident, or the worker who chaired
	Secretary string       `json:"secretary_id,omitempty" validate:"omitempty,max=64"` // a resident, or the worker who took the minutes
	Agenda    []AgendaItem `json:"agenda" validate:"max=50,dive"`
	// Registrations are the residents who signed up to attend or speak at
	// a public meeting.
	Registrations []Registration `json:"registrations" validate:"max=2000,dive"`
	// Proxies are the written proxies recorded before the meeting, where
	// the body's bylaws allow them.
	Proxies []Proxy `json:"proxies" validate:"max=100,dive"`
	// Invitees are the participants a council meeting invited without a
	// vote: committee chairs and residents' representatives.
	Invitees []Invitee `json:"invitees" validate:"max=100,dive"`
	// Recommendations are what a consultation recommended to committees.
	Recommendations []Recommendation `json:"recommendations" validate:"max=100,dive"`
	// Topics are an open-space meeting's topics and their breakout groups.
	Topics []Topic `json:"topics" validate:"max=100,dive"`
	// Decisions maps each adopted main motion to the decision recorded for it.
	Decisions map[string]string `json:"decisions,omitempty"`
	// Events is how many moves the log holds.
	Events    int                 `json:"events"`
	Minutes   MinutesRecord       `json:"minutes"`
	Settings  *procedure.Settings `json:"settings,omitempty"` // the rules it opened under
	CreatedBy string              `json:"created_by"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
}

// AgendaItem is one item of business.
type AgendaItem struct {
	ID         string `json:"id"`
	Title      string `json:"title" validate:"required,text,max=200"`
	Detail     string `json:"detail,omitempty" validate:"omitempty,multiline,max=2000"`
	Minutes    int    `json:"minutes,omitempty" validate:"gte=0,lte=600"` // time allotted
	ProposedBy string `json:"proposed_by,omitempty"`
	IssueID    string `json:"issue_id,omitempty" validate:"omitempty,ulid"`
	// Accepted items are on the agenda; proposed ones await the chair.
	Accepted bool `json:"accepted"`
}

// Registration is a resident signed up for a public meeting: by
// themselves, or by a worker for a resident without a device (EnteredBy,
// and the paper form's reference).
type Registration struct {
	ResidentID string    `json:"resident_id" validate:"required,ulid"`
	Speaker    bool      `json:"speaker"`
	At         time.Time `json:"at"`
	EnteredBy  string    `json:"entered_by,omitempty" validate:"omitempty,max=64"`
	FormRef    string    `json:"form_ref,omitempty" validate:"omitempty,text,max=100"`
}

// RegistrationInput signs a resident up for a public meeting: the acting
// resident, or, entered by a worker, the resident named, from a paper form.
type RegistrationInput struct {
	ResidentID string `json:"resident_id,omitempty" validate:"omitempty,ulid"`
	Speaker    bool   `json:"speaker,omitempty"`
	FormRef    string `json:"form_ref,omitempty" validate:"omitempty,text,max=100"`
}

// Proxy is a written proxy: Member, who will be absent, authorises Holder,
// another member, to vote for them at one meeting.
type Proxy struct {
	MemberID   string    `json:"member_id" validate:"required,ulid"`
	HolderID   string    `json:"holder_id" validate:"required,ulid"`
	FormRef    string    `json:"form_ref" validate:"required,text,max=100"` // the signed paper
	RecordedBy string    `json:"recorded_by"`
	At         time.Time `json:"at"`
}

// ProxyInput records a written proxy.
type ProxyInput struct {
	MemberID string `json:"member_id" validate:"required,ulid"`
	HolderID string `json:"holder_id" validate:"required,ulid"`
	FormRef  string `json:"form_ref" validate:"required,text,max=100"`
}

// MinutesRecord is where a meeting's minutes are: drafted from the log
// when it adjourns, approved at a later meeting of the body, published;
// corrections are appended, never written over.
type MinutesRecord struct {
	Status      MinutesStatus `json:"status,omitempty"` // empty before the meeting adjourns
	ApprovedIn  string        `json:"approved_in,omitempty"`
	ApprovedAt  *time.Time    `json:"approved_at,omitempty"`
	PublishedAt *time.Time    `json:"published_at,omitempty"`
	Corrections []Correction  `json:"corrections,omitempty"`
}

// Correction is a correction appended to minutes.
type Correction struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Text string    `json:"text"`
}

// Validate checks every field.
func (m Meeting) Validate() error {
	if err := validate.Struct(m); err != nil {
		return err
	}
	if m.ScheduledAt.IsZero() {
		return errs.Field("scheduled_at", "is required")
	}
	return nil
}

// MeetingInput schedules a meeting.
type MeetingInput struct {
	BodyID      string      `json:"body_id"`
	Kind        MeetingKind `json:"kind"`
	Title       string      `json:"title"`
	Place       string      `json:"place,omitempty"`
	ScheduledAt time.Time   `json:"scheduled_at"`
	ChairID     string      `json:"chair_id,omitempty"`
	Secretary   string      `json:"secretary_id,omitempty"`
}

// MeetingUpdate changes a scheduled meeting; Agenda replaces the items'
// order, time and acceptance (items are proposed with ProposeItem).
type MeetingUpdate struct {
	Title       *string       `json:"title,omitempty"`
	Place       *string       `json:"place,omitempty"`
	ScheduledAt *time.Time    `json:"scheduled_at,omitempty"`
	ChairID     *string       `json:"chair_id,omitempty"`
	Secretary   *string       `json:"secretary_id,omitempty"`
	Agenda      *[]AgendaItem `json:"agenda,omitempty"`
}

// ItemInput proposes an agenda item.
type ItemInput struct {
	Title   string `json:"title"`
	Detail  string `json:"detail,omitempty"`
	Minutes int    `json:"minutes,omitempty"`
	IssueID string `json:"issue_id,omitempty"`
}

// MeetingFilter selects meetings; From and To bound when they are scheduled.
type MeetingFilter struct {
	CommunityID string
	BodyID      string
	Kind        MeetingKind
	Status      MeetingStatus
	From, To    *time.Time
	grids.Page
}

// Opinion is a resident's written opinion on a public meeting's matter,
// given online before it or at it, and the public answer, linked to the
// decision or issue it affected.
type Opinion struct {
	ID          string     `json:"id" validate:"ulid"`
	CommunityID string     `json:"community_id" validate:"ulid"`
	MeetingID   string     `json:"meeting_id" validate:"required,ulid"`
	ResidentID  string     `json:"resident_id,omitempty" validate:"omitempty,ulid"`
	Text        string     `json:"text" validate:"required,multiline,max=5000"`
	Online      bool       `json:"online"`
	Answer      string     `json:"answer,omitempty" validate:"omitempty,multiline,max=5000"`
	AnsweredBy  string     `json:"answered_by,omitempty"`
	AnsweredAt  *time.Time `json:"answered_at,omitempty"`
	Link        *Link      `json:"link,omitempty"` // the decision or issue it affected
	// EnteredBy is the worker who entered it for a resident without a
	// device, from the paper form FormRef.
	EnteredBy string    `json:"entered_by,omitempty"`
	FormRef   string    `json:"form_ref,omitempty" validate:"omitempty,text,max=100"`
	CreatedAt time.Time `json:"created_at"`
}

// OpinionInput gives an opinion: the acting resident's, or, entered by a
// worker, the named resident's from a paper form (FormRef required).
type OpinionInput struct {
	Text       string `json:"text"`
	ResidentID string `json:"resident_id,omitempty"`
	FormRef    string `json:"form_ref,omitempty"`
}

// AnswerInput answers an opinion publicly.
type AnswerInput struct {
	Answer string `json:"answer" validate:"required,multiline,max=5000"`
	Link   *Link  `json:"link,omitempty"`
}

// OpinionFilter selects opinions.
type OpinionFilter struct {
	CommunityID string
	MeetingID   string
	ResidentID  string
	Unanswered  bool
	grids.Page
}

// Holiday is a day of the community's official calendar: a holiday the
// meetings avoid, or, with Workday, an official make-up working day
// (调休补班), a Saturday or Sunday worked in exchange for a holiday,
// which counts as a working day.
type Holiday struct {
	Date    string `json:"date" validate:"required,datetime=2006-01-02"`
	Name    string `json:"name" validate:"required,text,max=100"`
	Workday bool   `json:"workday,omitempty"`
}

// Recurrence is a body's rule for its regular meetings: "the 10th of every
// month at 19:00", moved off days off as Shift says. Days off are the
// calendar's holidays and, unless the body meets on weekends, Saturdays
// and Sundays that are not make-up working days.
type Recurrence struct {
	Day   int    `json:"day" validate:"gte=1,lte=28"`
	Time  string `json:"time" validate:"required,datetime=15:04"`
	Place string `json:"place,omitempty" validate:"omitempty,text,max=200"`
	// Shift: next (the next working day), previous, or none.
	Shift string `json:"shift" validate:"oneof=next previous none"`
	// Weekends: the body meets on weekends, so only holidays move it.
	Weekends bool `json:"weekends,omitempty"`
	// Zone is the IANA time zone the time is in.
	Zone string `json:"zone" validate:"required,max=64"`
}
