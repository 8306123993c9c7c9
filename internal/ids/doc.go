// Package ids makes record IDs: ULIDs, which sort by creation time and can be
// made concurrently without coordination.
package ids
