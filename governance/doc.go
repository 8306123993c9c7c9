// Package governance models the case's three-tier self-governance: the
// council (邻里伙伴自治理事会, nine seats) above eight functional committees
// (银发 Silver, 爱芽 Sprout, 洁美 Clean, 活力 Vitality, 智慧 Wisdom, 平安 Safety,
// 便民 Convenience, 红星 RedStar) above mutual-aid groups rooted in districts
// and grids; the think tank (民生智库); social organisations; and the
// residents who lead them.
//
// # Bodies and positions
//
// Council, committees, groups and the think tank are Bodies. Who holds
// which office in which body, from when to when, and by which council
// Decision, is a Position; positions are never overwritten: a holder's
// term ends and a new position begins. Leaders are put forward by
// Nomination (self-nomination or recommendation), reviewed, and appointed
// by a recorded council decision. Residents join groups themselves.
//
// # Work up and down
//
// The council (or a body's chair) assigns Tasks down to committees and
// groups; they report progress up and escalate problems, which become
// community Issues. An issue travels raised → deliberated → decided →
// carried out → reviewed, or is declined with a public reason; each step
// records who, when, and the meeting, decision or task behind it.
//
// # Activities and evaluation
//
// Every Activity a group or committee runs records its participants and
// each one's minutes of service, unambiguously: the points package pays
// for them. Evaluate counts what the case reports — groups formed,
// activities held, new volunteers, service hours, kinds of service — for
// any period, per body and in total.
//
// # Meetings
//
// A body may have a rule for its regular meetings (the council: the 10th
// of every month, moved off weekends and the community's holidays);
// Schedule makes them. Items are proposed in advance and accepted by the
// chair; OpenMeeting calls a meeting to order with the body's members as
// its roster and the business its last meeting left; Act makes each move
// through the Robert's Rules engine in package procedure, appending it to
// the meeting's log. An adopted main motion becomes the body's Decision,
// linked to the meeting; minutes are drafted from the log, approved at the
// next meeting, corrected by appending, published. Hearings, consultations
// and open-space meetings take registrations and written opinions, each
// answered publicly and linked to the decision or issue it affected.
//
// # Rules
//
// Only the council appoints; only a body's chair or the council assigns it
// work; a group leader manages their group's members and activities;
// residents raise issues and join groups; community workers administer.
// Refusals are Forbidden errors naming the rule. Who sits where is read
// from positions, not from a principal's roles: a token's council_member
// role without a council position gives no power here, and a resident
// appointed to the council acts on it at once. Service implements
// grids.Bodies, so the registry can check references to committees,
// groups and organisations.
package governance
