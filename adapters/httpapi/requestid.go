package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/linli-go/linli/internal/ids"
)

// Every request has an ID: the client's X-Request-ID if it sends a
// sensible one (a proxy's, say), else a new ULID. It is echoed in the
// response's X-Request-ID and carried by every log line the request
// writes, with its route pattern rather than its raw path (which holds
// IDs and would scatter one route over many names).

type requestKey struct{}

type requestInfo struct {
	id      string
	pattern string
}

// requestID is the ID a request arrived with, or a new one.
func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-ID"); id != "" && len(id) <= 128 && printable(id) {
		return id
	}
	return ids.New()
}

func withRequest(ctx context.Context, info *requestInfo) context.Context {
	return context.WithValue(ctx, requestKey{}, info)
}

// requestLog adds the request's ID and route to each record logged with
// its context.
type requestLog struct{ slog.Handler }

func (h requestLog) Handle(ctx context.Context, r slog.Record) error {
	if info, ok := ctx.Value(requestKey{}).(*requestInfo); ok {
		r.AddAttrs(slog.String("request_id", info.id))
		if info.pattern != "" {
			r.AddAttrs(slog.String("route", info.pattern))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestLog) WithAttrs(as []slog.Attr) slog.Handler {
	return requestLog{h.Handler.WithAttrs(as)}
}

func (h requestLog) WithGroup(name string) slog.Handler { return requestLog{h.Handler.WithGroup(name)} }
