package main

import (
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// The words of meeting procedure in Chinese, as the council's clerk and
// residents read them (罗伯特议事规则的中文用语).
var (
	motionKinds = map[procedure.Kind]string{
		procedure.Main: "主动议", procedure.PostponeIndefinitely: "无限期搁置", procedure.Amend: "修正案", procedure.Commit: "委托委员会",
		procedure.Postpone: "推迟到指定时间", procedure.LimitDebate: "限制辩论", procedure.PreviousQuestion: "结束辩论，立即表决",
		procedure.LayOnTable: "暂时搁置", procedure.Recess: "休会片刻", procedure.Adjourn: "散会", procedure.Appeal: "对主持人裁定申诉",
		procedure.SuspendRules: "暂停规则", procedure.TakeFromTable: "恢复讨论搁置的动议", procedure.Reconsider: "重议",
	}
	motionStates = map[procedure.Status]string{
		procedure.Proposed: "待附议", procedure.Pending: "审议中", procedure.Adopted: "通过", procedure.Lost: "未通过",
		procedure.Withdrawn: "撤回", procedure.Dropped: "无人附议", procedure.Tabled: "暂时搁置", procedure.Postponed: "推迟",
		procedure.Referred: "交委员会", procedure.Killed: "无限期搁置", procedure.Unfinished: "未完成，转下次会议",
	}
	voteMethods = map[string]string{
		procedure.Voice: "口头表决", procedure.Hands: "举手表决", procedure.RollCall: "点名表决", procedure.Ballot: "无记名投票",
	}
	attendance = map[string]string{procedure.InPerson: "到场", procedure.Online: "线上", procedure.Recorded: "到场（工作人员登记）"}
	choices    = map[string]string{procedure.Yes: "赞成", procedure.No: "反对", procedure.Abstain: "弃权"}
)

// word is the Chinese of a term, or the term when it has none.
func word[K ~string](words map[K]string, k K) string {
	if w, ok := words[k]; ok {
		return w
	}
	return string(k)
}

// refusals are the library's rules in Chinese, by rule name, for the
// pages: the rule's English is for developers.
var refusals = map[string]string{
	"points.not_member": "只有本社区的成员可以办理。", "points.claim_for_others": "居民只能为自己申报服务。",
	"points.self_verify": "不能审核自己申报或自己登记的服务，请另一位工作人员或组织者审核。", "points.workers_only": "只有社区工作人员可以办理。",
	"points.second_person":   "服务须由第二个人审核：申报人和登记签到的人都不能审核。",
	"points.verifier_office": "按社区的积分规则，审核服务的人须担任规定的职务（社区工作人员、委员会主任或其他小组的组长）。",
	"points.not_yours":       "这是别人的存折。", "points.gift_outside_household": "积分只能赠送给同一户的家人。",
	"points.no_policy": "社区还没有设置积分规则。", "points.activity_not_over": "活动结束后才能申报。",
	"points.not_participant": "签到表上没有这位居民。", "points.claimed_already": "这次活动已经申报过了。",
	"points.daily_minutes": "超过了每天可申报的服务时长。", "points.claim_state": "这条申报已经审核过了。",
	"points.spent": "这些积分已经用掉，不能更正。", "points.insufficient": "积分不够，换少一点或换别的物品吧。",
	"points.gifts_off": "社区没有开放积分赠送。", "points.gift_cap": "超过了今年可以赠送的积分上限。",
	"points.out_of_stock": "库存不够了。", "points.exchange_state": "这笔兑换已经办完或已取消。",
	"points.reservation_expired": "预约已过期，请重新兑换。", "points.signed_up_already": "已经报过名了。",
	"funds.workers_only": "只有社区工作人员可以办理。", "funds.not_released": "这笔经费还没有拨付，不能支出。",
	"funds.line_exceeded": "超出了这个预算科目的金额。", "funds.not_a_payment": "只能对一笔支出退款或更正。",
	"funds.reversal_exceeds": "退款或更正的金额超过了原支出。", "funds.fund_short": "基金余额不足。",
	"governance.minutes_draft": "纪要还是草稿，批准后再向居民公开。", "governance.meeting_state": "会议现在的状态不允许这样做。",
	"governance.convene": "只有主持会议的人或社区工作人员可以这样做。", "governance.workers_only": "只有社区工作人员可以办理。",
	"governance.decide": "只有理事会和社区工作人员可以处理议题。", "governance.join": "居民自己报名参加或退出小组。",
	"governance.take_part": "居民自己登记和发表意见；工作人员可凭纸质表格代为登记。", "governance.proxy": "只有章程允许时才能委托投票，委托书须在会前登记，每人只能委托一人、受托一份。", "governance.no_term": "这个职务没有任期，不需要连任。",
	"governance.brief":            "工作人员和民生智库成员可以登记楼道宣讲。",
	"governance.invite":           "理事会会议可在开会前邀请委员会主任和居民代表列席，列席者可以发言，不能表决。",
	"governance.recommend":        "恳谈会不表决：会议以向某个委员会提出建议结束，请先记录建议。",
	"governance.match":            "由社区工作人员为居民推荐并确认互助小组邀请。",
	"governance.no_match":         "只邀请居民参加与其兴趣或需求相符、离家不远的互助小组。",
	"governance.invited":          "这位居民已经收到这个小组的邀请，还没有答复。",
	"governance.invitation_state": "这份邀请已经答复过了。",
	"governance.group_full":       "这个小组已经满员。",
	"governance.open_space":       "开放空间会议中，到场的居民提出议题、参加一个讨论小组；每个小组报告负责人和下一步后才能结束会议。",
	"governance.position_ended":   "这个职务已经结束（任期届满或已卸任）。", "governance.appoint": "只有理事会可以任命和连任。", "governance.not_member": "只有本社区的成员可以查看。",
	"grids.archived": "这条记录已经归档。", "grids.in_use": "这条记录还在使用，不能删除。", "grids.no_principal": "请先登录。",
	"procedure.out_of_order": "现在不能这样做：不合议事程序。", "procedure.not_allowed": "按议事规则，这一步不被允许。",
}

// needWords name needs' kinds and statuses.
var (
	needKinds  = map[grids.NeedKind]string{grids.KindNeed: "需求", grids.KindSuggestion: "意见建议", grids.KindMicroWish: "微心愿"}
	needStates = map[grids.NeedStatus]string{grids.NeedReceived: "已收到", grids.NeedAccepted: "已受理", grids.NeedAssigned: "已分派",
		grids.NeedAnswered: "已答复", grids.NeedDeclined: "不予采纳"}
)

// procedureReasons say the engine's refusals in Chinese, by a phrase of
// its English (the most specific first); a refusal none matches is said
// by its rule.
var procedureReasons = []struct{ en, zh string }{
	{"awaits a second: second it, or the chair drops it", "上一项动议还在等人附议：请先附议，或由主持人宣布无人附议"},
	{"awaits a second", "这项动议还没有人附议"},
	{"only a motion just made, awaiting a second, is seconded", "这项动议不需要附议，或已经有人附议"},
	{"may not second their own", "提出人不能附议自己的动议"},
	{"does not second", "主持人不附议动议"},
	{"does not make motions", "主持人不提出动议（小型会议除外）"},
	{"is not present: members vote in person", "这位成员不在场：须本人到场或线上表决，不能委托"},
	{"is not present", "这位成员还没有登记到场"},
	{"is present already", "这位成员已经登记到场"},
	{"is not a member of this body", "这位不是本会成员，不能动议、附议或表决"},
	{"needs a quorum", "到场人数不足法定人数：只能休息或散会"},
	{"a main motion is in order only when no question is pending", "还有待决的问题：先处理完，再提新的主动议"},
	{"is not in order while", "有更优先的动议在审议中，这项动议现在不合程序"},
	{"cannot be amended", "这项动议不能修正"},
	{"an amendment of an amendment of an amendment", "修正案最多两层"},
	{"is not debatable", "这项动议不能辩论"},
	{"closed by the previous question", "已表决结束辩论，不能再辩论或修正"},
	{"has voted already", "这位成员已经投过票"},
	{"may not vote on", "这位成员不能参加这次表决（表决开始时不在场，或已回避）"},
	{"a vote is being taken", "正在表决：宣布结果之前不能做别的"},
	{"a vote on", "正在表决"},
	{"no vote is being taken", "现在没有进行中的表决"},
	{"the show of hands has been counted", "举手结果已经记录"},
	{"the vote has been counted", "票已经计过了"},
	{"only a show of hands is counted as a tally", "只有举手表决记录人数；这种表决方式要逐人记录"},
	{"a voice vote is judged by the chair", "口头表决由主持人判断结果，不计票数"},
	{"a two-thirds vote is counted", "三分之二多数的表决要计票，不能口头表决"},
	{"no question is pending", "现在没有待决的问题"},
	{"none is pending", "现在没有待决的主动议"},
	{"business is pending", "还有待决的事项，请先处理完"},
	{"has the floor", "有人正在发言"},
	{"no one has the floor", "现在没有人发言"},
	{"has spoken", "这位成员的发言次数已到上限，或应让没发过言的人先说"},
	{"the mover is entitled to speak first", "提出人有权先发言"},
	{"a point of order awaits the chair's ruling", "有程序问题等待主持人裁定"},
	{"no point of order awaits a ruling", "现在没有待裁定的程序问题"},
	{"an appeal is in order only immediately after", "申诉须在主持人裁定后立即提出"},
	{"only the mover withdraws", "只有提出人可以撤回动议"},
	{"reconsider", "重议不合程序：须由赞成多数的一方提出，且不能在有待决问题时提出"},
	{"the meeting has adjourned", "会议已经散会"},
	{"the meeting has not been called to order", "会议还没有开始"},
	{"the meeting is in recess", "会议在休息：请主持人先宣布继续"},
	{"the meeting is not in recess", "会议没有在休息"},
	{"only the chair", "这一步只能由主持人做"},
	{"records them", "成员自己签到，或由主持人、记录人、工作人员登记"},
	{"records the votes", "成员自己投票，点名表决可由工作人员逐人记录"},
	{"counts a show of hands", "举手结果由主持人、记录人或工作人员清点"},
}
