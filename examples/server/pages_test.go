package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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
		visit("minutes", minutes[0], "pre.minutes")
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
		assert.Contains(t, balance, "可用积分")
		visit("passbook", c+"/passbook", "#passbook")

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
