import Dispatch
import Foundation
import Synchronization
import Testing

@testable import LLMScopeKit

@Suite struct ConcurrencyTests {
  @Test("two ingests into one store at once both complete, nothing lost, the same figures as one after the other")
  func twoIngests() throws {
    let folder = TemporaryFolder()
    let inputs = [Fixtures.corpus("otel-openai-v2.jsonl"), Fixtures.corpus("openinference-langchain-plus-openai.jsonl")]
    let path = folder.file("both.db")
    _ = try SQLiteSpanStore(path: path, create: true)
    let reports = Mutex<[IngestReport]>([])
    let errors = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      do {
        let store = try SQLiteSpanStore(path: path, create: true)
        let ingestor = Ingestor(store: store)
        ingestor.batchSpans = 7  // many small transactions, interleaved with the other writer's
        let r = try ingestor.ingest([inputs[i]])
        reports.withLock { $0.append(r) }
      } catch {
        errors.withLock { $0.append("\(error)") }
      }
    }
    #expect(errors.withLock { $0 }.isEmpty, "\(errors.withLock { $0 })")
    let stored = reports.withLock { $0 }.reduce(0) { $0 + $1.stored }
    let (sequential, _) = try ingestedStore(inputs, in: folder, name: "one-by-one.db")
    let both = try SQLiteSpanStore(path: folder.file("both.db"), create: false, readOnly: true)
    let expected = try sequential.spanCount()
    #expect(try stored == expected && both.spanCount() == expected)
    #expect(SummaryJSON.encode(try both.summary()) == SummaryJSON.encode(try sequential.summary()))
  }

  @Test("a build during an ingest shows one snapshot: the store as it was when the build began")
  func buildDuringIngest() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    let before = try store.spanCount()
    var options = SiteOptions(now: Timestamp.parse("2026-12-03T00:00:00Z")!)
    options.out = folder.file("site")
    options.to = "2030-01-01T00:00:00Z"  // a fixed range, so the new spans would fall inside it
    var builder = SiteBuilder(options: options)
    let ingested = Mutex(0)
    let path = folder.file("store.db")
    builder.progress = { _, _ in
      // Once trace pages are being written (before traces.html and usage.html), another
      // writer adds a dataset.
      guard ingested.withLock({ $0 }) == 0 else { return }
      let writer = try! SQLiteSpanStore(path: path, create: false)
      let r = try! Ingestor(store: writer).ingest([Fixtures.corpus("openinference-openai.jsonl")])
      ingested.withLock { $0 = r.stored }
    }
    let reader = try SQLiteSpanStore(path: path, create: false, readOnly: true)
    _ = try builder.build(store: reader)
    #expect(ingested.withLock { $0 } > 0)
    #expect(try SQLiteSpanStore(path: path, create: false, readOnly: true).spanCount() == before + ingested.withLock { $0 })
    // Pages rendered after the ingest still show the store as it was.
    let traces = try String(contentsOfFile: folder.file("site/traces.html"), encoding: .utf8)
    #expect(traces.contains("data-total=\"\(before)\""))
    let usage = try String(contentsOfFile: folder.file("site/usage.html"), encoding: .utf8)
    #expect(!usage.contains("oi-chat-app"))
  }
}
