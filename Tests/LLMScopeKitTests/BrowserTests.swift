import Dispatch
import Foundation
import Synchronization
import Testing

@testable import LLMScopeKit

/// The example site as a user sees it, in headless Chromium: every page kind renders its
/// charts, waterfall and tables, logs nothing to the console and requests nothing it may not.
/// Screenshots go to .build/screenshots for review.
@Suite(.enabled(if: Browser.available, "needs Debian's chromium (make test installs it)"))
struct BrowserTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test("a page that logs or fetches is caught: the check can fail")
  func detectorWorks() throws {
    let folder = TemporaryFolder()
    let page = folder.write("bad.html", "<!DOCTYPE html><html><body><script>console.error('boom')</script></body></html>")
    #expect(!Browser.console(try Browser.run("file://" + page, ["--dump-dom"]).err).isEmpty)
  }

  @Test("every page kind of the example site renders in Chromium with no console message")
  func examplePages() throws {
    let folder = TemporaryFolder()
    let examples = Self.root.appendingPathComponent("Examples").path
    let (store, _) = try ingestedStore([examples + "/data"], in: folder)
    let site = folder.file("site")
    let build = CapturedRun(["build", "--store", folder.file("store.db"), "--out", site, "--templates", examples + "/templates", "--now", "2026-12-03T00:00:00Z"])
    #expect(build.status == 0, "\(build.err)")
    let summary = try store.summary()
    let bounds = try #require(try store.timeBounds())
    let trace = try #require(try store.traceIDs(in: bounds, selection: .slowest(1)).first)
    let span = try #require(try store.storedSpans(traceID: trace).last).span.spanID
    let system = try #require(summary.businessSystems.compactMap(\.fingerprint).first)
    // One page of every kind, and what each must show once its scripts ran.
    let pages: [(file: String, mustShow: [String])] = [
      ("index.html", ["<svg", "data-sortable", "class=\"table-filter\""]),
      (SiteBuilder.pageFile("app", summary.apps[0].name), ["<svg", "class=\"cards\""]),
      ("models.html", ["<svg", "data-figure=\"model_calls\"", "data-what-if="]),
      (SiteBuilder.pageFile("model", summary.models[0].name), ["<svg"]),
      (SiteBuilder.pageFile("system", system), ["<svg"]),
      ("tokens.html", ["<svg", "class=\"prices\"", "data-figure=\"cost.usd\""]), ("usage.html", ["span_storage"]), ("nightly.html", ["<svg"]), ("incident.html", ["<svg"]),
      ("traces.html", ["matching spans"]),
      ("trace-\(trace).html#span-\(span)", ["class=\"waterfall\"", "id=\"span-\(span)\"", "class=\"wf-row"]),
    ]
    let shots = Self.root.appendingPathComponent(".build/screenshots").path
    try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
    let results = Mutex<[String: (dom: String, console: [String])]>([:])
    DispatchQueue.concurrentPerform(iterations: pages.count) { i in
      let url = "file://\(site)/\(pages[i].file)"
      let name = String(pages[i].file.split(separator: "#")[0].dropLast(5))
      let r = (try? Browser.run(url, ["--dump-dom"])) ?? (out: "", err: "chromium did not run :CONSOLE")
      // Headless screenshots of a page scrolled to an anchor come out blank: shoot its top.
      _ = try? Browser.run("file://\(site)/\(name).html", ["--screenshot=\(shots)/\(name).png", "--window-size=1280,1600"])
      results.withLock { $0[pages[i].file] = (r.out, Browser.console(r.err)) }
    }
    for page in pages {
      let r = try #require(results.withLock { $0[page.file] })
      #expect(r.console.isEmpty, "\(page.file): \(r.console)")
      #expect(r.dom.contains("</main>"), "\(page.file) did not render")
      for text in page.mustShow { #expect(r.dom.contains(text), "\(page.file) lacks \(text)") }
    }
    // The span search filled its table from the data files (the script ran, the files loaded).
    let traces = try #require(results.withLock { $0["traces.html"] }).dom
    let spans = try store.spanCount()
    #expect(traces.contains("(of \(spans) in this range)"), "the span search did not read its data files")
    for page in pages {
      let name = String(page.file.split(separator: "#")[0].dropLast(5))
      #expect(FileManager.default.fileExists(atPath: "\(shots)/\(name).png"), "\(name).png")
    }
  }

  @Test("the application list sorts by a clicked column and filters by what is typed")
  func sortAndFilter() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl"), Fixtures.corpus("openinference-openai.jsonl")], in: folder)
    let site = folder.file("site")
    #expect(CapturedRun(["build", "--store", folder.file("store.db"), "--out", site, "--now", "2026-12-03T00:00:00Z"]).status == 0)
    // The page as built, with a few lines that act as the user: click "Spans" twice (largest
    // first), then type into the filter box. Its policy is dropped so the added lines may run.
    var page = try String(contentsOfFile: site + "/index.html", encoding: .utf8)
    let meta = try #require(page.range(of: "<meta http-equiv=\"Content-Security-Policy\""))
    page.removeSubrange(meta.lowerBound...page[meta.lowerBound...].firstIndex(of: ">")!)
    let act = """
      <script>
      var table = document.querySelector("table[data-sortable]");
      var spans = Array.prototype.findIndex.call(table.tHead.rows[0].cells, function (th) { return th.textContent === "Spans"; });
      table.tHead.rows[0].cells[spans].click(); table.tHead.rows[0].cells[spans].click();
      document.body.setAttribute("data-sorted", Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[0].textContent; }).join("|"));
      var box = document.querySelector("input.table-filter"); box.value = "failing"; box.dispatchEvent(new Event("input"));
      document.body.setAttribute("data-visible", Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return !r.hidden; }).map(function (r) { return r.cells[0].textContent; }).join("|"));
      </script>
      """
    page = page.replacingOccurrences(of: "\n</body>", with: act + "\n</body>")
    let file = folder.write("site/acted.html", page)
    let dom = try Browser.dom("file://" + file)
    func attribute(_ name: String) throws -> [String] {
      let start = try #require(dom.range(of: name + "=\""))
      return String(dom[start.upperBound...].prefix { $0 != "\"" }).split(separator: "|").map(String.init)
    }
    let apps = try store.summary().apps
    let bySpans = apps.sorted { ($0.figures.spans, $1.name) > ($1.figures.spans, $0.name) }.map(\.name)
    let sorted = try attribute("data-sorted")
    #expect(sorted.count == apps.count)
    #expect(zip(sorted, sorted.dropFirst()).allSatisfy { a, b in
      apps.first { $0.name == a }!.figures.spans >= apps.first { $0.name == b }!.figures.spans
    }, "\(sorted) vs \(bySpans)")
    #expect(try attribute("data-visible") == sorted.filter { $0.contains("failing") })
  }

  @Test("a link to a span of a split trace reaches the part page that holds its details")
  func followsToPart() throws {
    let folder = TemporaryFolder()
    let trace = "abcdefabcdefabcdefabcdefabcdef34"
    let ids = (1...30).map { String(format: "%016x", $0) }
    let spans = ids.enumerated().map { k, id in
      OTLPJSON.span(trace: trace, id: id, parent: k == 0 ? "" : ids[0], name: "step \(k)", start: 1_700_000_000_000_000_000 + Int64(k) * 1_000_000)
    }
    _ = try ingestedStore([folder.write("t.jsonl", OTLPJSON.request(spans: spans))], in: folder)
    let site = folder.file("site")
    #expect(CapturedRun(["build", "--store", folder.file("store.db"), "--out", site, "--now", "2026-12-03T00:00:00Z", "--trace-page-spans", "10"]).status == 0)
    let last = ids.last!
    let run = try Browser.run("file://\(site)/trace-\(trace).html#span-\(last)", ["--dump-dom"])
    #expect(Browser.console(run.err).isEmpty, "\(Browser.console(run.err))")
    #expect(run.out.contains("<section id=\"span-\(last)\""), "the browser did not reach the part page")
  }
}
