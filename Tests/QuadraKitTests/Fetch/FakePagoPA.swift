import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server that answers as pagoPA's APIs do, from a script: each request's path and
/// query, and how many times that exact request came before, choose the answer. It records every
/// request (with its subscription key header) for the test to check.
final class FakePagoPA: Sendable {
    enum Reply: Sendable {
        case json(String, status: Int = 200, headers: [(String, String)] = [])
        /// Declares the whole body's length, sends half of it, and closes the connection.
        case cut(String)
    }

    struct Request: Sendable, Equatable {
        var uri: String
        var key: String?
    }

    typealias Script = @Sendable (_ path: String, _ query: [String: String], _ previousCalls: Int) -> Reply

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let channel: any Channel
    private let log = NIOLockedValueBox<[Request]>([])

    var baseURL: String { "http://127.0.0.1:\(channel.localAddress!.port!)" }
    var requests: [Request] { log.withLockedValue { $0 } }

    init(_ script: @escaping Script) async throws {
        let log = log
        channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(Handler(script: script, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let script: Script
        let log: NIOLockedValueBox<[Request]>

        init(script: @escaping Script, log: NIOLockedValueBox<[Request]>) {
            self.script = script
            self.log = log
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case let .head(head) = unwrapInboundIn(data) else { return }
            let parts = URLComponents(string: head.uri)
            let query = Dictionary((parts?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
            let previous = log.withLockedValue { requests in
                defer { requests.append(Request(uri: head.uri, key: head.headers.first(name: "Ocp-Apim-Subscription-Key"))) }
                return requests.filter { $0.uri == head.uri }.count
            }
            let reply = script(parts?.path ?? head.uri, query, previous)
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/json")
            switch reply {
            case let .json(body, status, extra):
                for (name, value) in extra { headers.add(name: name, value: value) }
                headers.add(name: "content-length", value: "\(body.utf8.count)")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case let .cut(body):
                headers.add(name: "content-length", value: "\(body.utf8.count)")
                headers.add(name: "connection", value: "close")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
                let half = String(body.prefix(body.count / 2))
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: half)))), promise: nil)
                context.close(promise: nil)
            }
        }
    }
}
