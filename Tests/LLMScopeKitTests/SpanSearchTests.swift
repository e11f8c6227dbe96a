import Foundation
import Testing

@testable import LLMScopeKit

@Suite struct SpanSearchTests {
  /// The spans of a data file: the JSON array inside `llmscopeSpans(i, […]);`.
  static func rows(_ file: String) throws -> (index: Int, rows: [[Any]]) {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    #expect(text.hasPrefix("llmscopeSpans(") && text.hasSuffix("]);\n"))
    let comma = try #require(text.firstIndex(of: ","))
    let index = try #require(Int(text[text.index(text.startIndex, offsetBy: 14)..<comma]))
    let json = text[text.index(after: comma)..<text.index(text.endIndex, offsetBy: -3)]
    return (index, try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[Any]])
  }

  @Test("the span search lists every span once, slowest first, in data files beside the page; the page alone has the slowest and the failed")
  func dataFiles() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl"), Fixtures.corpus("openinference-openai.jsonl")], in: folder)
    try FileManager.default.createDirectory(atPath: folder.file("tpl"), withIntermediateDirectories: true)
    folder.write("tpl/traces.md", "---\ntitle: Traces\n---\n{{ span_search rows=20 chunk=100 }}\n")
    let out = folder.file("site")
    let r = CapturedRun(["build", "--store", folder.file("store.db"), "--out", out, "--templates", folder.file("tpl"), "--now", "2026-12-03T00:00:00Z"])
    #expect(r.status == 0, "\(r.err)")
    let files = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("traces-spans-") }.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
    let total = try store.spanCount()
    #expect(files.count == (total + 99) / 100)
    var all: [[Any]] = []
    for (i, f) in files.enumerated() {
      let chunk = try Self.rows(out + "/" + f)
      #expect(chunk.index == i && chunk.rows.count <= 100)
      all += chunk.rows
    }
    // Every stored span exactly once, slowest first.
    let ids = all.map { "\($0[8])/\($0[9])" }
    #expect(ids.count == total && Set(ids).count == total)
    let stored = Set(try store.storedSpans().map { "\($0.span.traceID)/\($0.span.spanID)" })
    #expect(Set(ids) == stored)
    let durations = all.map { ($0[4] as! NSNumber).doubleValue }
    #expect(zip(durations, durations.dropFirst()).allSatisfy { $0 >= $1 })
    // Without the script: the 20 slowest, then the failed ones, linked to their trace pages.
    let page = try String(contentsOfFile: out + "/traces.html", encoding: .utf8)
    #expect(htmlProblems(page).isEmpty && externalURLs(page).isEmpty)
    let first = try #require(all.first)
    #expect(page.contains("href=\"trace-\(first[8]).html#span-\(first[9])\""))
    #expect(page.contains("The 20 slowest of \(FigureName.grouped(Int64(total))) spans") && page.contains("Failed spans, slowest first"))
    let failed = all.filter { ($0[5] as! Int) == 1 }.prefix(20)
    #expect(!failed.isEmpty && failed.allSatisfy { page.contains("#span-\($0[9])\"") })
  }

  @Test("in a browser the filters read the data files: app and status from the address, every match listed",
        .enabled(if: Browser.available, "needs Debian's chromium (make test installs it)"))
  func browserFilters() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    let out = folder.file("site")
    #expect(CapturedRun(["build", "--store", folder.file("store.db"), "--out", out, "--now", "2026-12-03T00:00:00Z"]).status == 0)
    let dom = try Browser.dom("file://\(out)/traces.html#app=v2-failing-app&status=error&min=100")
    // Read from the stored span itself: its resource's service.name and its OTLP status.
    let expected = try store.storedSpans().filter { s in
      s.resource.attributes.first { $0.key == "service.name" }?.value == .string("v2-failing-app") && s.span.status.code == 2
        && s.span.durationNanos >= 100_000_000
    }
    let searchStart = try #require(dom.range(of: "data-span-search"))
    let search = String(dom[searchStart.lowerBound...])
    let bodyStart = try #require(search.range(of: "<tbody>"))
    let tbody = String(search[bodyStart.lowerBound...])
    let bodyEnd = try #require(tbody.range(of: "</tbody>"))
    let shown = String(tbody[..<bodyEnd.lowerBound])
    #expect(!expected.isEmpty)
    for s in expected.prefix(50) { #expect(shown.contains("#span-\(s.span.spanID)\""), "\(s.span.spanID)") }
    #expect(shown.components(separatedBy: "<tr").count - 1 == min(expected.count, 50))
    #expect(search.contains("matching spans"))
  }
}
