import Foundation
import Testing

@testable import LLMScopeKit

@Suite struct TraceViewTests {
  private func stored(_ id: String, parent: String = "", start: Int64, end: Int64, name: String = "s") -> StoredSpan {
    var s = Span()
    s.traceID = "0123456789abcdef0123456789abcdef"
    s.spanID = id
    s.parentSpanID = parent
    s.name = name
    s.startTimeUnixNano = start
    s.endTimeUnixNano = end
    return StoredSpan(resource: Resource(), resourceSchemaURL: "", scope: InstrumentationScope(), scopeSchemaURL: "", span: s)
  }

  @Test("spans nest by parent; orphans go under the root, flagged; skew and the critical path are marked")
  func tree() {
    let view = TraceView(traceID: "t", spans: [
      stored("00000000000000c2", parent: "00000000000000a1", start: 50, end: 90),
      stored("00000000000000a1", start: 0, end: 100),
      stored("00000000000000b1", parent: "00000000000000a1", start: -5, end: 40),
      stored("00000000000000d1", parent: "00000000000000ff", start: 10, end: 20),
      stored("00000000000000c3", parent: "00000000000000c2", start: 60, end: 80),
    ])
    let ids = view.order.map { view.nodes[$0].span.spanID }
    #expect(ids == ["00000000000000a1", "00000000000000b1", "00000000000000d1", "00000000000000c2", "00000000000000c3"])
    let byID = Dictionary(uniqueKeysWithValues: view.nodes.map { ($0.span.spanID, $0) })
    #expect(byID["00000000000000d1"]!.parentMissing && byID["00000000000000d1"]!.depth == 1)
    #expect(byID["00000000000000b1"]!.clockSkew && !byID["00000000000000c2"]!.clockSkew)
    #expect(view.nodes.filter(\.onCriticalPath).map(\.span.spanID).sorted() == ["00000000000000a1", "00000000000000c2", "00000000000000c3"])
    #expect(view.start == -5 && view.end == 100)
  }

  @Test("a parent cycle in bad data shows every span once")
  func cycle() {
    let view = TraceView(traceID: "t", spans: [
      stored("00000000000000a1", parent: "00000000000000b1", start: 0, end: 10), stored("00000000000000b1", parent: "00000000000000a1", start: 0, end: 10),
    ])
    #expect(view.order.count == 2)
  }
}

@Suite struct TracePageTests {
  private func site(_ extra: [String] = []) throws -> (TemporaryFolder, String) {
    let folder = TemporaryFolder()
    _ = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl"), Fixtures.corpus("openinference-openai.jsonl")], in: folder)
    let r = CapturedRun(["build", "--store", folder.file("store.db"), "--out", folder.file("site"), "--now", "2026-12-03T00:00:00Z"] + extra)
    #expect(r.status == 0, "\(r.err)")
    return (folder, folder.file("site"))
  }

  private func tracePages(_ out: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("trace-") }.sorted()
  }

  @Test("every trace gets a page whose spans all have details at #span-<id>, well-formed and escaped")
  func pages() throws {
    let (folder, out) = try site()
    let store = try SQLiteSpanStore(path: folder.file("store.db"), create: false, readOnly: true)
    let pages = try tracePages(out)
    #expect(pages.count == 96 + 96)
    for page in pages.prefix(40) {
      let id = String(page.dropFirst(6).prefix(32))
      let html = try String(contentsOfFile: out + "/" + page, encoding: .utf8)
      #expect(htmlProblems(html).isEmpty, "\(page): \(htmlProblems(html))")
      #expect(externalURLs(html).isEmpty)
      for s in try store.storedSpans(traceID: id) {
        #expect(html.contains("<section id=\"span-\(s.span.spanID)\""), "\(page) \(s.span.spanID)")
        #expect(html.contains("href=\"#span-\(s.span.spanID)\""))
      }
      #expect(!html.contains("<script>alert") && !html.contains("<img src=x"))
      #expect(!html.contains("demo-token") && html.contains("secret,"))
    }
    // Prompts with markup are shown as text.
    let all = try pages.map { try String(contentsOfFile: out + "/" + $0, encoding: .utf8) }.joined()
    #expect(all.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(all.contains("class=\"role\">user</p>") && all.contains("class=\"part-label\">tool call get_weather"))
    #expect(all.contains("time to first token:"))
    // Trace lists link to the pages.
    let traces = try String(contentsOfFile: out + "/traces.html", encoding: .utf8)
    #expect(traces.contains("href=\"trace-"))
  }

  @Test("--trace-pages picks which traces get pages, and lists link only to those")
  func selection() throws {
    let (folder, out) = try site(["--trace-pages", "errors"])
    let store = try SQLiteSpanStore(path: folder.file("store.db"), create: false, readOnly: true)
    let range = try #require(try store.timeBounds())
    let errors = try store.traceIDs(in: range, selection: .errors)
    #expect(try tracePages(out) == errors.map { "trace-\($0).html" })
    let traces = try String(contentsOfFile: out + "/traces.html", encoding: .utf8)
    let linked = try NSRegularExpression(pattern: #"href="trace-([0-9a-f]{32})\.html"#).matches(in: traces, range: NSRange(traces.startIndex..., in: traces))
      .map { String(traces[Range($0.range(at: 1), in: traces)!]) }
    #expect(!linked.isEmpty && linked.allSatisfy { errors.contains($0) })
    #expect(try store.traceIDs(in: range, selection: .sample(7)) == store.traceIDs(in: range, selection: .sample(7)))
    #expect(try store.traceIDs(in: range, selection: .sample(7)).count == 7)
    let slow = try store.traceIDs(in: range, selection: .slowest(3))
    #expect(slow.count == 3)
  }

  @Test("--content none and truncate:N keep prompts off the pages")
  func content() throws {
    let (keepNone, none) = try site(["--content", "none"])
    let html = try tracePages(none).map { try String(contentsOfFile: none + "/" + $0, encoding: .utf8) }.joined()
    #expect(!html.contains("What&#39;s the weather") && !html.contains("Answer in Chinese"))
    #expect(html.contains("content withheld"))
    let (keepCut, cut) = try site(["--content", "truncate:10"])
    let c = try tracePages(cut).map { try String(contentsOfFile: cut + "/" + $0, encoding: .utf8) }.joined()
    #expect(c.contains("cut to 10 of") && !c.contains("Answer in Chinese."))
    #expect(CapturedRun(["build", "--content", "some"]).status == 2 && CapturedRun(["build", "--trace-pages", "slowest"]).status == 2)
    withExtendedLifetime((keepNone, keepCut)) {}
  }

  @Test("llmscope trace writes one self-contained file")
  func singleFile() throws {
    let folder = TemporaryFolder()
    _ = try ingestedStore([Fixtures.corpus("openinference-langchain-plus-openai.jsonl")], in: folder)
    let store = try SQLiteSpanStore(path: folder.file("store.db"), create: false, readOnly: true)
    let bounds = try #require(try store.timeBounds())
    let id = try #require(try store.traceIDs(in: bounds, selection: .all).first)
    let r = CapturedRun(["trace", id.uppercased(), "--store", folder.file("store.db"), "-o", folder.file("t.html"), "--now", "2026-12-03T00:00:00Z"])
    #expect(r.status == 0, "\(r.err)")
    let html = try String(contentsOfFile: folder.file("t.html"), encoding: .utf8)
    #expect(html.contains("<style>") && !html.contains("<link") && externalURLs(html).isEmpty && htmlProblems(html).isEmpty)
    #expect(html.contains("class=\"waterfall\"") && html.contains("<section id=\"span-"))
    #expect(CapturedRun(["trace", "ffffffffffffffffffffffffffffffff", "--store", folder.file("store.db")]).status == 1)
    #expect(CapturedRun(["trace", "nope", "--store", folder.file("store.db")]).status == 2)
  }

  @Test("a large trace's details continue on part pages; every link finds its span, every span is on one page")
  func largeTrace() throws {
    let folder = TemporaryFolder()
    let trace = "abcdefabcdefabcdefabcdefabcdef12"
    let ids = (1...1_234).map { String(format: "%016x", $0) }
    let spans = ids.enumerated().map { k, id in
      OTLPJSON.span(trace: trace, id: id, parent: k == 0 ? "" : ids[(k - 1) / 3], name: "step \(k)", start: 1_700_000_000_000_000_000 + Int64(k) * 1_000_000,
        durationMs: 5, attributes: [OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("m"))])
    }
    _ = try ingestedStore([folder.write("big.jsonl", OTLPJSON.request(spans: spans))], in: folder)
    let out = folder.file("site")
    let r = CapturedRun(["build", "--store", folder.file("store.db"), "--out", out, "--now", "2026-12-03T00:00:00Z", "--trace-page-spans", "500"])
    #expect(r.status == 0, "\(r.err)")
    let pages = try tracePages(out)
    #expect(pages == ["trace-\(trace)-2.html", "trace-\(trace)-3.html", "trace-\(trace)-4.html", "trace-\(trace).html"])
    var html: [String: String] = [:]
    for p in pages { html[p] = try String(contentsOfFile: out + "/" + p, encoding: .utf8) }
    for (page, text) in html { #expect(htmlProblems(text).isEmpty, "\(page): \(htmlProblems(text))") }
    // Every span's details are on exactly one page, and the waterfall links there.
    func matches(_ pattern: String, _ text: String) -> [String] {
      let re = try! NSRegularExpression(pattern: pattern)
      return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
    }
    var holder: [String: [String]] = [:]
    for (page, text) in html { for id in matches(#"<section id="span-([0-9a-f]{16})""#, text) { holder[id, default: []].append(page) } }
    let main = html["trace-\(trace).html"]!
    let links = Set(matches(##"href="([^"#]*#span-[0-9a-f]{16})""##, main))
    for id in ids {
      #expect(holder[id]?.count == 1, "\(id): \(holder[id] ?? [])")
      #expect(links.contains("\(holder[id]?.first ?? "?")#span-\(id)"), "\(id)")
    }
    #expect(main.contains("1,234 spans; their details are on 3 pages of 500"))
    // --jobs changes nothing in what is written.
    let one = folder.file("one")
    #expect(CapturedRun(["build", "--store", folder.file("store.db"), "--out", one, "--now", "2026-12-03T00:00:00Z", "--trace-page-spans", "500", "--jobs", "1"]).status == 0)
    for p in try FileManager.default.contentsOfDirectory(atPath: out) {
      #expect(FileManager.default.contents(atPath: out + "/" + p) == FileManager.default.contents(atPath: one + "/" + p), "\(p)")
    }
    // The single-file export keeps every span on its one page.
    #expect(CapturedRun(["trace", trace, "--store", folder.file("store.db"), "-o", folder.file("t.html")]).status == 0)
    let single = try String(contentsOfFile: folder.file("t.html"), encoding: .utf8)
    #expect(Set(matches(#"<section id="span-([0-9a-f]{16})""#, single)) == Set(ids))
    #expect(Set(matches(##"href="(#span-[0-9a-f]{16})""##, single)) == Set(ids.map { "#span-" + $0 }))
  }

  @Test("nesting deeper than the limit is drawn at the limit, says so, and keeps every span")
  func deepNesting() throws {
    let folder = TemporaryFolder()
    let trace = "dddddddddddddddddddddddddddddddd"
    let ids = (1...(TraceView.maxDepth + 6)).map { String(format: "%016x", $0) }
    let spans = ids.enumerated().map { k, id in
      OTLPJSON.span(trace: trace, id: id, parent: k == 0 ? "" : ids[k - 1], name: "level \(k)", start: 1_700_000_000_000_000_000 + Int64(k) * 1_000, durationMs: 100)
    }
    _ = try ingestedStore([folder.write("deep.jsonl", OTLPJSON.request(spans: spans))], in: folder)
    #expect(CapturedRun(["build", "--store", folder.file("store.db"), "--out", folder.file("site"), "--now", "2026-12-03T00:00:00Z"]).status == 0)
    let html = try String(contentsOfFile: folder.file("site/trace-\(trace).html"), encoding: .utf8)
    #expect(html.contains("nesting deeper than \(TraceView.maxDepth) levels is drawn at level \(TraceView.maxDepth)"))
    #expect(ids.allSatisfy { html.contains("<section id=\"span-\($0)\"") && html.contains("href=\"#span-\($0)\"") })
    #expect(htmlProblems(html).isEmpty, "\(htmlProblems(html))")
  }
}
