#if canImport(Glibc)
import Glibc
#endif

/// The wall clock, read only where a command needs the current time.
enum Clock {
  static func nowNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
  }
}
