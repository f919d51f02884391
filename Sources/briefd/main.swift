import NIOCore
import NIOPosix

// Swift Concurrency's jobs run on NIO's event loops instead of a second thread pool: a request's
// awaits no longer hop between the HTTP/PostgreSQL event loop threads and the cooperative pool
// (docs/benchmarks.md says what it bought). Must happen before any task starts, hence main.swift.
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
await Briefd.launch()
