package ledger

import (
	"bytes"
	"sort"
)

// idIndex finds transfers by ID. Callers choose IDs that increase (ULIDs
// do), as TigerBeetle asks: then a new ID is new because it is greater
// than every ID so far — no lookup at all — and the IDs in order sit in an
// array that grows at its end and is searched by bisection for the rare
// retry. IDs that arrive out of order are kept in a map.
type idIndex struct {
	ordered chunks[ordEntry] // increasing IDs and their places in the log
	others  map[ID]int32     // IDs that came out of order
}

type ordEntry struct {
	id    ID
	place int32
}

func less(a, b ID) bool { return bytes.Compare(a[:], b[:]) < 0 }

// newest is the greatest ID indexed in order.
func (x *idIndex) newest() (ID, bool) {
	n := x.ordered.len()
	if n == 0 {
		return ID{}, false
	}
	return x.ordered.at(n - 1).id, true
}

// get returns id's place in the log.
func (x *idIndex) get(id ID) (int32, bool) {
	if top, ok := x.newest(); !ok || less(top, id) {
		if p, ok := x.others[id]; ok {
			return p, true
		}
		return 0, false
	}
	n := x.ordered.len()
	i := sort.Search(n, func(k int) bool { return !less(x.ordered.at(k).id, id) })
	if i < n && x.ordered.at(i).id == id {
		return x.ordered.at(i).place, true
	}
	p, ok := x.others[id]
	return p, ok
}

// isNew reports, without a lookup, that id is greater than every ID so far.
func (x *idIndex) isNew(id ID) bool {
	top, ok := x.newest()
	return !ok || less(top, id)
}

// add indexes id at place; id is absent.
func (x *idIndex) add(id ID, place int32) {
	if x.isNew(id) {
		x.ordered.append(ordEntry{id, place})
		return
	}
	if x.others == nil {
		x.others = map[ID]int32{}
	}
	x.others[id] = place
}

// remove drops id, which the log's tail holds (a linked chain undone).
func (x *idIndex) remove(id ID) {
	if n := x.ordered.len(); n > 0 && x.ordered.at(n-1).id == id {
		x.ordered.truncate(n - 1)
		return
	}
	delete(x.others, id)
}
