import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// Bytes read in chunks, so large inputs never sit in memory whole.
protocol ByteSource: AnyObject {
  /// Appends up to `max` bytes to `buffer`; returns how many, 0 at the end.
  func read(into buffer: inout [UInt8], max: Int) throws(InputError) -> Int
}

/// An input that cannot be read, with the reason in the user's words.
public struct InputError: Error, CustomStringConvertible, Sendable {
  public var location: InputLocation
  public var message: String
  public var hint: String?
  public var description: String {
    "\(location): \(message)" + (hint.map { "\n  hint: \($0)" } ?? "")
  }
}

/// A file (or standard input) read through a file descriptor.
final class FileByteSource: ByteSource {
  private let fd: Int32
  private let owned: Bool
  let name: String

  init(path: String) throws(InputError) {
    name = path
    if path == "-" {
      fd = 0
      owned = false
      return
    }
    let f = open(path, O_RDONLY)
    guard f >= 0 else {
      throw InputError(location: InputLocation(file: path), message: "cannot open (\(String(cString: strerror(errno))))", hint: nil)
    }
    fd = f
    owned = true
  }

  deinit { if owned { close(fd) } }

  func read(into buffer: inout [UInt8], max: Int) throws(InputError) -> Int {
    let old = buffer.count
    buffer.reserveCapacity(old + max)
    var n = 0
    buffer.append(contentsOf: repeatElement(0, count: max))
    repeat {
      n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + old, max) }
    } while n < 0 && errno == EINTR
    if n < 0 {
      buffer.removeLast(max)
      throw InputError(location: InputLocation(file: name), message: "read failed (\(String(cString: strerror(errno))))", hint: nil)
    }
    buffer.removeLast(max - n)
    return n
  }
}

/// gzip (or zlib) decompression over another source, streaming; concatenated gzip members
/// are read one after another.
final class GzipByteSource: ByteSource {
  private let inner: ByteSource
  private var stream = z_stream()
  private var input: [UInt8] = []
  private var inputOffset = 0
  private var finished = false
  private var innerDone = false
  private let name: String
  /// Compressed bytes consumed so far, for error messages.
  private var consumed = 0

  init(_ inner: ByteSource, name: String) throws(InputError) {
    self.inner = inner
    self.name = name
    let rc = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard rc == Z_OK else { throw InputError(location: InputLocation(file: name), message: "zlib initialisation failed (\(rc))", hint: nil) }
  }

  deinit { inflateEnd(&stream) }

  func read(into buffer: inout [UInt8], max: Int) throws(InputError) -> Int {
    if finished { return 0 }
    let old = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: max))
    var produced = 0
    while produced == 0 && !finished {
      if inputOffset >= input.count && !innerDone {
        input.removeAll(keepingCapacity: true)
        inputOffset = 0
        if try inner.read(into: &input, max: 1 << 16) == 0 { innerDone = true }
      }
      let available = input.count - inputOffset
      var rc: Int32 = Z_OK
      var consumedNow = 0
      input.withUnsafeMutableBufferPointer { inBuf in
        buffer.withUnsafeMutableBufferPointer { outBuf in
          stream.next_in = available > 0 ? inBuf.baseAddress! + inputOffset : nil
          stream.avail_in = UInt32(available)
          stream.next_out = outBuf.baseAddress! + old + produced
          stream.avail_out = UInt32(max - produced)
          rc = inflate(&stream, Z_NO_FLUSH)
          consumedNow = available - Int(stream.avail_in)
          produced = max - Int(stream.avail_out)
        }
      }
      inputOffset += consumedNow
      consumed += consumedNow
      switch rc {
      case Z_OK, Z_BUF_ERROR:
        if rc == Z_BUF_ERROR || (consumedNow == 0 && produced == 0) {
          if innerDone && inputOffset >= input.count {
            throw InputError(
              location: InputLocation(file: name, byteOffset: consumed), message: "gzip data ends early (truncated file)",
              hint: "the spans decoded before the cut were kept; re-copy the file")
          }
        }
      case Z_STREAM_END:
        // Another gzip member may follow.
        var more = inputOffset < input.count
        if !more && !innerDone { more = try refill() }
        if more {
          inflateReset(&stream)
        } else {
          finished = true
        }
      default:
        let msg = stream.msg.map { String(cString: $0) } ?? "code \(rc)"
        throw InputError(location: InputLocation(file: name, byteOffset: consumed), message: "invalid gzip data (\(msg))", hint: nil)
      }
    }
    buffer.removeLast(max - produced)
    return produced
  }

  private func refill() throws(InputError) -> Bool {
    input.removeAll(keepingCapacity: true)
    inputOffset = 0
    if try inner.read(into: &input, max: 1 << 16) == 0 {
      innerDone = true
      return false
    }
    return true
  }
}
