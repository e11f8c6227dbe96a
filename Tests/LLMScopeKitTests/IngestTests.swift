import Foundation
import Testing

@testable import LLMScopeKit

/// Inputs in every form users have, and every kind of bad input.
@Suite struct IngestTests {
  static let goodLine = OTLPJSON.request(spans: [OTLPJSON.span(id: "0000000000000001"), OTLPJSON.span(id: "0000000000000002", parent: "0000000000000001")])
  static let otherLine = OTLPJSON.request(spans: [OTLPJSON.span(trace: "11111111111111111111111111111111", id: "0000000000000003")])

  @Test("a malformed line is rejected with file and line; the lines around it are stored")
  func malformedLine() throws {
    let folder = TemporaryFolder()
    let badSpan = OTLPJSON.request(spans: [OTLPJSON.span(trace: "nothex", id: "0000000000000009"), OTLPJSON.span(trace: "22222222222222222222222222222222", id: "0000000000000004")])
    let file = folder.write("in.jsonl", [Self.goodLine, #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId""#, Self.otherLine, "", badSpan].joined(separator: "\n") + "\n")
    let (store, r) = try ingestedStore([file], in: folder)
    #expect(r.stored == 4 && r.rejectedSpans == 1 && r.rejectedRecords == 1 && r.spansRead == 5 && r.records == 4)
    #expect(try store.spanCount() == 4)
    #expect(r.rejections.count == 2)
    #expect(r.rejections[0].location.file == file && r.rejections[0].location.line == 2)
    #expect(r.rejections[0].reason.contains("invalid JSON"))
    #expect(r.rejections[1].location.line == 5 && r.rejections[1].field.hasSuffix("spans[0].traceId"))
    #expect(r.rejections[1].description.contains("\(file):5"))
  }

  @Test("a pretty-printed JSON document and concatenated documents are read")
  func prettyPrinted() throws {
    let folder = TemporaryFolder()
    let pretty = """
      {
        "resourceSpans": [ { "scopeSpans": [ { "spans": [
          { "traceId": "0123456789abcdef0123456789abcdef", "spanId": "0000000000000001", "name": "a" }
        ] } ] } ]
      }
      {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0123456789abcdef0123456789abcdef","spanId":"0000000000000002"}]}]}]}
      """
    let (_, r) = try ingestedStore([folder.write("doc.json", pretty)], in: folder)
    #expect(r.stored == 2 && r.records == 2 && r.rejections.isEmpty)
  }

  @Test("gzip, framed protobuf and folders are detected from content, not names")
  func formats() throws {
    let folder = TemporaryFolder()
    let name = "otel-openai-v2"
    let plain = try Data(contentsOf: URL(fileURLWithPath: Fixtures.corpus(name + ".jsonl")))
    // gzip of the JSON lines, under a misleading name.
    let gz = folder.file("traces.bin")
    FileManager.default.createFile(atPath: gz, contents: try gzip(plain))
    // The Collector's length-prefixed protobuf, from the OTLP/HTTP bodies.
    var framed = Data()
    for f in Ingestor.files(in: Fixtures.corpus(name + "-pb")) {
      let body = try Data(contentsOf: URL(fileURLWithPath: f))
      framed.append(contentsOf: withUnsafeBytes(of: UInt32(body.count).bigEndian) { Array($0) })
      framed.append(body)
    }
    let framedPath = folder.file("traces.json")
    FileManager.default.createFile(atPath: framedPath, contents: framed)
    let (a, ra) = try ingestedStore([gz], in: folder, name: "a.db")
    let (b, rb) = try ingestedStore([framedPath], in: folder, name: "b.db")
    let (c, rc) = try ingestedStore([Fixtures.corpus(name + "-pb")], in: folder, name: "c.db")
    #expect(ra.stored == 244 && rb.stored == 244 && rc.stored == 244 && rc.files == 15)
    #expect(ra.rejections.isEmpty && rb.rejections.isEmpty && rc.rejections.isEmpty)
    #expect(try a.storedSpans() == b.storedSpans())
    #expect(try b.storedSpans() == c.storedSpans())
  }

  @Test("a truncated gzip file keeps the records before the cut and reports the rest")
  func truncatedGzip() throws {
    let folder = TemporaryFolder()
    let lines = (0..<200).map { i in
      OTLPJSON.request(spans: [OTLPJSON.span(trace: String(format: "%032x", i + 1), id: "0000000000000001", attributes: [OTLPJSON.attr("pad", OTLPJSON.str(String(repeating: "x\(i)", count: 200)))])])
    }.joined(separator: "\n")
    let gz = try gzip(Data(lines.utf8))
    let path = folder.file("cut.gz")
    FileManager.default.createFile(atPath: path, contents: gz.prefix(gz.count * 2 / 3))
    let (_, r) = try ingestedStore([path], in: folder)
    #expect(r.stored > 0 && r.stored < 200)
    #expect(r.rejectedRecords >= 1)
    #expect(r.rejections.contains { $0.reason.contains("truncated") || $0.reason.contains("invalid JSON") })
  }

  @Test("files that are not trace data are rejected with what llmscope reads", arguments: [
    ("hello world\n", "not OTLP trace data"), ("\u{28}\u{B5}\u{2F}\u{FD}xxxx", "zstd"),
  ])
  func notTraceData(_ content: String, _ message: String) throws {
    let folder = TemporaryFolder()
    let p = folder.write("x.txt", bytes: content.unicodeScalars.map { UInt8($0.value) })
    let (_, r) = try ingestedStore([p], in: folder)
    #expect(r.rejectedRecords == 1 && r.rejections.first?.reason.contains(message) == true)
  }

  @Test("an empty file and a missing path: nothing stored, the missing path reported")
  func emptyAndMissing() throws {
    let folder = TemporaryFolder()
    let (_, r) = try ingestedStore([folder.write("empty.json", ""), folder.file("nope.json")], in: folder)
    #expect(r.stored == 0 && r.rejectedRecords == 1)
    #expect(r.rejections.first?.location.file.hasSuffix("nope.json") == true)
  }

  @Test("a batch is all or nothing: spans of a failed transaction are not half stored")
  func batchIsAtomic() throws {
    let folder = TemporaryFolder()
    let store = try SQLiteSpanStore(path: folder.file("s.db"), create: true)
    var rs = ResourceSpans()
    var ss = ScopeSpans()
    var ok = Span()
    ok.traceID = "0123456789abcdef0123456789abcdef"
    ok.spanID = "0000000000000001"
    ss.spans = [ok]
    rs.scopeSpans = [ss]
    // A second connection holds the write lock, so the insert fails after its first statements.
    let other = try SQLiteDatabase(path: folder.file("s.db"), readOnly: false)
    try other.execute("PRAGMA busy_timeout=0; BEGIN IMMEDIATE")
    try store.db.execute("PRAGMA busy_timeout=50")
    #expect(throws: (any Error).self) { try store.insert([rs]) }
    try other.execute("ROLLBACK")
    #expect(try store.spanCount() == 0)
    #expect(try store.insert([rs]).stored == 1)
  }

  private func gzip(_ data: Data) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-c"]
    let inPipe = Pipe()
    let outPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    try p.run()
    let writer = Thread {
      inPipe.fileHandleForWriting.write(data)
      try? inPipe.fileHandleForWriting.close()
    }
    writer.start()
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return out
  }
}

@Suite struct ValueLimitTests {
  @Test("values over --max-value-bytes are stored cut on a character boundary, the cut recorded, counted and shown")
  func cut() throws {
    let folder = TemporaryFolder()
    let long = String(repeating: "模型", count: 100)  // 600 bytes
    let input = folder.write("x.jsonl", OTLPJSON.request(spans: [
      OTLPJSON.span(id: "0000000000000001", attributes: [
        OTLPJSON.attr("gen_ai.prompt", OTLPJSON.str(long)), OTLPJSON.attr("short", OTLPJSON.str("ok")),
        OTLPJSON.attr("list", #"{"arrayValue":{"values":[{"stringValue":"\#(long)"}]}}"#),
      ])
    ]))
    let r = CapturedRun(["ingest", "--store", folder.file("s.db"), "--max-value-bytes", "100", input])
    #expect(r.status == 0 && r.out.contains("2 attribute values over 100 bytes stored cut"), "\(r.out)")
    let span = try #require(try SQLiteSpanStore(path: folder.file("s.db"), create: false, readOnly: true).storedSpans().first).span
    let attrs = Dictionary(uniqueKeysWithValues: span.attributes.map { ($0.key, $0.value) })
    #expect(attrs["gen_ai.prompt"] == .string(String(repeating: "模型", count: 16) + "模"))  // 99 bytes: whole characters
    #expect(attrs["short"] == .string("ok"))
    #expect(attrs["llmscope.cut.gen_ai.prompt"] == .int(600) && attrs["llmscope.cut.list"] == .int(600) && attrs["llmscope.cut.short"] == nil)
    #expect(CapturedRun(["ingest", "--store", folder.file("s.db"), "--max-value-bytes", "0", input]).status == 2)
  }
}
