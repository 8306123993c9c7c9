// Package clock gives services an injectable notion of now. Services take a
// func() time.Time; production passes time.Now, tests pass a Manual clock's
// Now method.
package clock
