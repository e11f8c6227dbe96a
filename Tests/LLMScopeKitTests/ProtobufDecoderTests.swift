import Testing

@testable import LLMScopeKit

@Suite struct ProtobufDecoderTests {
  static let trace = ProtoWriter.hex("0123456789abcdef0123456789abcdef")

  private func decode(_ bytes: [UInt8]) throws(ProtobufError) -> DecodedRecord {
    try bytes.withUnsafeBufferPointer { buf throws(ProtobufError) in
      try OTLPProtobufDecoder(location: InputLocation(file: "t.pb")).decode(buf, range: 0..<buf.count, origin: 0)
    }
  }

  /// An ExportTraceServiceRequest with one resource, one scope and the given span bodies.
  private func request(_ spans: [(inout ProtoWriter) -> Void]) -> [UInt8] {
    var w = ProtoWriter()
    w.message(1) { rs in
      rs.message(1) { r in r.message(1, ProtoWriter.keyValue("service.name") { $0.string(1, "app") }) }
      rs.message(2) { ss in
        ss.message(1) { sc in
          sc.string(1, "scope")
          sc.string(2, "1.0")
        }
        for s in spans { ss.message(2, s) }
      }
    }
    return w.bytes
  }

  @Test("every field of a span and every AnyValue shape decode")
  func allFields() throws {
    let bytes = request([
      { s in
        s.bytesField(1, Self.trace)
        s.bytesField(2, ProtoWriter.hex("00000000000000aa"))
        s.string(3, "k=v")
        s.bytesField(4, ProtoWriter.hex("00000000000000bb"))
        s.string(5, "chat gpt")
        s.varintField(6, 3)
        s.fixed64(7, 1_700_000_000_000_000_000)
        s.fixed64(8, 1_700_000_000_250_000_000)
        s.message(9, ProtoWriter.keyValue("s") { $0.string(1, "héllo") })
        s.message(9, ProtoWriter.keyValue("b") { $0.varintField(2, 1) })
        s.message(9, ProtoWriter.keyValue("i") { $0.varintField(3, UInt64(bitPattern: -5)) })
        s.message(9, ProtoWriter.keyValue("d") { $0.fixed64(4, (0.25).bitPattern) })
        s.message(9, ProtoWriter.keyValue("a") { v in v.message(5) { a in a.message(1) { $0.string(1, "x") }; a.message(1) { _ in } } })
        s.message(9, ProtoWriter.keyValue("kv") { v in v.message(6) { l in l.message(1, ProtoWriter.keyValue("n") { $0.varintField(3, 7) }) } })
        s.message(9, ProtoWriter.keyValue("by") { $0.bytesField(7, [9, 8]) })
        s.message(9, ProtoWriter.keyValue("e") { _ in })
        s.varintField(10, 2)
        s.message(11) { e in
          e.fixed64(1, 1_700_000_000_100_000_000)
          e.string(2, "First Token Stream Event")
          e.message(3, ProtoWriter.keyValue("x") { $0.string(1, "y") })
        }
        s.varintField(12, 1)
        s.message(13) { l in
          l.bytesField(1, Self.trace)
          l.bytesField(2, ProtoWriter.hex("00000000000000cc"))
          l.fixed32(6, 1)
        }
        s.message(15) { st in
          st.string(2, "failed")
          st.varintField(3, 2)
        }
        s.fixed32(16, 0x301)
      }
    ])
    let r = try decode(bytes)
    let s = try #require(r.resourceSpans.first?.scopeSpans.first?.spans.first)
    #expect(s.traceID == "0123456789abcdef0123456789abcdef" && s.spanID == "00000000000000aa" && s.parentSpanID == "00000000000000bb")
    #expect(s.traceState == "k=v" && s.name == "chat gpt" && s.kind == 3 && s.flags == 0x301)
    #expect(s.durationNanos == 250_000_000)
    #expect(s.attributes["s"] == .string("héllo"))
    #expect(s.attributes["b"] == .bool(true))
    #expect(s.attributes["i"] == .int(-5))
    #expect(s.attributes["d"] == .double(0.25))
    #expect(s.attributes["a"] == .array([.string("x"), .empty]))
    #expect(s.attributes["kv"] == .kvlist([KeyValue(key: "n", value: .int(7))]))
    #expect(s.attributes["by"] == .bytes([9, 8]))
    #expect(s.attributes["e"] == .empty)
    #expect(s.droppedAttributesCount == 2 && s.droppedEventsCount == 1)
    #expect(s.events.first?.name == "First Token Stream Event" && s.events.first?.attributes["x"] == .string("y"))
    #expect(s.links.first?.spanID == "00000000000000cc" && s.links.first?.flags == 1)
    #expect(s.status == SpanStatus(code: 2, message: "failed"))
    #expect(r.resourceSpans[0].scopeSpans[0].scope.version == "1.0")
  }

  @Test("unknown fields of every wire type are skipped; a repeated scalar keeps its last value")
  func unknownFields() throws {
    let bytes = request([
      { s in
        s.varintField(99, 12345)
        s.fixed64(98, 1)
        s.fixed32(97, 1)
        s.string(96, "future")
        s.string(5, "first")
        s.bytesField(1, Self.trace)
        s.message(9, ProtoWriter.keyValue("a") { $0.string(1, "1") })
        s.bytesField(2, ProtoWriter.hex("0000000000000001"))
        s.message(9, ProtoWriter.keyValue("b") { $0.string(1, "2") })
        s.string(5, "second")
      }
    ])
    let s = try #require(try decode(bytes).resourceSpans.first?.scopeSpans.first?.spans.first)
    #expect(s.name == "second")
    #expect(s.attributes.map(\.key) == ["a", "b"])
  }

  @Test("a span with malformed ids is rejected alone")
  func badIDs() throws {
    let bytes = request([
      { s in
        s.bytesField(1, [1, 2, 3])
        s.bytesField(2, ProtoWriter.hex("0000000000000001"))
      },
      { s in
        s.bytesField(1, Self.trace)
        s.bytesField(2, ProtoWriter.hex("0000000000000002"))
      },
    ])
    let r = try decode(bytes)
    #expect(r.resourceSpans[0].scopeSpans[0].spans.map(\.spanID) == ["0000000000000002"])
    #expect(r.rejections.map(\.field) == ["resource_spans[0].scope_spans[0].spans[0].trace_id"])
  }

  @Test("broken wire format is an error at its byte offset")
  func brokenWireFormat() throws {
    let good = request([{ s in
      s.bytesField(1, Self.trace)
      s.bytesField(2, ProtoWriter.hex("0000000000000001"))
    }])
    // Truncated anywhere inside the message.
    for cut in [good.count - 1, good.count / 2, 3] {
      #expect(throws: ProtobufError.self) { try decode(Array(good.prefix(cut))) }
    }
    // A length that runs past the end.
    do {
      _ = try decode([0x0A, 0x7F, 0x00])
      Issue.record("no error")
    } catch {
      #expect(error.offset == 1)
      #expect(error.message.contains("runs past the end"))
    }
    // A string field sent as a varint.
    var w = ProtoWriter()
    w.message(1) { rs in rs.varintField(3, 1) }
    #expect(throws: ProtobufError.self) { try decode(w.bytes) }
    // Groups (wire types 3, 4) are not OTLP.
    #expect(throws: ProtobufError.self) { try decode([0x0B]) }
  }
}
