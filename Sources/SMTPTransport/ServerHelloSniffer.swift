import NIOCore

/// Reads the cipher suite out of the server's ServerHello as it passes by, in plaintext, on its
/// way to the TLS handler (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3). NIOSSL does not report the
/// negotiated suite, and the explorer shows it.
final class ServerHelloSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var seen: [UInt8] = []
    private var done = false
    private let found: @Sendable (UInt16) -> Void

    init(found: @escaping @Sendable (UInt16) -> Void) {
        self.found = found
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !done {
            let buffer = unwrapInboundIn(data)
            seen += buffer.readableBytesView
            if let suite = Self.cipherSuite(in: seen) {
                done = true
                seen = []
                found(suite)
            } else if seen.count > 32_768 {
                done = true
                seen = []
            }
        }
        context.fireChannelRead(data)
    }

    /// The cipher suite of a ServerHello at the start of `bytes`, if it has arrived whole.
    static func cipherSuite(in bytes: [UInt8]) -> UInt16? {
        // TLS record: type 22 (handshake), version (2), length (2); then the handshake message.
        guard bytes.count >= 5, bytes[0] == 22 else { return nil }
        var handshake: [UInt8] = []
        var offset = 0
        while offset + 5 <= bytes.count, bytes[offset] == 22 {
            let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            guard offset + 5 + length <= bytes.count else { break }
            handshake += bytes[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
        }
        // ServerHello: type 2, length (3), version (2), random (32), session id (1 + n), suite (2).
        guard handshake.count >= 39, handshake[0] == 2 else { return nil }
        let sessionLength = Int(handshake[38])
        let at = 39 + sessionLength
        guard handshake.count >= at + 2 else { return nil }
        return UInt16(handshake[at]) << 8 | UInt16(handshake[at + 1])
    }

    /// IANA names of the suites a server may choose (RFC 8446 §B.4, RFC 5289, RFC 7905).
    static func name(_ suite: UInt16) -> String {
        let names: [UInt16: String] = [
            0x1301: "TLS_AES_128_GCM_SHA256", 0x1302: "TLS_AES_256_GCM_SHA384",
            0x1303: "TLS_CHACHA20_POLY1305_SHA256",
            0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC00A: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            0xC027: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xC028: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009D: "TLS_RSA_WITH_AES_256_GCM_SHA384",
            0x009E: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009F: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA", 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
        ]
        return names[suite] ?? String(format: "0x%04X", suite)
    }
}

import Foundation
