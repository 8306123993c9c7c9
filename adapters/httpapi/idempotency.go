package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// A POST with an Idempotency-Key header is made once: a retry with the
// same key and body, within ReplayRetention, gets the first response again
// (status, headers, body, and Idempotent-Replayed: true) and acts no more;
// the same key with another body is refused with 422. Keys belong to one
// principal in one community, so two callers cannot collide or read each
// other's responses, however they authenticate.
const (
	// ReplayRetention is how long a response is kept for replay.
	ReplayRetention = 24 * time.Hour
	// ReplayStale is how long a key stays claimed by a request that never
	// finished (its process died): after it, a retry runs afresh.
	ReplayStale = 2 * time.Minute
	// maxKey bounds an Idempotency-Key (Stripe's is 255).
	maxKey = 255
)

// ReplayKey names an idempotency key.
type ReplayKey struct {
	Community string // "" for routes outside a community
	Caller    string // a hash of the principal's ID
	Key       string
}

// Replay is a key's use: the request's fingerprint and, once it finished,
// its response.
type Replay struct {
	Fingerprint string
	Done        bool // a response was saved
	Status      int
	ContentType string
	Location    string
	Body        []byte
	At          time.Time // when claimed, then when saved
}

// ErrInFlight is returned by Claim while another request holds the key.
var ErrInFlight = errors.New("httpapi: a request with this idempotency key is in flight")

// Replays keeps idempotency keys and the responses saved under them
// (memstore and sqlstore keep them; httpapitest.RunReplayTests is their
// contract).
type Replays interface {
	// Claim claims k for a request with fingerprint made at now. It returns
	// (nil, nil) when the request goes on: the key is new, its response is
	// older than ReplayRetention, or its claim older than ReplayStale. It
	// returns the key's Replay when a response was saved under it (which
	// may be for another fingerprint), and ErrInFlight while another
	// request holds it.
	Claim(ctx context.Context, k ReplayKey, fingerprint string, now time.Time) (*Replay, error)
	// Save keeps the response of the request that claimed k.
	Save(ctx context.Context, k ReplayKey, r Replay) error
	// Release lets k go unused (the request failed in a way worth
	// retrying: a 5xx, a client that left).
	Release(ctx context.Context, k ReplayKey) error
}

// idempotent runs a POST of p's under its Idempotency-Key, if it has one.
func (s *server) idempotent(p grids.Principal, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			h(w, r)
			return
		}
		if len(key) > maxKey || !printable(key) {
			s.badHeader(w, "Idempotency-Key", "is 1 to 255 printable ASCII characters")
			return
		}
		limit := s.maxBody
		if r.URL.Path == "/v1/communities/"+r.PathValue("community")+"/import" {
			limit = s.maxFiles
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			s.writeProblem(w, http.StatusBadRequest, Problem{Code: errs.Invalid, Detail: "the request body could not be read"})
			return
		}
		if int64(len(body)) > limit {
			s.writeProblem(w, http.StatusRequestEntityTooLarge, Problem{Code: errs.Invalid, Detail: "the request body is larger than " + strconv.FormatInt(limit, 10) + " bytes"})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		caller := sha256.Sum256([]byte(p.ID))
		k := ReplayKey{Community: r.PathValue("community"), Caller: hex.EncodeToString(caller[:]), Key: key}
		print := sha256.New()
		for _, part := range [][]byte{[]byte(r.Method), {0}, []byte(r.URL.RequestURI()), {0}, []byte(r.Header.Get("Content-Type")), {0}, body} {
			print.Write(part)
		}
		fingerprint := hex.EncodeToString(print.Sum(nil))

		// The key's bookkeeping outlives a client that hangs up, as the
		// command does.
		ctx := context.WithoutCancel(r.Context())
		prev, err := s.replays.Claim(ctx, k, fingerprint, s.now())
		switch {
		case errors.Is(err, ErrInFlight):
			w.Header().Set("Retry-After", "1")
			s.writeProblem(w, http.StatusConflict, Problem{Code: errs.Conflict, Rule: ErrIdempotencyInFlight.Name(),
				Detail: "a request with this Idempotency-Key is still being processed: retry it shortly"})
			return
		case err != nil:
			s.fail(w, r, err)
			return
		case prev != nil && prev.Fingerprint != fingerprint:
			s.writeProblem(w, http.StatusUnprocessableEntity, Problem{Code: errs.Invalid, Rule: ErrIdempotencyKeyReused.Name(),
				Detail: "this Idempotency-Key was used for another request: a key is used for one request only, retried with the same body",
				Errors: []errs.FieldError{{Field: "Idempotency-Key", Message: "was used for another request"}}})
			return
		case prev != nil:
			replay(w, prev)
			return
		}

		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK, body: &bytes.Buffer{}}
		saved := false
		defer func() {
			if !saved {
				// A panic or a failure to save: let a retry run again.
				_ = s.replays.Release(ctx, k)
			}
		}()
		h(rec, r)
		if !keep(rec.status) {
			return
		}
		err = s.replays.Save(ctx, k, Replay{Fingerprint: fingerprint, Done: true, Status: rec.status, ContentType: rec.Header().Get("Content-Type"),
			Location: rec.Header().Get("Location"), Body: rec.body.Bytes(), At: s.now()})
		if err != nil {
			s.log.ErrorContext(ctx, "idempotency: saving a response", "error", err)
			return
		}
		saved = true
	}
}

// keep reports whether a response is kept for replay: what the request
// made of the command, success or refusal, but not a failure of the
// server's or of the credentials, which a retry may not meet again.
func keep(status int) bool {
	return status < 500 && status != http.StatusUnauthorized && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout
}

func replay(w http.ResponseWriter, r *Replay) {
	if r.ContentType != "" {
		w.Header().Set("Content-Type", r.ContentType)
	}
	if r.Location != "" {
		w.Header().Set("Location", r.Location)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(r.Status)
	_, _ = w.Write(r.Body)
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
