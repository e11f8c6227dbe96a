import Dispatch

/// A bounded first-in first-out hand-over between one producer and one consumer thread.
final class BatchChannel<Element: Sendable>: @unchecked Sendable {
  private var items: [Element] = []
  private let lock = DispatchSemaphore(value: 1)
  private let free: DispatchSemaphore
  private let filled = DispatchSemaphore(value: 0)

  init(capacity: Int) { free = DispatchSemaphore(value: capacity) }

  /// Waits for room, then enqueues.
  func send(_ item: Element) {
    free.wait()
    lock.wait()
    items.append(item)
    lock.signal()
    filled.signal()
  }

  /// Waits for an item and dequeues it.
  func receive() -> Element {
    filled.wait()
    lock.wait()
    let item = items.removeFirst()
    lock.signal()
    free.signal()
    return item
  }
}

/// A flag one thread sets and another reads.
final class CancellationFlag: @unchecked Sendable {
  private let lock = DispatchSemaphore(value: 1)
  private var value = false
  var isSet: Bool {
    lock.wait()
    defer { lock.signal() }
    return value
  }
  func set() {
    lock.wait()
    value = true
    lock.signal()
  }
}
