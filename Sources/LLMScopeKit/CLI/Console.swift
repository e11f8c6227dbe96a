#if canImport(Glibc)
import Glibc
#endif

/// Writes all of `s` to a file descriptor.
private func write(_ fd: Int32, _ s: String) {
  var copy = s
  copy.withUTF8 { buf in
    var done = 0
    while done < buf.count {
      let n = Glibc.write(fd, buf.baseAddress! + done, buf.count - done)
      if n <= 0 { if errno == EINTR { continue } else { return } }
      done += n
    }
  }
}

/// Where a command writes: standard output for results, standard error for diagnostics and
/// progress. Tests capture both.
public struct Console: Sendable {
  public var out: @Sendable (String) -> Void
  public var err: @Sendable (String) -> Void
  /// Standard error is a terminal, so progress lines are shown.
  public var showsProgress: Bool

  public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void, showsProgress: Bool) {
    self.out = out
    self.err = err
    self.showsProgress = showsProgress
  }

  /// The process's own standard output and error.
  public static var standard: Console {
    Console(
      out: { s in write(1, s) }, err: { s in write(2, s) },
      showsProgress: isatty(2) != 0)
  }
}
