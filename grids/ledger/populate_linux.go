package ledger

import (
	"syscall"
	"unsafe"
)

const (
	hugePage = 2 << 20
	// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14): back a range
	// as if written, in one call, leaving what it holds unchanged.
	madvPopulateWrite = 23
)

// populate backs the whole pages of b in one system call, asking for huge
// pages where b spans them (the Go runtime no longer asks for them, and
// transparent huge pages are often granted only when asked). It reports
// false if the kernel refused, and the caller touches the pages itself.
func populate(b []byte) bool {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := int(-start & (hugePage - 1))
	if hi := lo + (len(b)-lo)&^(hugePage-1); hi > lo {
		_ = syscall.Madvise(b[lo:hi], syscall.MADV_HUGEPAGE) // advice only
	}
	lo = int(-start & 4095)
	hi := lo + (len(b)-lo)&^4095
	if hi <= lo {
		return true
	}
	return syscall.Madvise(b[lo:hi], madvPopulateWrite) == nil
}
