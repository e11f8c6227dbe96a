import Foundation
import Testing

@testable import LLMScopeKit

/// The ClickHouse store: URLs, the exporter's schema, errors, and the same spans and trace
/// pages as the SQLite store, against the real ClickHouse engine.
@Suite struct ClickHouseStoreTests {
  @Test("store URLs give host, port, database, table and TLS; credentials come from the environment")
  func urls() throws {
    let env = ["LLMSCOPE_CLICKHOUSE_USER": "reader", "LLMSCOPE_CLICKHOUSE_PASSWORD": "pw"]
    let a = try ClickHouseLocation("clickhouse://ch.internal:9000/otel?table=spans_v2", environment: env)
    #expect(a.host == "ch.internal" && a.port == 9000 && a.database == "otel" && a.table == "spans_v2" && !a.tls && a.user == "reader")
    #expect(a.endpoint == "http://ch.internal:9000/" && !a.description.contains("pw"))
    let b = try ClickHouseLocation("clickhouses://ch.example.com", environment: [:])
    #expect(b.tls && b.port == 8443 && b.database == "default" && b.table == "otel_traces" && b.user == "default" && b.endpoint.hasPrefix("https://"))
    func error(_ url: String) -> String {
      do {
        _ = try ClickHouseLocation(url, environment: env)
        return ""
      } catch { return error.description }
    }
    #expect(error("clickhouse://u:pw@host/db").contains("LLMSCOPE_CLICKHOUSE_USER") && !error("clickhouse://u:pw@host/db").contains("pw@"))
    #expect(error("clickhouse://host:99999/db").contains("port"))
    #expect(error("clickhouse://host/db?table=x;drop").contains("not a plain identifier"))
    #expect(error("clickhouse://host/db?format=csv").contains("unknown parameter"))
  }

  @Test("summary, build and incident say they do not read ClickHouse yet, and what does")
  func reportsRefused() {
    for command in [["summary"], ["build"], ["incident", "--from", "-1h", "--to", "now", "-o", "x"]] {
      let r = CapturedRun(command + ["--store", "clickhouse://127.0.0.1:1/otel"])
      #expect(r.status == 1 && r.err.contains("does not read ClickHouse stores yet") && r.err.contains("llmscope trace ID --store clickhouse://"), "\(command): \(r.err)")
    }
  }

  @Test("a table of another schema is refused, naming the columns at fault")
  func schemaProblems() {
    let exporter = ClickHouseSchema.columns.map { (name: $0.name, type: $0.type.replacingOccurrences(of: "Map(String", with: "Map(LowCardinality(String)")) }
    #expect(ClickHouseSchema.problems(exporter).isEmpty)
    var other = exporter.filter { $0.name != "SpanAttributes" }
    other[0].type = "DateTime"
    #expect(ClickHouseSchema.problems(other) == ["Timestamp is DateTime, not DateTime64(9)", "no column SpanAttributes Map(String, String)"])
    #expect(ClickHouseSchema.normalized("Array(Map(LowCardinality(String), String))") == "Array(Map(String, String))")
  }

  static func server() throws -> ClickHouseServer { try #require(ClickHouseServer.shared, "the chdb server did not start (make test installs chdb)") }

  @Test("ingest writes the exporter's schema, once: the same file again adds nothing", .enabled(if: ClickHouseServer.available))
  func ingest() throws {
    let url = try Self.server().url()
    let first = CapturedRun(["ingest", "--store", url, Fixtures.corpus("otel-openai-v2.jsonl")])
    #expect(first.status == 0, "\(first.err)")
    #expect(first.out.contains("244 stored, 0 duplicate") && first.out.contains("(user llmscope)") && !first.out.contains(ClickHouseServer.password))
    let again = CapturedRun(["ingest", "--store", url, Fixtures.corpus("otel-openai-v2-pb")])
    #expect(again.out.contains("0 stored, 244 duplicate"), "\(again.out)")
    let store = ClickHouseSpanStore(try ClickHouseLocation(url, environment: ProcessInfo.processInfo.environment))
    try store.checkSchema()
    #expect(try store.spanCount() == 244)
    let sqlite = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: TemporaryFolder()).0
    #expect(try store.timeBounds() == sqlite.timeBounds())
  }

  @Test("every trace page read from ClickHouse is byte-identical to the one read from SQLite", .enabled(if: ClickHouseServer.available),
    arguments: ["otel-openai-v2", "openinference-openai", "openinference-langchain-plus-openai"])
  func tracePages(_ dataset: String) throws {
    let url = try Self.server().url()
    let folder = TemporaryFolder()
    let (sqlite, _) = try ingestedStore([Fixtures.corpus(dataset + ".jsonl")], in: folder)
    #expect(CapturedRun(["ingest", "--store", url, Fixtures.corpus(dataset + ".jsonl")]).status == 0)
    let ids = try sqlite.traceIDs(in: try #require(try sqlite.timeBounds()), selection: .all)
    #expect(ids.count > 3)
    for id in ids {
      let a = CapturedRun(["trace", id, "--store", folder.file("store.db"), "-o", folder.file("a.html"), "--now", "2026-12-03T00:00:00Z"])
      let b = CapturedRun(["trace", id, "--store", url, "-o", folder.file("b.html"), "--now", "2026-12-03T00:00:00Z"])
      #expect(a.status == 0 && b.status == 0, "\(b.err)")
      let (x, y) = (try Data(contentsOf: URL(fileURLWithPath: folder.file("a.html"))), try Data(contentsOf: URL(fileURLWithPath: folder.file("b.html"))))
      #expect(x == y, "\(dataset) trace \(id) differs")
      if x != y { break }
    }
  }

  @Test("an unreachable server, wrong credentials and a missing table each say what to check, never the password", .enabled(if: ClickHouseServer.available))
  func errors() throws {
    let server = try Self.server()
    let id = "0123456789abcdef0123456789abcdef"
    let missing = CapturedRun(["trace", id, "--store", server.url(table: "nope")])
    #expect(missing.status == 1 && missing.err.contains("no table") && missing.err.contains("?table="), "\(missing.err)")
    let unreachable = CapturedRun(["trace", id, "--store", "clickhouse://127.0.0.1:1/otel"])
    #expect(unreachable.status == 1 && unreachable.err.contains("cannot reach ClickHouse at clickhouse://127.0.0.1:1/otel"), "\(unreachable.err)")
    var location = try ClickHouseLocation(server.url(), environment: ["LLMSCOPE_CLICKHOUSE_USER": ClickHouseServer.user, "LLMSCOPE_CLICKHOUSE_PASSWORD": "wrong-pw"])
    do {
      try ClickHouseSpanStore(location).checkSchema()
      Issue.record("wrong credentials were accepted")
    } catch {
      #expect(error.description.contains("refused the credentials") && error.description.contains("LLMSCOPE_CLICKHOUSE_PASSWORD") && !error.description.contains("wrong-pw"))
    }
    // A table of another shape.
    location.password = ClickHouseServer.password
    let client = ClickHouseClient(location)
    _ = try client.query("CREATE DATABASE IF NOT EXISTS `\(location.database)`")
    _ = try client.query("CREATE TABLE `\(location.database)`.other (Timestamp DateTime, TraceId String) ENGINE = MergeTree ORDER BY Timestamp")
    let other = CapturedRun(["trace", id, "--store", "clickhouse://127.0.0.1:\(server.port)/\(location.database)?table=other"])
    #expect(other.status == 1 && other.err.contains("is not the OpenTelemetry Collector's otel_traces schema") && other.err.contains("no column SpanAttributes"), "\(other.err)")
  }

  @Test("query parameters carry user text to the server, never pasted into SQL", .enabled(if: ClickHouseServer.available))
  func parameters() throws {
    let location = try ClickHouseLocation(try Self.server().url(), environment: ProcessInfo.processInfo.environment)
    let hostile = "x' OR 1=1 -- \\ 😀 +%&="
    let out = try ClickHouseClient(location).query("SELECT {v:String} FORMAT TabSeparatedRaw", params: ["v": hostile])
    #expect(String(decoding: out, as: UTF8.self) == hostile + "\n")
  }
}
