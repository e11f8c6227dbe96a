import Foundation
import Testing

@testable import LLMScopeKit

@Suite struct JSONDecoderTests {
  private func decode(_ text: String) throws -> DecodedRecord {
    var copy = text
    return try copy.withUTF8 { buf in try OTLPJSONDecoder(location: InputLocation(file: "t.json")).decode(buf, origin: 0) }
  }

  private func onlySpan(_ r: DecodedRecord) throws -> Span {
    try #require(r.resourceSpans.first?.scopeSpans.first?.spans.first)
  }

  @Test("every AnyValue shape decodes to its typed value")
  func anyValueShapes() throws {
    let attrs = [
      OTLPJSON.attr("s", #"{"stringValue":"h\u00e9\ud83d\ude00\n\"q\""}"#),
      OTLPJSON.attr("b", #"{"boolValue":true}"#),
      OTLPJSON.attr("i", #"{"intValue":"-9223372036854775808"}"#),
      OTLPJSON.attr("in", #"{"intValue":42}"#),
      OTLPJSON.attr("d", #"{"doubleValue":1.5e3}"#),
      OTLPJSON.attr("dnan", #"{"doubleValue":"NaN"}"#),
      OTLPJSON.attr("dinf", #"{"doubleValue":"-Infinity"}"#),
      OTLPJSON.attr("by", #"{"bytesValue":"AAEC/w=="}"#),
      OTLPJSON.attr("a", #"{"arrayValue":{"values":[{"intValue":"1"},{"arrayValue":{}},{}]}}"#),
      OTLPJSON.attr("kv", #"{"kvlistValue":{"values":[{"key":"x","value":{"boolValue":false}}]}}"#),
      OTLPJSON.attr("e", "{}"),
      #"{"key":"lone","value":{"stringValue":"\ud800x"}}"#,
    ]
    let s = try onlySpan(try decode(OTLPJSON.request(spans: [OTLPJSON.span(id: "00000000000000aa", attributes: attrs)])))
    let a = s.attributes
    #expect(a["s"] == .string("hé😀\n\"q\""))
    #expect(a["b"] == .bool(true))
    #expect(a["i"] == .int(Int64.min))
    #expect(a["in"] == .int(42))
    #expect(a["d"] == .double(1500))
    if case .double(let d)? = a["dnan"] { #expect(d.isNaN) } else { Issue.record("NaN lost") }
    #expect(a["dinf"] == .double(-.infinity))
    #expect(a["by"] == .bytes([0, 1, 2, 255]))
    #expect(a["a"] == .array([.int(1), .array([]), .empty]))
    #expect(a["kv"] == .kvlist([KeyValue(key: "x", value: .bool(false))]))
    #expect(a["e"] == .empty)
    #expect(a["lone"] == .string("\u{FFFD}x"))
  }

  @Test("missing and empty fields take their defaults")
  func defaults() throws {
    let r = try decode(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0123456789abcdef0123456789abcdef","spanId":"0000000000000001"}]}]},{}]}"#)
    let s = try onlySpan(r)
    #expect(s.name == "" && s.kind == 0 && s.startTimeUnixNano == 0 && s.parentSpanID == "" && s.attributes.isEmpty)
    #expect(s.status == SpanStatus())
    #expect(r.resourceSpans.count == 2)
    #expect(try decode("{}").resourceSpans.isEmpty)
    #expect(try decode(#"{"resourceSpans":[]}"#).resourceSpans.isEmpty)
  }

  @Test("unknown fields are skipped at every level")
  func unknownFields() throws {
    let text = """
      {"x":[1,{"y":null}],"resourceSpans":[{"future":{"a":[true]},"resource":{"attributes":[],"entityRefs":[{"k":1}]},
      "scopeSpans":[{"scope":{"name":"sc","extra":1},"spans":[{"traceId":"0123456789ABCDEF0123456789ABCDEF","spanId":"00000000000000AB",
      "novel":{"deep":[[[]]]},"status":{"code":2,"message":"boom","other":3}}]}]}]}
      """
    let r = try decode(text)
    let s = try onlySpan(r)
    #expect(s.traceID == "0123456789abcdef0123456789abcdef")
    #expect(s.spanID == "00000000000000ab")
    #expect(s.status == SpanStatus(code: 2, message: "boom"))
    #expect(r.resourceSpans[0].scopeSpans[0].scope.name == "sc")
  }

  @Test("enum names, snake_case keys, numbers for int64 and the pre-2022 names are accepted")
  func alternativeSpellings() throws {
    let text = """
      {"resource_spans":[{"instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"old"},"spans":[
      {"trace_id":"0123456789abcdef0123456789abcdef","span_id":"0000000000000001","kind":"SPAN_KIND_CLIENT",
      "start_time_unix_nano":1700000000000000000,"endTimeUnixNano":"1700000000500000000","status":{"code":"STATUS_CODE_ERROR"}}]}]}]}
      """
    let r = try decode(text)
    let s = try onlySpan(r)
    #expect(s.kind == 3 && s.status.code == 2)
    #expect(s.startTimeUnixNano == 1_700_000_000_000_000_000 && s.durationNanos == 500_000_000)
    #expect(r.resourceSpans[0].scopeSpans[0].scope.name == "old")
  }

  @Test("a span with a bad field is rejected alone, naming the field")
  func badSpanRejectedAlone() throws {
    let spans = [
      OTLPJSON.span(id: "0000000000000001"),
      OTLPJSON.span(trace: "xyz", id: "0000000000000002"),
      OTLPJSON.span(id: "0000000000000003", extra: #","kind":"sideways""#),
      #"{"traceId":"0123456789abcdef0123456789abcdef"}"#,
      OTLPJSON.span(id: "0000000000000000"),
      OTLPJSON.span(id: "0000000000000004", extra: #","startTimeUnixNano":"soon""#),
    ]
    let r = try decode(OTLPJSON.request(spans: spans))
    #expect(r.resourceSpans[0].scopeSpans[0].spans.map(\.spanID) == ["0000000000000001"])
    #expect(r.rejections.map(\.field) == [
      "resourceSpans[0].scopeSpans[0].spans[1].traceId", "resourceSpans[0].scopeSpans[0].spans[2].kind",
      "resourceSpans[0].scopeSpans[0].spans[3].spanId", "resourceSpans[0].scopeSpans[0].spans[4].spanId",
      "resourceSpans[0].scopeSpans[0].spans[5].startTimeUnixNano",
    ])
    #expect(r.rejections[0].reason.contains("\"xyz\" is not an id of 32 hex digits"))
    #expect(r.rejections[1].reason.contains("SPAN_KIND_CLIENT"))
    #expect(r.rejections.allSatisfy { $0.location.byteOffset != nil || $0.field.hasSuffix("spanId") })
  }

  @Test("broken JSON is an error at its byte offset", arguments: [
    (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0123"#, 59),
    (#"{"resourceSpans":[}"#, 18),
    (#"{"resourceSpans":[]} x"#, 21),
    (#"{"resourceSpans":[{"resource":{"attributes":[{"key":"a","value":{"intValue":"1"}}}]}]}"#, 81),
    ("[1]", 0),
  ])
  func syntaxErrors(_ text: String, _ offset: Int) throws {
    #expect(throws: JSONSyntaxError.self) { try decode(text) }
    do { _ = try decode(text) } catch let e as JSONSyntaxError { #expect(e.offset == offset, "\(e.message)") } catch {}
  }

  @Test("nesting beyond the limit is rejected, not a stack overflow")
  func deepNesting() throws {
    let deep = String(repeating: #"{"arrayValue":{"values":["#, count: 5000)
    let text = OTLPJSON.request(spans: [OTLPJSON.span(id: "0000000000000001", attributes: [OTLPJSON.attr("x", deep)])])
    #expect(throws: JSONSyntaxError.self) { try decode(text) }
  }
}
