package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Environment of the browser tests.
const (
	envChromium        = "LINLI_CHROMIUM"         // the browser; /usr/bin/chromium if empty
	envRequireChromium = "LINLI_REQUIRE_CHROMIUM" // "1": fail rather than skip without it
	envScreenshots     = "LINLI_SCREENSHOTS"      // where screenshots go; a temporary folder if empty
)

// browser starts headless Chromium, or skips (fails where it is required).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv(envChromium)
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv(envRequireChromium) == "1" {
			t.Fatalf("%s=1 but there is no Chromium at %s: %v", envRequireChromium, path, err)
		}
		t.Skipf("browser tests skipped: no Chromium at %s (install Debian's chromium, or set %s)", path, envChromium)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Headless,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1000, 1300))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")), "start Chromium")
	return ctx
}

// checkPages visits every page in headless Chromium: each loads without
// console errors, every link on it answers, sign-in leads to the
// passbook, and each page leaves a screenshot.
func checkPages(t *testing.T, base, community, token, month string) {
	t.Run("pages in Chromium", func(t *testing.T) {
		ctx := browser(t)
		var mu sync.Mutex
		var problems []string
		require.NoError(t, chromedp.Listen(ctx, func(ev any) {
			mu.Lock()
			defer mu.Unlock()
			switch ev := ev.(type) {
			case *runtime.EventConsoleAPICalled:
				if ev.Type == runtime.ConsoleAPICalledTypeError {
					problems = append(problems, "console error")
				}
			case *runtime.EventExceptionThrown:
				problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
			case *cdplog.EventEntryAdded:
				if ev.Entry.Level == cdplog.EntryLevelError {
					problems = append(problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
				}
			}
		}))
		dir := os.Getenv(envScreenshots)
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "linli-screenshots")
		}
		require.NoError(t, os.MkdirAll(dir, 0o755))
		links := map[string]bool{}
		pages := 0
		visit := func(name, path string, ready string) {
			t.Helper()
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS(ready))), "visit %s", path)
			title, err := chromedp.Run(ctx, chromedp.Title())
			require.NoError(t, err)
			assert.NotEmpty(t, title, "%s has a title", path)
			hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.links).map(a => a.href)`))
			require.NoError(t, err)
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644))
			checkAxe(t, ctx, name)
			pages++
			for _, h := range hrefs {
				if strings.HasPrefix(h, base) {
					links[h] = true
				}
			}
			time.Sleep(100 * time.Millisecond) // let the page's log arrive
			mu.Lock()
			defer mu.Unlock()
			assert.Empty(t, problems, "%s loads without console errors", path)
			problems = nil
		}
		query := func(path, expr string) []string {
			t.Helper()
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main"))))
			out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
			require.NoError(t, err)
			return out
		}
		c := "/c/" + community
		visit("home", "/", "main")
		visit("community", c+"/", "main table")
		visit("bulletin", c+"/bulletin/"+month, "h1")
		visit("bulletin-en", c+"/bulletin/"+month+"?lang=en", "h1")
		visit("calendar", c+"/calendar", "main table")
		visit("warehouse", c+"/warehouse", "main table")
		visit("projects", c+"/projects", "main table")
		visit("map", c+"/map", "svg rect")
		minutes := query(c+"/calendar", `Array.from(document.querySelectorAll('a[href*="/minutes/"]')).map(a => a.getAttribute('href'))`)
		project := query(c+"/projects", `Array.from(document.querySelectorAll('a[href*="/projects/"]')).map(a => a.getAttribute('href'))`)
		require.NotEmpty(t, minutes, "the calendar links the minutes")
		require.NotEmpty(t, project, "the projects page links each project")
		visit("minutes", minutes[0], "article.minutes")
		visit("project", project[0]+"?month="+month, "svg rect")

		// Signing in: a wrong token is refused; the resident's leads to their passbook.
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+c+"/passbook"), chromedp.WaitReady(chromedp.CSS("#token")),
			chromedp.SendKeys(chromedp.CSS("#token"), "linli_wrong"), chromedp.Submit(chromedp.CSS("#token")), chromedp.WaitVisible(chromedp.CSS("[role=alert]"))))
		alert, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("[role=alert]")))
		require.NoError(t, err)
		assert.Contains(t, alert, "凭证无效")
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		problems = nil // the refusal's 401 is the page's own answer, not a fault
		mu.Unlock()
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+c+"/signin"), chromedp.WaitReady(chromedp.CSS("#token")),
			chromedp.SendKeys(chromedp.CSS("#token"), token), chromedp.Submit(chromedp.CSS("#token")), chromedp.WaitVisible(chromedp.CSS("#passbook"))))
		balance, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#passbook")))
		require.NoError(t, err)
		assert.Contains(t, balance, "现有积分")
		visit("passbook", c+"/passbook", "#passbook")
		header, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("header")))
		require.NoError(t, err)
		assert.NotContains(t, header, "demo", "the header names the resident, not “demo resident”")

		// The defects a community would notice on the first day, each gone.
		page := func(path string) string {
			t.Helper()
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main"))))
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
			require.NoError(t, err)
			return text
		}
		front := page(c + "/")
		assert.Regexp(t, `理事会例会\s+26\b`, front, "the front page's figures are the outcome table's")
		assert.Regexp(t, `捐赠物品（件）\s+2172\b`, front)
		assert.Regexp(t, `项目资金（元）\s+30,000\.00`, front, "money with two decimals and separators")
		assert.NotContains(t, page(c+"/warehouse"), "）（", "no “大米（5斤）（袋）”")
		page(c + "/calendar")
		upcoming, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('upcoming') || {}).innerText || ""`))
		require.NoError(t, err)
		assert.Contains(t, upcoming, "例会", "the council's next regular meeting is on the calendar")
		missing := page("/c/01ARZ3NDEKTSV4RRFFQ69G5FAV/")
		assert.Contains(t, missing, "找不到", "an error page in Chinese")
		assert.NotRegexp(t, `[A-Za-z]{4,}`, missing)
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		problems = nil // the 404 is the page's own answer
		mu.Unlock()

		// Every link on every page answers.
		client := &http.Client{Timeout: 30 * time.Second}
		for link := range links {
			u, err := url.Parse(link)
			require.NoError(t, err)
			res, err := client.Get(u.String())
			require.NoError(t, err)
			res.Body.Close()
			assert.Equal(t, http.StatusOK, res.StatusCode, "link %s", link)
		}
		assert.Greater(t, len(links), 10)
		t.Logf("screenshots of %d pages in %s", pages, dir)
	})
}

// Accessibility checks: axe-core, from the npm registry (.ci/run
// installs it), injected into each page.
const (
	envAxe        = "LINLI_AXE"         // the path of axe.min.js
	envRequireAxe = "LINLI_REQUIRE_AXE" // "1": fail rather than skip without it
)

// checkAxe runs axe-core on the page ctx shows and fails on any serious or
// critical violation.
func checkAxe(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	path := os.Getenv(envAxe)
	if path == "" {
		if os.Getenv(envRequireAxe) == "1" {
			t.Fatalf("%s=1 but %s is not set", envRequireAxe, envAxe)
		}
		return // without axe-core: the other checks still run
	}
	script, err := os.ReadFile(path)
	require.NoError(t, err, "axe-core")
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](string(script)+";true"))
	require.NoError(t, err, "inject axe-core")
	type report struct {
		Passes int      `json:"passes"`
		Found  []string `json:"found"`
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[report](`axe.run(document).then(r => ({passes: r.passes.length, found: r.violations
		.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '))}))`, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "run axe-core")
	assert.Positive(t, r.Passes, "%s: axe-core checked the page", name)
	assert.Empty(t, r.Found, "%s: accessibility violations", name)
}

// pageWatch gathers, for a browser tab, the console errors and failed
// loads its pages made and the links they show.
type pageWatch struct {
	mu       sync.Mutex
	problems []string
	links    map[string]bool
}

// watch listens to ctx's tab.
func watch(t *testing.T, ctx context.Context) *pageWatch {
	t.Helper()
	w := &pageWatch{links: map[string]bool{}}
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				w.problems = append(w.problems, "console error")
			}
		case *runtime.EventExceptionThrown:
			w.problems = append(w.problems, "exception: "+ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				w.problems = append(w.problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	}))
	return w
}

// check asserts the page shown made no errors (forget: errors the test
// caused on purpose) and keeps its links.
func (w *pageWatch) check(t *testing.T, ctx context.Context, name string, forget bool) {
	t.Helper()
	hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.links).map(a => a.href)`))
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // let the page's log arrive
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, h := range hrefs {
		w.links[h] = true
	}
	if !forget {
		assert.Empty(t, w.problems, "%s: no console errors", name)
	}
	w.problems = nil
}

// linksAnswer fetches every link seen, in the tab (with its session), and
// requires each to answer 200.
func (w *pageWatch) linksAnswer(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	var links []string
	for l := range w.links {
		if strings.HasPrefix(l, base) && !strings.Contains(l, "/stream") {
			links = append(links, l)
		}
	}
	require.NotEmpty(t, links)
	js, err := json.Marshal(links)
	require.NoError(t, err)
	statuses, err := chromedp.Run(ctx, chromedp.Evaluate[[][2]any](`Promise.all(`+string(js)+`.map(l => fetch(l, {credentials: 'same-origin'}).then(r => [l, r.status])))`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	for _, s := range statuses {
		assert.EqualValues(t, 200, s[1], "link %v", s[0])
	}
	t.Logf("%d links answer", len(statuses))
}

// tab is a browser for a workflow test: its steps time out on their own
// and say what the page showed, and each page it shoots is checked at a
// desktop's and a phone's width (no sideways scrolling, axe-core, no
// console errors) and left as a screenshot.
type tab struct {
	t     *testing.T
	ctx   context.Context
	seen  *pageWatch
	dir   string
	width int64 // the screen the workflow is done on
}

// newTab opens a browser whose screen is width pixels wide: a phone's 390
// or a desk's 1280.
func newTab(t *testing.T, width int64) *tab {
	t.Helper()
	ctx := browser(t)
	dir := os.Getenv(envScreenshots)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "linli-screenshots")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)))
	return &tab{t: t, ctx: ctx, seen: watch(t, ctx), dir: dir, width: width}
}

// do runs steps, failing with the page's text after 30 s.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	step, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(step, steps...); err != nil {
		body, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector('main') || document.body).innerText`))
		b.t.Fatalf("%v; the page says:\n%s", err, body)
	}
}

// text is what an element shows ("" if there is none).
func (b *tab) text(sel string) string {
	b.t.Helper()
	step, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(step, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`) || {}).innerText || ""`))
	require.NoError(b.t, err, sel)
	return s
}

// shoot checks the page shown at 1280 and 390 px and keeps a screenshot
// of each.
func (b *tab) shoot(name string) {
	t := b.t
	t.Helper()
	b.seen.check(t, b.ctx, name, false)
	for _, width := range []int64{1280, 390} {
		require.NoError(t, chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 900)))
		fits, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
		require.NoError(t, err)
		assert.True(t, fits, "%s fits %d px without scrolling sideways", name, width)
		shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(b.dir, fmt.Sprintf("%s-%d.png", name, width)), shot, 0o644))
		checkAxe(t, b.ctx, fmt.Sprintf("%s at %d px", name, width))
	}
	require.NoError(t, chromedp.Do(b.ctx, chromedp.EmulateViewport(b.width, 900)))
}
