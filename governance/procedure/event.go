package procedure

import "time"

// Type is what an event does.
type Type string

// The events. "Chair" events are the chair's (By must be the chair);
// "member" events are a present member's own; "record" events are kept by
// the chair, the secretary or a clerk for others.
const (
	Open         Type = "open"          // chair: call to order, with the roster and the rules
	Arrive       Type = "arrive"        // record: Member arrives (Mode: in_person, online, recorded)
	Leave        Type = "leave"         // record: Member leaves
	TakeUp       Type = "take_up"       // chair: move to agenda Item
	Move         Type = "move"          // member: make a motion of Kind (Text; Target; Committee; Until; Minutes, Count)
	Second       Type = "second"        // member: second Motion
	Drop         Type = "drop"          // chair: Motion dies for want of a second
	Withdraw     Type = "withdraw"      // member: the mover withdraws Motion before it is voted on
	RequestFloor Type = "request_floor" // member: seek recognition
	Recognize    Type = "recognize"     // chair: give the floor to Member
	EndSpeech    Type = "end_speech"    // the speaker yields, or the chair ends the speech
	Recuse       Type = "recuse"        // member: abstain from Motion for a personal interest (Text: why)
	CallVote     Type = "call_vote"     // chair: put the pending question to a vote by Method
	Cast         Type = "cast"          // member, or record: Member votes Choice
	Tally        Type = "tally"         // record: the counted Yes, No and Abstain of a show of hands
	CloseVote    Type = "close_vote"    // chair: announce the result (Outcome for a voice vote)
	PointOfOrder Type = "point_of_order"
	RuleOnPoint  Type = "rule"          // chair: rule on the point of order (Sustained; Text: why)
	Resume       Type = "resume"        // chair: end a recess
	ResumeMotion Type = "resume_motion" // chair: take up a postponed or unfinished Motion
	Report       Type = "report"        // member: a committee reports on a referred Motion (Text: recommendation)
	Close        Type = "close"         // chair: end a meeting that takes no votes (Settings.NoVotes)
)

// Vote methods.
const (
	Voice    = "voice"
	Hands    = "hands" // show of hands, counted
	RollCall = "roll_call"
	Ballot   = "ballot" // secret: minutes show the tally only
)

// Attendance modes.
const (
	InPerson = "in_person"
	Online   = "online"
	Recorded = "recorded" // present in person, recorded by a worker (no device)
)

// Choices.
const (
	Yes     = "yes"
	No      = "no"
	Abstain = "abstain"
)

// Event is one entry of a meeting's log. Fields beyond At, Type and By
// are used by the types that name them.
type Event struct {
	Seq  int       `json:"seq"` // its place in the log, from 1; set by Apply
	At   time.Time `json:"at"`
	Type Type      `json:"type"`
	By   string    `json:"by"` // the member acting, or the chair
	// Clerk marks an event recorded by a clerk (a community worker) for
	// the meeting: attendance, a count, a roll-call vote. The application
	// sets it for its workers; members never do.
	Clerk bool `json:"clerk,omitempty"`
	// For is whom a clerk enters the move for: a member without a device
	// who moved, seconded or voted aloud, or the chair whose ruling the
	// clerk keys in. The application makes it the event's By, and marks
	// the event Clerk.
	For string `json:"for,omitempty"`

	Member string `json:"member,omitempty"` // arrive, leave, recognize, cast
	Mode   string `json:"mode,omitempty"`   // arrive: attendance mode
	Item   string `json:"item,omitempty"`   // take_up

	Motion    string     `json:"motion,omitempty"`    // second, drop, withdraw, recuse, resume_motion, report
	Kind      Kind       `json:"kind,omitempty"`      // move
	Text      string     `json:"text,omitempty"`      // move: the wording (for an amendment, the whole new wording); recuse, rule: why; report: the recommendation
	Target    string     `json:"target,omitempty"`    // move: the motion or ruling it applies to, when not the pending one
	Committee string     `json:"committee,omitempty"` // move commit: the body referred to
	Until     *time.Time `json:"until,omitempty"`     // move postpone: the time (the next meeting if none)
	Minutes   int        `json:"minutes,omitempty"`   // move limit_debate: minutes per speech; move recess: its length
	Count     int        `json:"count,omitempty"`     // move limit_debate: speeches per member

	Method  string `json:"method,omitempty"`  // call_vote
	Choice  string `json:"choice,omitempty"`  // cast
	Yes     int    `json:"yes,omitempty"`     // tally
	No      int    `json:"no,omitempty"`      // tally
	Abstain int    `json:"abstain,omitempty"` // tally
	Outcome string `json:"outcome,omitempty"` // close_vote of a voice vote: adopted or lost

	Sustained bool `json:"sustained,omitempty"` // rule

	// open
	Roster    []string  `json:"roster,omitempty"`  // the members who may move, speak and vote
	Invited   []string  `json:"invited,omitempty"` // invited participants who may speak when recognised, but not move or vote
	Chair     string    `json:"chair,omitempty"`
	Secretary string    `json:"secretary,omitempty"`
	Agenda    []string  `json:"agenda,omitempty"` // item IDs, in order
	Settings  *Settings `json:"settings,omitempty"`
	Carried   []Carried `json:"carried,omitempty"` // business brought from earlier meetings
}

// Settings are a body's rules of procedure.
type Settings struct {
	// SmallBoard: RONR 49:21 for boards of about a dozen or fewer — no
	// seconds, any number of speeches, informal discussion with no motion
	// pending, and the chair moves, speaks and votes.
	SmallBoard bool `json:"small_board"`
	// Quorum: how many members must be present; 0 means a majority.
	Quorum int `json:"quorum,omitempty"`
	// SpeechMinutes and Speeches bound each member's speeches on a
	// question: 10 minutes and 2 by default (RONR 43:8), none in small
	// boards.
	SpeechMinutes int `json:"speech_minutes,omitempty"`
	Speeches      int `json:"speeches,omitempty"`
	// Proxies maps an absent member to the member who holds their written
	// proxy, where the bylaws allow proxies (RONR 45:70): the holder, if
	// present, votes for them. Proxies do not count towards the quorum.
	Proxies map[string]string `json:"proxies,omitempty"`
	// NoVotes: the meeting deliberates but takes no binding vote (a
	// consultation or an open-space meeting): no motion is in order and
	// the chair closes it.
	NoVotes bool `json:"no_votes,omitempty"`
}

// Carried is business brought to a meeting from an earlier one: a
// motion postponed to it, left unfinished, laid on the table, or referred
// to a committee.
type Carried struct {
	Ref    string `json:"ref"` // where it came from: meeting and motion
	Text   string `json:"text"`
	Status Status `json:"status" validate:"oneof=postponed unfinished tabled referred"`
	// Committee the motion was referred to.
	Committee string `json:"committee,omitempty"`
}
