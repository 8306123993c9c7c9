package procedure_test

import (
	"fmt"
	"time"

	"github.com/linli-go/linli/governance/procedure"
)

// The council's monthly meeting on the 10th, under small-board rules: the
// chair moves and votes, no seconds. Every move is checked; a refused one
// names the rule; the minutes come from the log.
func Example() {
	at := time.Date(2026, 3, 10, 19, 0, 0, 0, time.UTC)
	s := procedure.New()
	apply := func(e procedure.Event) {
		at = at.Add(time.Minute)
		e.At = at
		next, err := s.Apply(e)
		if err != nil {
			fmt.Println("refused:", err)
			return
		}
		s = next
	}
	members := []string{"张主任", "王委员", "李委员", "赵委员", "钱委员", "孙委员", "周委员", "吴委员", "郑委员"}
	apply(procedure.Event{Type: procedure.Open, By: "张主任", Chair: "张主任", Secretary: "孙委员", Roster: members,
		Agenda: []string{"停车"}, Settings: &procedure.Settings{SmallBoard: true}})
	for _, m := range members[:6] {
		apply(procedure.Event{Type: procedure.Arrive, By: m, Member: m, Mode: procedure.InPerson})
	}
	apply(procedure.Event{Type: procedure.TakeUp, By: "张主任", Item: "停车"})
	apply(procedure.Event{Type: procedure.Move, By: "王委员", Kind: procedure.Main, Text: "实行错时停车"})
	apply(procedure.Event{Type: procedure.Move, By: "李委员", Kind: procedure.Main, Text: "另一个动议"})
	apply(procedure.Event{Type: procedure.Move, By: "赵委员", Kind: procedure.Amend, Text: "实行错时停车，夜间开放"})
	apply(procedure.Event{Type: procedure.CallVote, By: "张主任", Method: procedure.Hands})
	apply(procedure.Event{Type: procedure.Tally, By: "孙委员", Yes: 5, No: 1})
	apply(procedure.Event{Type: procedure.CloseVote, By: "张主任"})
	apply(procedure.Event{Type: procedure.CallVote, By: "张主任", Method: procedure.Hands})
	apply(procedure.Event{Type: procedure.Tally, By: "孙委员", Yes: 6})
	apply(procedure.Event{Type: procedure.CloseVote, By: "张主任"})
	apply(procedure.Event{Type: procedure.Move, By: "钱委员", Kind: procedure.Adjourn})
	apply(procedure.Event{Type: procedure.CallVote, By: "张主任", Method: procedure.Voice})
	apply(procedure.Event{Type: procedure.CloseVote, By: "张主任", Outcome: "adopted"})

	fmt.Print(s.Minutes().Markdown("同心10号联席议事会 2026年3月", nil))
	// Output:
	// refused: out of order: a main motion is in order only when no question is pending (RONR 10:3); m1 is
	// # 同心10号联席议事会 2026年3月
	//
	// Called to order 2026-03-10 19:01 by 张主任; adjourned 19:20. Secretary: 孙委员.
	//
	// ## Attendance
	//
	// 6 of 9 members attended (quorum 5). Small-board rules.
	//
	// - 张主任 (member, in person)
	// - 王委员 (member, in person)
	// - 李委员 (member, in person)
	// - 赵委员 (member, in person)
	// - 钱委员 (member, in person)
	// - 孙委员 (member, in person)
	//
	// Absent: 周委员, 吴委员, 郑委员.
	//
	// ## Business
	//
	// - **m1** main: “实行错时停车，夜间开放” — moved by 王委员. **ADOPTED** (hands: 6–0, 0 abstaining, 6 eligible)
	// - **m2** amend (on m1): “实行错时停车，夜间开放” — moved by 赵委员. **ADOPTED** (hands: 5–1, 0 abstaining, 6 eligible)
	// - **m3** adjourn — moved by 钱委员. **ADOPTED** (voice vote)
}
