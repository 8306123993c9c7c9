// Package procedure is a Robert's Rules of Order engine: a pure,
// deterministic state machine over a meeting's append-only event log.
//
// A meeting is a State; State.Apply checks one Event against the rules and
// returns the next state, or an error naming the rule the event breaks
// ("out of order: a motion to amend is not in order while the previous
// question is pending (RONR 5:9 …)"), leaving the state as it was.
// Replaying the log rebuilds the state exactly, so a store keeps only the
// events.
//
// The engine knows the motions of RONR (12th ed.) in one data table,
// Rules: rank, second, debate, amendment and vote threshold of each; the
// stack of pending motions in order of precedence; recognition and the
// speakers' queue with time and speech limits; the mover who may not
// second; votes by voice, show of hands, roll call and ballot, with the
// snapshot of who was present and eligible, recusal, and the chair's vote;
// quorum before business and at every vote; points of order, rulings and
// appeals; referral to a committee and its report; postponement, the
// table, reconsideration; recess and adjournment, after which pending
// business is unfinished and carried to the next meeting. Settings.SmallBoard
// selects the rules for boards of about a dozen (RONR 49:21): no seconds,
// unlimited speeches, informal discussion, a chair who moves and votes.
//
// Simplifications, each a choice RONR leaves to the assembly or rarely
// needs: an amendment gives the whole new wording; the previous question
// applies to the immediately pending question only; reconsideration
// applies to main motions decided in the same meeting and is taken up when
// nothing is pending; suspending the rules lifts the speech limits for the
// current item; a voice vote cannot decide a two-thirds question.
package procedure
