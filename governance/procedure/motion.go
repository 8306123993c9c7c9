package procedure

// Kind is a kind of motion.
type Kind string

// The motions the engine knows (RONR 12th ed., sections in brackets).
const (
	Main                 Kind = "main"                  // §10
	PostponeIndefinitely Kind = "postpone_indefinitely" // §11
	Amend                Kind = "amend"                 // §12
	Commit               Kind = "commit"                // §13: refer to a committee
	Postpone             Kind = "postpone"              // §14: to a certain time
	LimitDebate          Kind = "limit_debate"          // §15: limit or extend debate
	PreviousQuestion     Kind = "previous_question"     // §16: close debate
	LayOnTable           Kind = "lay_on_table"          // §17
	Recess               Kind = "recess"                // §20
	Adjourn              Kind = "adjourn"               // §21
	Appeal               Kind = "appeal"                // §24: from the chair's ruling
	SuspendRules         Kind = "suspend_rules"         // §25
	TakeFromTable        Kind = "take_from_table"       // §34
	Reconsider           Kind = "reconsider"            // §37
)

// Class is how a motion relates to the others.
type Class string

// The classes of motion.
const (
	MainClass   Class = "main"
	Subsidiary  Class = "subsidiary"  // applies to another motion, to help dispose of it
	Privileged  Class = "privileged"  // urgent matters of the assembly, unrelated to the pending business
	Incidental  Class = "incidental"  // arises out of the pending business or the conduct of the meeting
	Restorative Class = "restorative" // brings a question again before the assembly
)

// Debate says whether a motion may be debated.
type Debate string

// How motions are debated.
const (
	Debatable    Debate = "yes"
	Undebatable  Debate = "no"
	AsItsTarget  Debate = "as_target" // when the motion it applies to is
	OpensTheMain Debate = "opens_main"
)

// Threshold is the vote a motion needs.
type Threshold string

// The thresholds: a majority or two-thirds of the votes cast (abstentions
// don't count, a tie fails); or none, decided by the chair.
const (
	Majority  Threshold = "majority"
	TwoThirds Threshold = "two_thirds"
	ChairRule Threshold = "chair"
)

// Rule is what RONR says about one kind of motion: the data table the
// engine decides by.
type Rule struct {
	Kind      Kind      `json:"kind"`
	Section   string    `json:"section"` // in RONR, 12th edition
	Class     Class     `json:"class"`
	Rank      int       `json:"rank"` // order of precedence; 0 for incidental and restorative motions, which have none
	Second    bool      `json:"second"`
	Debate    Debate    `json:"debate"`
	Amendable bool      `json:"amendable"`
	Threshold Threshold `json:"threshold"`
	// Target says which motion it applies to: "" none, "pending" the
	// immediately pending question, "main" the pending main motion,
	// "tabled" a motion on the table, "decided" a main motion decided in
	// this meeting, "ruling" the chair's last ruling.
	Target string `json:"target"`
	// Quorumless motions are in order without a quorum.
	Quorumless bool `json:"quorumless,omitempty"`
}

// incidentalRank places pending incidental motions above every ranked
// motion: they are decided before the business they arose from resumes.
const incidentalRank = 100

// Rules is the table of motions, in order of precedence.
var Rules = map[Kind]Rule{
	Main:                 {Main, "10", MainClass, 1, true, Debatable, true, Majority, "", false},
	PostponeIndefinitely: {PostponeIndefinitely, "11", Subsidiary, 2, true, OpensTheMain, false, Majority, "main", false},
	Amend:                {Amend, "12", Subsidiary, 3, true, AsItsTarget, true, Majority, "pending", false},
	Commit:               {Commit, "13", Subsidiary, 4, true, Debatable, true, Majority, "main", false},
	Postpone:             {Postpone, "14", Subsidiary, 5, true, Debatable, true, Majority, "main", false},
	LimitDebate:          {LimitDebate, "15", Subsidiary, 6, true, Undebatable, true, TwoThirds, "pending", false},
	PreviousQuestion:     {PreviousQuestion, "16", Subsidiary, 7, true, Undebatable, false, TwoThirds, "pending", false},
	LayOnTable:           {LayOnTable, "17", Subsidiary, 8, true, Undebatable, false, Majority, "main", false},
	Recess:               {Recess, "20", Privileged, 11, true, Undebatable, true, Majority, "", true},
	Adjourn:              {Adjourn, "21", Privileged, 12, true, Undebatable, false, Majority, "", true},
	Appeal:               {Appeal, "24", Incidental, 0, true, Debatable, false, Majority, "ruling", false},
	SuspendRules:         {SuspendRules, "25", Incidental, 0, true, Undebatable, false, TwoThirds, "", false},
	TakeFromTable:        {TakeFromTable, "34", Restorative, 0, true, Undebatable, false, Majority, "tabled", false},
	Reconsider:           {Reconsider, "37", Restorative, 0, true, AsItsTarget, false, Majority, "decided", false},
}

// Kinds lists the motions in order of precedence, then the others.
func Kinds() []Kind {
	return []Kind{Main, PostponeIndefinitely, Amend, Commit, Postpone, LimitDebate, PreviousQuestion, LayOnTable, Recess, Adjourn,
		Appeal, SuspendRules, TakeFromTable, Reconsider}
}

// name is how refusals speak of a motion.
var name = map[Kind]string{
	Main: "a main motion", PostponeIndefinitely: "a motion to postpone indefinitely", Amend: "a motion to amend",
	Commit: "a motion to refer to a committee", Postpone: "a motion to postpone to a certain time", LimitDebate: "a motion to limit or extend debate",
	PreviousQuestion: "the previous question", LayOnTable: "a motion to lay on the table", Recess: "a motion to recess",
	Adjourn: "a motion to adjourn", Appeal: "an appeal from the chair's ruling", SuspendRules: "a motion to suspend the rules",
	TakeFromTable: "a motion to take from the table", Reconsider: "a motion to reconsider",
}
