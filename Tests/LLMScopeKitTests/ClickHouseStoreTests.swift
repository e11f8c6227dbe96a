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

/// The convention table as ClickHouse SQL reads every corpus span as the SQLite store's ingest does.
@Suite struct ConventionSQLTests {
  @Test("each canonical field computed by ClickHouse from otel_traces equals the SQLite store's", .enabled(if: ClickHouseServer.available),
    arguments: ["otel-openai-v2", "otel-openai-v2-legacy", "openinference-openai", "openinference-langchain-plus-openai"])
  func fields(_ dataset: String) throws {
    try Self.compare(Fixtures.corpus(dataset + ".jsonl"), dataset, minimumSpans: 50)
  }

  @Test("so do spans of the other families: Langfuse buckets and timestamps, JSON members, events, hosts, scaled and textual numbers",
    .enabled(if: ClickHouseServer.available))
  func families() throws {
    typealias J = OTLPJSON
    func span(_ id: Int, name: String = "span", _ attrs: [String], events: String = "") -> String {
      J.span(id: String(format: "%016x", id), name: name, start: 1_764_547_200_000_000_000 + Int64(id) * 1_000_000_000, durationMs: 800, attributes: attrs, extra: events)
    }
    let start: Int64 = 1_764_547_200_000_000_000
    let spans = [
      span(1, [J.attr("langfuse.observation.type", J.str("generation")), J.attr("langfuse.observation.model.name", J.str("claude-3-5-haiku")),
        J.attr("langfuse.observation.usage_details", J.str(#"{\"input\":100,\"input_cached_tokens\":40,\"output\":20,\"output_reasoning_tokens\":5,\"total\":120}"#)),
        J.attr("langfuse.observation.completion_start_time", J.str(#"\"2025-12-01T00:00:01.250Z\""#)), J.attr("langfuse.session.id", J.str("s-1"))]),
      span(2, [J.attr("openinference.span.kind", J.str("LLM")), J.attr("llm.invocation_parameters", J.str(#"{\"model\":\"gpt-4o\",\"stream\":true}"#)),
        J.attr("llm.token_count.prompt", J.str("12")), J.attr("llm.token_count.completion", "{\"doubleValue\":7.0}"), J.attr("llm.provider", J.str("azure"))]),
      span(3, name: "anthropic.chat", [J.attr("gen_ai.request.model", J.str("claude-3-7-sonnet")), J.attr("gen_ai.completion.1.finish_reason", J.str("length")),
        J.attr("gen_ai.completion.0.finish_reason", J.str("stop")), J.attr("time_to_first_token_ms", J.int(350)), J.attr("user.id", J.str("u-9"))],
        events: #","events":[{"timeUnixNano":"\#(start + 3_000_000_000 + 5_000)","name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"RateLimitError"}}]}]"#),
      span(4, [J.attr("gen_ai.operation.name", J.str("chat")), J.attr("gen_ai.request.model", J.str("deepseek-chat")), J.attr("server.address", J.str("api.deepseek.com")),
        J.attr("gen_ai.system", J.str("langchain")), J.attr("gen_ai.usage.prompt_tokens", J.str(" 30 ")), J.attr("gen_ai.request.is_stream", J.str("0"))]),
      span(5, [J.attr("traceloop.span.kind", J.str("workflow")), J.attr("traceloop.workflow.name", J.str("plan")), J.attr("gen_ai.tool.call.id", J.str("c1"))]),
      span(6, [J.attr("gen_ai.tool.name", J.str("search")), J.attr("ai.model.id", J.str("gpt-4o-mini"))],
        events: #","events":[{"timeUnixNano":"\#(start + 6_000_000_000 + 120_000_000)","name":"llm.content.completion.chunk"}]"#),
    ]
    let folder = TemporaryFolder()
    try Self.compare(folder.write("families.json", J.request(spans: spans)), "families", minimumSpans: 6)
  }

  /// Ingests `file` into SQLite and ClickHouse and compares every span's canonical fields.
  static func compare(_ file: String, _ label: String, minimumSpans: Int) throws {
    let url = try #require(ClickHouseServer.shared).url()
    let ingest = CapturedRun(["ingest", "--store", url, file])
    #expect(ingest.status == 0 && ingest.out.contains(" 0 rejected"), "\(ingest.out) \(ingest.err)")
    let (sqlite, _) = try ingestedStore([file], in: TemporaryFolder())
    let location = try ClickHouseLocation(url, environment: ProcessInfo.processInfo.environment)
    let kind = ConventionSQL.kind
    let ttft = ConventionSQL.double(.ttftSeconds)
    let ttftNanos = "if(\(ttft) >= 0 AND \(ttft) < 1e7, toInt64(round(\(ttft) * 1e9)), NULL)"
    let columns: [(sqlite: String, clickhouse: String)] = [
      ("op_kind", kind), ("provider", ConventionSQL.provider(allowPeerHints: "\(kind) IN ('llm', 'embedding')")),
      ("request_model", ConventionSQL.text(.requestModel)), ("response_model", ConventionSQL.text(.responseModel)),
      ("input_tokens", ConventionSQL.int(.inputTokens)), ("output_tokens", ConventionSQL.int(.outputTokens)),
      ("cache_read_tokens", ConventionSQL.int(.cacheReadTokens)), ("reasoning_tokens", ConventionSQL.int(.reasoningTokens)),
      ("ttft_ns", ttftNanos), ("streaming", "coalesce(\(ConventionSQL.bool(.streaming)), if(isNull(\(ttftNanos)), NULL, 1))"),
      ("error_type", ConventionSQL.text(.errorType)), ("session_id", ConventionSQL.text(.session)), ("user_id", ConventionSQL.text(.user)),
      ("agent_name", ConventionSQL.text(.agent)), ("tool_name", ConventionSQL.text(.toolName)),
    ]
    let sql = "SELECT TraceId, SpanId, " + columns.map { "toString(\($0.clickhouse))" }.joined(separator: ", ")
      + " FROM (SELECT TraceId, SpanId, SpanAttributes, \(ConventionSQL.ruleColumns) FROM \(location.qualifiedTable)) ORDER BY TraceId, SpanId FORMAT JSONCompactEachRow"
    let rows = String(decoding: try ClickHouseClient(location).query(sql), as: UTF8.self).split(separator: "\n").map { line -> [String?] in
      guard case .array(let f)? = JSONValue.parse(String(line)) else { return [] }
      return f.map { if case .null = $0 { return nil } else { return $0.string } }
    }
    let s = try sqlite.db.prepare("SELECT trace_id, span_id, " + columns.map { "CAST(\($0.sqlite) AS TEXT)" }.joined(separator: ", ") + " FROM spans ORDER BY trace_id, span_id")
    var expected: [[String?]] = []
    while try s.step() { expected.append((0..<(columns.count + 2)).map { s.optionalString(Int32($0)) }) }
    #expect(rows.count == expected.count && rows.count >= minimumSpans)
    // The fields are read, not all NULL on both sides: models, tokens and kinds are there.
    #expect(rows.contains { $0[2] == "llm" } && rows.contains { $0[5] != nil || $0[6] != nil })
    var differences = 0
    for (a, b) in zip(rows, expected) where a != b {
      differences += 1
      if differences <= 5 {
        let fields = zip(columns.map(\.sqlite), zip(a.dropFirst(2), b.dropFirst(2))).filter { $0.1.0 != $0.1.1 }.map { "\($0.0): ClickHouse \($0.1.0 ?? "NULL"), SQLite \($0.1.1 ?? "NULL")" }
        Issue.record("\(label) span \(b[1] ?? ""): \(fields.joined(separator: "; "))")
      }
    }
    #expect(differences == 0)
  }
}
