import Foundation
import Testing

@testable import LLMScopeKit

@Suite struct StoreTests {
  private func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

  @Test("a new store is SQLite in WAL mode with the current schema version")
  func newStore() throws {
    let folder = TemporaryFolder()
    let store = try SQLiteSpanStore(path: folder.file("s.db"), create: true)
    #expect(store.schemaVersion == Schema.version)
    #expect(try store.db.scalarInt("PRAGMA application_id") == Schema.applicationID)
    let mode = try store.db.prepare("PRAGMA journal_mode")
    _ = try mode.step()
    #expect(mode.string(0) == "wal")
  }

  @Test("a file that is not an llmscope store is refused and left unchanged")
  func notAStore() throws {
    let folder = TemporaryFolder()
    let text = folder.write("notes.db", "just some text, not a database at all\n")
    let before = bytes(text)
    #expect(throws: StoreError.self) { try SQLiteSpanStore(path: text, create: true) }
    do { _ = try SQLiteSpanStore(path: text, create: true) } catch { #expect(error.description.contains("not an llmscope store")) }
    #expect(bytes(text) == before)

    let other = folder.file("other.db")
    try SQLiteDatabase(path: other, readOnly: false).execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
    let otherBefore = bytes(other)
    do { _ = try SQLiteSpanStore(path: other, create: true) } catch { #expect(error.description.contains("another program")) }
    #expect(bytes(other) == otherBefore)
  }

  @Test("a store from a newer llmscope is refused and left unchanged")
  func newerStore() throws {
    let folder = TemporaryFolder()
    let path = folder.file("s.db")
    do {
      let store = try SQLiteSpanStore(path: path, create: true)
      try store.db.execute("PRAGMA user_version=\(Schema.version + 1); PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE")
    }
    let before = bytes(path)
    do {
      _ = try SQLiteSpanStore(path: path, create: true)
      Issue.record("opened")
    } catch {
      #expect(error.description.contains("newer llmscope"))
    }
    #expect(bytes(path) == before)
  }

  @Test("a damaged store is reported and left unchanged")
  func damagedStore() throws {
    let folder = TemporaryFolder()
    let path = folder.file("store.db")
    do {
      let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
      try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE")
    }
    var data = try #require(bytes(path))
    // Overwrite the second page onwards with noise, keeping the header.
    for i in 4096..<min(data.count, 4096 * 8) { data[i] = UInt8(truncatingIfNeeded: i &* 31) }
    FileManager.default.createFile(atPath: path, contents: data)
    do {
      let s = try SQLiteSpanStore(path: path, create: false, readOnly: true)
      _ = try s.summary()
      Issue.record("no error")
    } catch {
      #expect("\(error)".contains("damaged") || "\(error)".contains("malformed"))
    }
    #expect(bytes(path) == data)
  }

  @Test("a store still open by its writer (its header in the write-ahead log) opens for reading")
  func readsWhileWriterIsOpen() throws {
    let folder = TemporaryFolder()
    let (writer, report) = try ingestedStore([Fixtures.corpus("otel-openai-v2-legacy.jsonl")], in: folder)
    let reader = try SQLiteSpanStore(path: folder.file("store.db"), create: false, readOnly: true)
    #expect(try reader.spanCount() == report.stored)
    #expect(try writer.spanCount() == report.stored)
  }

  @Test("reading a missing store says how to make one")
  func missingStore() {
    #expect(throws: StoreError.self) { try SQLiteSpanStore(path: "/nonexistent/x.db", create: false) }
  }

  @Test("attributes, events and links are kept losslessly")
  func lossless() throws {
    let folder = TemporaryFolder()
    var span = Span()
    span.traceID = "0123456789abcdef0123456789abcdef"
    span.spanID = "0000000000000001"
    span.parentSpanID = "0000000000000002"
    span.traceState = "a=b"
    span.name = "n\u{0}ame <&>"
    span.kind = 3
    span.flags = 0x301
    span.startTimeUnixNano = -5
    span.endTimeUnixNano = Int64.max
    span.attributes = [
      KeyValue(key: "s", value: .string("\u{2028}\"\\\u{1}")), KeyValue(key: "i", value: .int(.min)), KeyValue(key: "d", value: .double(.infinity)),
      KeyValue(key: "d2", value: .double(0.1)), KeyValue(key: "b", value: .bytes([0, 255])), KeyValue(key: "e", value: .empty),
      KeyValue(key: "a", value: .array([.kvlist([KeyValue(key: "k", value: .bool(false))]), .array([])])), KeyValue(key: "s", value: .string("dup")),
    ]
    span.droppedAttributesCount = 3
    var ev = SpanEvent()
    ev.name = "exception"
    ev.timeUnixNano = 7
    ev.attributes = [KeyValue(key: "exception.message", value: .string("x"))]
    ev.droppedAttributesCount = 1
    span.events = [ev]
    span.droppedEventsCount = 2
    var link = SpanLink()
    link.traceID = "ffffffffffffffffffffffffffffffff"
    link.spanID = "0000000000000003"
    link.traceState = "t"
    link.flags = 1
    link.attributes = [KeyValue(key: "l", value: .int(1))]
    span.links = [link]
    span.droppedLinksCount = 4
    span.status = SpanStatus(code: 2, message: "bad")
    var rs = ResourceSpans()
    rs.resource.attributes = [KeyValue(key: "service.name", value: .string("svc"))]
    rs.schemaURL = "https://opentelemetry.io/schemas/1.26.0"
    var ss = ScopeSpans()
    ss.scope.name = "sc"
    ss.scope.version = "1"
    ss.spans = [span]
    rs.scopeSpans = [ss]
    let store = try SQLiteSpanStore(path: folder.file("s.db"), create: true)
    #expect(try store.insert([rs]).stored == 1)
    let back = try #require(try store.storedSpans().first)
    #expect(back.span == span)
    #expect(back.resource == rs.resource && back.scope == ss.scope && back.resourceSchemaURL == rs.schemaURL)
  }

  @Test("two stores built from the same input are byte-identical in their summaries")
  func deterministicSummary() throws {
    let folder = TemporaryFolder()
    let (a, _) = try ingestedStore([Fixtures.corpus("openinference-langchain.jsonl")], in: folder, name: "a.db")
    let (b, _) = try ingestedStore([Fixtures.corpus("openinference-langchain-pb")], in: folder, name: "b.db")
    #expect(SummaryJSON.encode(try a.summary()) == SummaryJSON.encode(try b.summary()))
    #expect(SummaryTable.render(try a.summary()) == SummaryTable.render(try b.summary()))
  }
}
