import Foundation
import Testing

@testable import LLMScopeKit

@Suite struct CommandLineTests {
  /// The built `llmscope` executable, for what only a real process shows (stdin, exit codes).
  static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent(".build/debug/llmscope").path

  private func runProcess(_ args: [String], stdin: Data? = nil) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.binary)
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  @Test("--help works on every command and exits 0", arguments: [["--help"], ["ingest", "--help"], ["summary", "-h"], ["help", "summary"]])
  func help(_ args: [String]) {
    let r = CapturedRun(args)
    #expect(r.status == 0 && r.out.contains("Usage: llmscope"))
  }

  @Test("usage mistakes exit 2 and say what is wrong", arguments: [
    (["frobnicate"], "unknown command"), (["ingest"], "no INPUT"), (["summary", "--bogus"], "unknown option --bogus"),
    (["summary", "--from"], "--from needs a value"), (["summary", "--from", "yesterday-ish", "--store", "/nonexistent.db"], "not a time"),
    (["ingest", "--batch-spans", "0", "x"], "positive number"), ([], "Usage"),
  ])
  func usageErrors(_ args: [String], _ message: String) {
    let r = CapturedRun(args)
    #expect(r.status == 2)
    #expect(r.err.contains(message), "\(r.err)")
  }

  @Test("summary of a missing store fails with a hint")
  func missingStore() {
    let r = CapturedRun(["summary", "--store", "/nonexistent/llmscope.db"])
    #expect(r.status == 1 && r.err.contains("llmscope ingest"))
  }

  @Test("ingest prints counts and exits 1 when anything was rejected")
  func ingestExitStatus() throws {
    let folder = TemporaryFolder()
    let good = CapturedRun(["ingest", "--store", folder.file("s.db"), Fixtures.corpus("otel-openai-v2-legacy.jsonl")])
    #expect(good.status == 0)
    #expect(good.out.contains("125 spans read from 1 file (9 records): 125 stored, 0 duplicate, 0 rejected"))
    let bad = folder.write("bad.jsonl", IngestTests.goodLine + "\n{oops\n")
    let r = CapturedRun(["ingest", "--store", folder.file("s.db"), bad])
    #expect(r.status == 1)
    #expect(r.err.contains("rejected: \(bad):2"))
    #expect(r.out.contains("2 stored, 0 duplicate, 0 rejected; 1 unreadable record rejected"))
  }

  @Test("summary --json has the documented shape and honours --from/--to")
  func summaryJSON() throws {
    let folder = TemporaryFolder()
    let store = folder.file("s.db")
    _ = CapturedRun(["ingest", "--store", store, Fixtures.corpus("otel-openai-v2.jsonl")])
    let r = CapturedRun(["summary", "--store", store, "--json"])
    #expect(r.status == 0)
    let doc = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    #expect(Set(doc.keys) == ["range", "totals", "business_systems", "apps", "models", "request_models"])
    let totals = doc["totals"] as! [String: Any]
    for key in ["spans", "traces", "llm_calls", "llm_latency_ms", "model_calls", "model_errors", "model_error_rate", "model_latency_ms_avg", "ttft_ms_avg", "input_tokens", "output_tokens"] {
      #expect(totals[key] != nil, "\(key)")
    }
    #expect(totals["ttft_ms_avg"] is NSNull)
    #expect(Set((totals["llm_latency_ms"] as! [String: Any]).keys).isSuperset(of: ["avg", "p50", "p95", "p99"]))
    #expect((doc["apps"] as! [[String: Any]]).allSatisfy { $0["name"] != nil && $0["instances"] != nil })
    #expect((doc["business_systems"] as! [[String: Any]]).allSatisfy { ($0["fingerprint"] as? String)?.hasPrefix("bs-") == true })
    #expect(!r.out.contains("demo-token"))
    // The whole store by default; a range narrows it.
    let range = doc["range"] as! [String: String]
    let narrow = CapturedRun(["summary", "--store", store, "--json", "--from", range["to"]!, "--to", range["to"]!])
    let n = try JSONSerialization.jsonObject(with: Data(narrow.out.utf8)) as! [String: Any]
    #expect(((n["totals"] as! [String: Any])["spans"] as! Int) == 0)
    let rel = CapturedRun(["summary", "--store", store, "--json", "--now", range["to"]!, "--from", "-1h"])
    #expect(((try JSONSerialization.jsonObject(with: Data(rel.out.utf8)) as! [String: Any])["totals"] as! [String: Any])["spans"] as! Int == 244)
  }

  @Test("`-` reads standard input, and the process exits with the documented codes")
  func stdinAndExitCodes() throws {
    let folder = TemporaryFolder()
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.corpus("otel-openai-v2-legacy.jsonl")))
    let r = try runProcess(["ingest", "--store", folder.file("s.db"), "-"], stdin: data)
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("125 stored"))
    #expect(r.err.isEmpty, "no progress output when stderr is not a terminal")
    #expect(try runProcess(["summary", "--nope"]).status == 2)
    #expect(try runProcess(["summary", "--store", folder.file("missing.db")]).status == 1)
    let s = try runProcess(["summary", "--store", folder.file("s.db")])
    #expect(s.status == 0 && s.out.contains("v2legacy-chat-app"))
  }
}

@Suite struct TimestampTests {
  @Test("RFC 3339 parses with fractions and offsets", arguments: [
    ("1970-01-01T00:00:00Z", Int64(0)), ("2026-12-03T19:04:00.5+01:00", Int64(1_796_324_640_500_000_000) - 3_600_000_000_000),
    ("2026-12-03", Int64(1_796_256_000_000_000_000)), ("\"1970-01-01T00:00:01.000000001Z\"", Int64(1_000_000_001)),
  ])
  func parse(_ text: String, _ nanos: Int64) {
    #expect(Timestamp.parse(text) == nanos)
  }

  @Test("bad times are rejected", arguments: ["", "2026-13-01", "2026-12-03T25:00:00Z", "yesterday", "2026-12-03T10:00:00Zjunk"])
  func bad(_ text: String) { #expect(Timestamp.parse(text) == nil) }

  @Test("relative times count from now")
  func relative() {
    let now: Int64 = 1_000_000_000_000_000
    #expect(Timestamp.parse("-24h", relativeTo: now) == now - 86_400_000_000_000)
    #expect(Timestamp.parse("-7d", relativeTo: now) == now - 7 * 86_400_000_000_000)
    #expect(Timestamp.parse("now", relativeTo: now) == now)
    #expect(Timestamp.parse("-3x", relativeTo: now) == nil)
  }

  @Test("formatting round-trips")
  func format() {
    for t: Int64 in [0, 1_796_324_640_123_456_789, -1] {
      #expect(Timestamp.parse(Timestamp.format(t, fractionDigits: 9)) == t)
    }
  }
}

@Suite struct PercentileTests {
  @Test("linear interpolation between closest ranks, as numpy")
  func linear() {
    let v = [1.0, 2, 3, 4, 10]
    #expect(Percentile.linear(v, 0.5) == 3)
    #expect(abs(Percentile.linear(v, 0.95)! - 8.8) < 1e-12)
    #expect(Percentile.linear(v, 0.0) == 1 && Percentile.linear(v, 1) == 10)
    #expect(Percentile.linear([], 0.5) == nil)
    #expect(Percentile.linear([7], 0.99) == 7)
    #expect(Percentile.nearestRank(v, 0.5) == 3 && Percentile.nearestRank(v, 0.95) == 10)
  }
}
