import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus

/// The broadcast station's HTTP server: SwiftNIO's HTTP/1.1 server on a loopback address by default,
/// `POST <path>` for paSendRTV2 / paSendRT, `GET /health` and `GET /metrics` (Prometheus text).
///
/// ```swift
/// let server = try await StationServer.start(station, options: .init(host: "127.0.0.1", port: 8080))
/// try await server.runUntilTerminated()   // SIGTERM: stop accepting, answer what is in flight, exit
/// ```
///
/// A request's receipt is checked and written (with its `fsync`s) on a pool of blocking threads, never
/// on the event loop. Bodies over `maxBodyBytes` are refused with 413 before they are held whole.
/// TLS and client authentication belong to the reverse proxy in front (README: nginx).
public final class StationServer: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// The path pagoPA posts to.
        public var path = "/"
        /// A receipt is a few KB; pagoPA's largest (5 transfers with metadata and stamps) stays far below this.
        public var maxBodyBytes = 1 << 20
        /// Threads that parse and `fsync`: writes wait on the disk, so more than the cores.
        public var blockingThreads = 16

        public init(host: String = "127.0.0.1", port: Int = 8080, path: String = "/") {
            self.host = host
            self.port = port
            self.path = path
        }
    }

    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool
    private let shared: Shared
    private let logger: Logger

    /// The address the server listens on (the port the system chose when 0 was asked).
    public var localAddress: SocketAddress? { channel.localAddress }

    /// What every connection's handler reaches.
    final class Shared: Sendable {
        let station: BroadcastStation
        let options: Options
        let registry = PrometheusCollectorRegistry()
        let factory: PrometheusMetricsFactory
        let latency: Metrics.Timer
        let inFlight = NIOLockedValueBox(0)
        let pool: NIOThreadPool

        init(station: BroadcastStation, options: Options, pool: NIOThreadPool) {
            self.station = station
            self.options = options
            self.pool = pool
            factory = PrometheusMetricsFactory(registry: registry)
            latency = Metrics.Timer(label: "quadra_station_request_duration_seconds", dimensions: [], factory: factory)
        }

        func count(_ answer: StationAnswer) {
            Counter(label: "quadra_station_receipts_total", dimensions: [("outcome", answer.outcome)], factory: factory).increment()
        }
    }

    private init(channel: any Channel, group: MultiThreadedEventLoopGroup, pool: NIOThreadPool, shared: Shared, logger: Logger) {
        self.channel = channel
        self.group = group
        self.pool = pool
        self.shared = shared
        self.logger = logger
    }

    public static func start(_ station: BroadcastStation, options: Options,
                             logger: Logger = Logger(label: "quadra.station")) async throws -> StationServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let pool = NIOThreadPool(numberOfThreads: options.blockingThreads)
        pool.start()
        let shared = Shared(station: station, options: options, pool: pool)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 512)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMapThrowing {
                        try channel.pipeline.syncOperations.addHandler(StationHTTPHandler(shared))
                    }
                }
                .bind(host: options.host, port: options.port).get()
            logger.info("station listening on \(channel.localAddress.map { "\($0)" } ?? "?"), POST \(options.path), inbox \(station.inbox.folder)")
            return StationServer(channel: channel, group: group, pool: pool, shared: shared, logger: logger)
        } catch {
            try? await pool.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Stops accepting connections, waits (up to `grace`) for the requests in flight to be answered,
    /// then closes every connection.
    public func shutdown(grace: Duration = .seconds(30)) async throws {
        try? await channel.close()
        let deadline = ContinuousClock.now + grace
        while shared.inFlight.withLockedValue({ $0 }) > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await pool.shutdownGracefully()
        try await group.shutdownGracefully()
        logger.info("station stopped")
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilTerminated() async throws {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = NIOLockedValueBox(Optional(continuation))
            for source in sources {
                source.setEventHandler { once.withLockedValue { $0.take() }?.resume() }
                source.resume()
            }
        }
        for source in sources { source.cancel() }
        logger.info("signal received: finishing requests in flight")
        try await shutdown()
    }
}

/// One connection: gathers a request (refusing an oversized body as it streams), routes it, and
/// answers on the event loop once the blocking work is done.
private final class StationHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let shared: StationServer.Shared
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(_ shared: StationServer.Shared) {
        self.shared = shared
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(request):
            head = request
            body.clear()
            let declared = request.headers.first(name: "content-length").flatMap(Int.init) ?? 0
            tooLarge = declared > shared.options.maxBodyBytes
        case var .body(chunk):
            guard !tooLarge else { return }
            if body.readableBytes + chunk.readableBytes > shared.options.maxBodyBytes {
                tooLarge = true
                body.clear()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let request = head else { return }
            head = nil
            route(request, context: context)
        }
    }

    private func route(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        switch (request.method, path) {
        case (.GET, "/health"):
            respond(context, request, .ok, "text/plain; charset=utf-8", Array("ok\n".utf8))
        case (.GET, "/metrics"):
            respond(context, request, .ok, "text/plain; version=0.0.4; charset=utf-8", shared.registry.emitToBuffer())
        case (.POST, shared.options.path):
            guard !tooLarge else {
                respond(context, request, .payloadTooLarge, "text/plain; charset=utf-8",
                        Array("request body over \(shared.options.maxBodyBytes) bytes\n".utf8))
                return
            }
            receive(request, context: context)
        case (_, "/health"), (_, "/metrics"), (_, shared.options.path):
            respond(context, request, .methodNotAllowed, "text/plain; charset=utf-8", Array("method not allowed\n".utf8))
        default:
            respond(context, request, .notFound, "text/plain; charset=utf-8", Array("not found\n".utf8))
        }
    }

    private func receive(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        let bytes = Array(body.readableBytesView)
        body.clear()
        let shared = shared
        let started = ContinuousClock.now
        shared.inFlight.withLockedValue { $0 += 1 }
        shared.pool.runIfActive(eventLoop: context.eventLoop) { shared.station.receive(bytes) }
            .assumeIsolated()
            .whenComplete { result in
                let answer: StationAnswer
                switch result {
                case let .success(done): answer = done
                case .failure: answer = StationAnswer(version: .v2, fault: .system, description: "the station is stopping", id: shared.station.stationName)
                }
                shared.count(answer)
                self.respond(context, request, .ok, "text/xml; charset=utf-8", Array(answer.xml.utf8))
                shared.latency.recordInterval(since: started)
                shared.inFlight.withLockedValue { $0 -= 1 }
            }
    }

    private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus,
                         _ type: String, _ bytes: [UInt8]) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: type)
        headers.add(name: "content-length", value: String(bytes.count))
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            done.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}

private extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
